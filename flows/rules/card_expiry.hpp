#pragma once

// What an expired or expiring My Number card (R-CARD-EXPIRY) and expired or fresh JPKI
// certificates (R-CERT-EXPIRY, R-OS-SAME-DAY) mean for each kiosk operation.

#include <optional>

#include "flows/rules/calendar.hpp"

namespace mk::flows {

enum class CardOperation {
  record,           // record licence data on the card
  renewal_rewrite,  // rewrite at renewal (R-RENEW-REWRITE)
  read_back,        // read what is recorded
  onestop_start,    // one-stop service consent (start or renew)
  portal_linkage,   // Myna Portal linkage submission
};

enum class Verdict {
  allowed,
  allowed_with_warning,  // go on, but the person must be told something first
  refused,
};

enum class ExpiryReason {
  none,
  card_expired,        // R-CARD-EXPIRY: renewal refused with an expired card
  card_expiring_soon,  // R-CARD-EXPIRY: renew the card first, or keep both forms
  sign_cert_missing,   // no signing certificate on the card
  sign_cert_expired,   // R-CERT-EXPIRY
  sign_cert_not_yet_valid,
  sign_cert_issued_today,  // R-OS-SAME-DAY: come back from tomorrow
};

struct ExpiryDecision {
  Verdict verdict = Verdict::allowed;
  ExpiryReason reason = ExpiryReason::none;
};

// Days before the card's expiry from which recording warns (a kiosk policy: the FAQ names no
// number; municipalities accept card renewal from three months before expiry).
inline constexpr int kCardExpiryWarningDays = 90;

struct CardFacts {
  CivilDate today;
  CivilDate card_expiry;                     // the My Number card's last valid day
  std::optional<CivilDate> sign_not_before;  // the signing certificate's validity (JST days)
  std::optional<CivilDate> sign_not_after;
};

ExpiryDecision decide_expiry(CardOperation op, const CardFacts& facts);

}  // namespace mk::flows
