#include "flows/rules/license_pin.hpp"

namespace mk::flows {

PinProblem check_license_pin_format(std::string_view pin) {
  for (const char c : pin) {
    if (c < '0' || c > '9') {
      return PinProblem::not_digits;
    }
  }
  if (pin.size() != static_cast<size_t>(kLicensePinDigits)) {
    return PinProblem::wrong_length;
  }
  return PinProblem::none;
}

PinProblem check_license_pin_pair(std::string_view pin, std::string_view confirmation) {
  if (const PinProblem p = check_license_pin_format(pin); p != PinProblem::none) {
    return p;
  }
  // Compare every digit so the time taken does not depend on where they differ.
  bool same = pin.size() == confirmation.size();
  for (size_t i = 0; i < pin.size(); ++i) {
    same &= i < confirmation.size() && pin[i] == confirmation[i];
  }
  return same ? PinProblem::none : PinProblem::mismatch;
}

PinWarning license_pin_warning(std::string_view pin) {
  if (pin.size() < 2) {
    return PinWarning::none;
  }
  bool all_same = true;
  bool up = true;
  bool down = true;
  for (size_t i = 1; i < pin.size(); ++i) {
    all_same &= pin[i] == pin[0];
    up &= pin[i] == pin[i - 1] + 1;
    down &= pin[i] == pin[i - 1] - 1;
  }
  if (all_same) {
    return PinWarning::all_same;
  }
  return up || down ? PinWarning::sequence : PinWarning::none;
}

}  // namespace mk::flows
