#include "flows/rules/signing_certificate.hpp"

namespace mk::flows {

SignPinProblem check_sign_pin_format(std::string_view pin) {
  if (pin.size() < static_cast<size_t>(kSignPinMinLength) ||
      pin.size() > static_cast<size_t>(kSignPinMaxLength)) {
    return SignPinProblem::wrong_length;
  }
  for (const char c : pin) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return SignPinProblem::not_alphanumeric;
    }
  }
  return SignPinProblem::none;
}

CertificateStanding signing_certificate_standing(const CivilDate& not_before,
                                                 const CivilDate& not_after, const CivilDate& today,
                                                 bool same_day_matters) {
  if (today > not_after) {
    return CertificateStanding::expired;
  }
  if (today < not_before) {
    return CertificateStanding::not_yet_valid;
  }
  if (same_day_matters && today == not_before) {
    return CertificateStanding::issued_today;
  }
  return CertificateStanding::valid;
}

}  // namespace mk::flows
