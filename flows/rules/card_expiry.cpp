#include "flows/rules/card_expiry.hpp"

namespace mk::flows {

namespace {

ExpiryDecision refused(ExpiryReason r) {
  return {Verdict::refused, r};
}

// The signing certificate must be valid today for the one-stop start and the portal linkage.
std::optional<ExpiryReason> sign_cert_problem(const CardFacts& f) {
  if (!f.sign_not_before || !f.sign_not_after) {
    return ExpiryReason::sign_cert_missing;
  }
  if (f.today < *f.sign_not_before) {
    return ExpiryReason::sign_cert_not_yet_valid;
  }
  if (*f.sign_not_after < f.today) {
    return ExpiryReason::sign_cert_expired;
  }
  return std::nullopt;
}

}  // namespace

ExpiryDecision decide_expiry(CardOperation op, const CardFacts& f) {
  const bool card_expired = f.card_expiry < f.today;
  const bool card_expiring =
      !card_expired && days_between(f.today, f.card_expiry) <= kCardExpiryWarningDays;
  switch (op) {
    case CardOperation::read_back:
      // An expired card does not void the licence data (R-CARD-EXPIRY), and reading needs no
      // certificate (R-CERT-EXPIRY).
      return {};
    case CardOperation::renewal_rewrite:
      if (card_expired) {
        return refused(ExpiryReason::card_expired);
      }
      return {};
    case CardOperation::record:
      // Expired certificates do not stop recording (R-CERT-EXPIRY). The licence data is not
      // carried over to a renewed card, so a card near its end is worth a warning.
      if (card_expired) {
        return refused(ExpiryReason::card_expired);
      }
      if (card_expiring) {
        return {Verdict::allowed_with_warning, ExpiryReason::card_expiring_soon};
      }
      return {};
    case CardOperation::onestop_start:
      if (auto problem = sign_cert_problem(f)) {
        return refused(*problem);
      }
      if (*f.sign_not_before == f.today) {
        return refused(ExpiryReason::sign_cert_issued_today);  // R-OS-SAME-DAY
      }
      return {};
    case CardOperation::portal_linkage:
      if (auto problem = sign_cert_problem(f)) {
        return refused(*problem);
      }
      return {};
  }
  return {};
}

}  // namespace mk::flows
