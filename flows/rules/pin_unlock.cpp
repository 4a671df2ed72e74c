#include "flows/rules/pin_unlock.hpp"

#include <algorithm>

namespace mk::flows {

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// "YYYY-MM-DDTHH:MM:SS+09:00": compared as text, since every part has its fixed width.
bool japan_time(std::string_view t) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd+09:00";
  if (t.size() != kShape.size()) {
    return false;
  }
  for (size_t i = 0; i < t.size(); ++i) {
    if (kShape[i] == 'd' ? !digit(t[i]) : t[i] != kShape[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool is_appointment_number(std::string_view text) {
  return text.size() == static_cast<size_t>(kAppointmentDigits) &&
         std::all_of(text.begin(), text.end(), digit);
}

std::optional<std::string> appointment_number_from_qr(std::string_view text) {
  if (!text.starts_with(kAppointmentQrPrefix)) {
    return std::nullopt;
  }
  const std::string_view number = text.substr(kAppointmentQrPrefix.size());
  if (!is_appointment_number(number)) {
    return std::nullopt;
  }
  return std::string(number);
}

AppointmentTiming appointment_timing(std::string_view slot_start, std::string_view slot_end,
                                     std::string_view now) {
  if (!japan_time(slot_start) || !japan_time(slot_end) || !japan_time(now) ||
      slot_end < slot_start) {
    return AppointmentTiming::invalid;
  }
  if (now.substr(0, 10) != slot_start.substr(0, 10)) {
    return AppointmentTiming::other_day;
  }
  if (now < slot_start) {
    return AppointmentTiming::early;
  }
  return now > slot_end ? AppointmentTiming::late : AppointmentTiming::open;
}

}  // namespace mk::flows
