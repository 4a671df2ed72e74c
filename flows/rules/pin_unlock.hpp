#pragma once

// The after-hours unlock of a locked licence PIN (R-LIC-PIN-LOCK: 10 wrong entries lock it, and
// only the centre of the prefecture the holder lives in unlocks it), by appointment. One copy of
// these rules serves the kiosk's flow and the centre simulator, which decides.

#include <optional>
#include <string>
#include <string_view>

namespace mk::flows {

// An appointment number: what the booking gave the holder, typed on the kiosk's pad.
inline constexpr int kAppointmentDigits = 8;

// The appointment's QR code holds "mynakiosk:appointment:<number>" (docs/center-api.md).
inline constexpr std::string_view kAppointmentQrPrefix = "mynakiosk:appointment:";

// The number in an appointment's QR code; nothing for any other code (a web address, a ticket).
std::optional<std::string> appointment_number_from_qr(std::string_view text);
// True for a number of exactly kAppointmentDigits digits.
bool is_appointment_number(std::string_view text);

// Failed identity checks (the card is not the holder's, the face does not match) an appointment
// takes; the last one locks it until the centre's staff reopen it.
inline constexpr int kUnlockIdentityAttempts = 3;

enum class AppointmentTiming {
  open,       // now is inside the slot
  early,      // today, before the slot
  late,       // today, after the slot
  other_day,  // not today
  invalid,    // a time that is not RFC 3339 in Japan's offset
};

// Where `now` stands against the slot [start, end]: three RFC 3339 times in Japan's offset
// ("2026-11-27T18:00:00+09:00"), as the centre writes them.
AppointmentTiming appointment_timing(std::string_view slot_start, std::string_view slot_end,
                                     std::string_view now);

}  // namespace mk::flows
