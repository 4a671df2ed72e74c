#pragma once

// The licence PIN a holder sets (R-LIC-PIN): exactly four digits, typed twice. Easy guesses are
// allowed but warned about, because anyone who finds the card gets 10 tries (R-LIC-PIN-LOCK).

#include <string_view>

namespace mk::flows {

inline constexpr int kLicensePinDigits = 4;
inline constexpr int kLicensePinTries = 10;  // R-LIC-PIN-LOCK

enum class PinProblem {
  none,
  wrong_length,  // not exactly 4
  not_digits,    // anything but 0-9
  mismatch,      // the confirmation differs
};

enum class PinWarning {
  none,
  all_same,  // 0000, 1111, ...
  sequence,  // 0123, 1234, ..., 9876, 3210 (ascending or descending by one)
};

PinProblem check_license_pin_format(std::string_view pin);
PinProblem check_license_pin_pair(std::string_view pin, std::string_view confirmation);
PinWarning license_pin_warning(std::string_view pin);  // for a well-formed PIN

}  // namespace mk::flows
