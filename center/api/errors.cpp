// The error codes' finality and the error envelope (errors.hpp).
#include "center/api/errors.hpp"

#include <algorithm>
#include <array>

#include "center/api/json_fields.hpp"

namespace mk::center::api {

using detail::Fields;
using detail::kShort;
using detail::kText;

// Not final: certificate_issued_today (the same certificate is good tomorrow), the terminal and
// idempotency-key-required codes (the kiosk's configuration or version, which staff can mend),
// session codes (an issuer session is interactive), audit_chain_broken (its own protocol),
// not_found (a route: a wrong URL), unavailable and internal.
bool is_final_refusal(std::string_view code) {
  static constexpr std::array<std::string_view, 27> kFinal = {
      code::kBadRequest,
      code::kIdempotencyKeyReused,
      code::kHolderNotFound,
      code::kHolderMismatch,
      code::kNotEligible,
      code::kCertificateExpired,
      code::kCertificateRevoked,
      code::kCertificateUntrusted,
      code::kCertificateWrongKeyUsage,
      code::kCertificateHolderMismatch,
      code::kSignatureInvalid,
      code::kCardCryptogramInvalid,
      code::kConsentNotFound,
      code::kConsentDocumentInvalid,
      code::kLinkageDocumentInvalid,
      code::kNonceUnknown,
      code::kNonceUsed,
      code::kAppointmentNotFound,
      code::kAppointmentNotToday,
      code::kAppointmentCheckedIn,
      code::kAppointmentOutsideWindow,
      code::kAppointmentUsed,
      code::kAppointmentLocked,
      code::kAppointmentNotCheckedIn,
      code::kAppointmentHolderMismatch,
      code::kFaceNotFound,
      code::kFaceMismatch,
  };
  return std::find(kFinal.begin(), kFinal.end(), code) != kFinal.end();
}

void to_json(Json& j, const ErrorBody& v) {
  j = {{"code", v.code}, {"message", v.message}, {"retryable", v.retryable}};
}
void from_json(const Json& j, ErrorBody& v) {
  const Fields f(j, "");
  v.code = f.text("code", 1, kShort);
  v.message = f.text("message", 0, kText);
  v.retryable = f.boolean("retryable");
}

Json error_envelope(const ErrorBody& e) {
  return {{"error", e}};
}

ErrorBody parse_error_envelope(std::string_view text) {
  const Json j = parse_json(text);
  const Fields f(j, "");
  return Fields::read_at<ErrorBody>(f.member("error"), "error");
}
}  // namespace mk::center::api
