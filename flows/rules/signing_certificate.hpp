#pragma once

// The JPKI signing certificate (署名用電子証明書) and its PIN, as the one-stop service and the
// portal linkage need them (R-OS-NEEDS, R-OS-SAME-DAY, R-CERT-EXPIRY, R-OS-PIN-LOCK).

#include <string_view>

#include "flows/rules/calendar.hpp"

namespace mk::flows {

// R-OS-PIN-LOCK: 5 wrong tries lock it, and only the municipality or a convenience-store kiosk
// resets it (the police cannot). 6–16 characters of A–Z and 0–9 (card-profile.md).
inline constexpr int kSignPinTries = 5;
inline constexpr int kSignPinMinLength = 6;
inline constexpr int kSignPinMaxLength = 16;

enum class SignPinProblem { none, wrong_length, not_alphanumeric };
// Before anything is sent to the card: a PIN that cannot be right costs no try.
SignPinProblem check_sign_pin_format(std::string_view pin);

enum class CertificateStanding {
  valid,
  issued_today,   // R-OS-SAME-DAY: reflected overnight, the one-stop start works from tomorrow
  expired,        // R-CERT-EXPIRY: a new one at the municipality
  not_yet_valid,  // a clock or a card that is wrong: treated as unusable, like expired
};

// From the certificate's first and last days (Japan's calendar) on `today`. `same_day_matters`:
// the one-stop start refuses a certificate issued today; the portal linkage does not.
CertificateStanding signing_certificate_standing(const CivilDate& not_before,
                                                 const CivilDate& not_after, const CivilDate& today,
                                                 bool same_day_matters);

}  // namespace mk::flows
