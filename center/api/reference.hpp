#pragma once

// What the kiosk learns of its centre and keeps a copy of (docs/center-api.md): who it is
// (KioskInfo), the reference data (fees, holidays, opening hours, text overrides), the centre's
// health, and the appointments booked for the kiosk's counter.

#include <cstdint>
#include <string>
#include <vector>

#include "center/api/wire_codec.hpp"

namespace mk::center::api {

struct KioskInfo {
  std::string terminal_id;  // the client certificate's CN
  std::string center_name, center_code;
  std::string server_time;  // RFC 3339
};

struct Fee {
  std::string id;  // "lecture_online", "lecture_excellent", ...
  int64_t yen = 0;
};
struct OpeningHours {
  int weekday = 1;    // ISO: 1 Monday .. 7 Sunday
  std::string open;   // "08:30"
  std::string close;  // "17:00"
};
struct TextOverride {
  std::string key, lang, text;
};
struct ReferenceData {
  std::string version;  // also the ETag
  std::vector<Fee> fees;
  std::vector<std::string> holidays;  // dates
  std::vector<OpeningHours> opening_hours;
  std::vector<TextOverride> texts;
};

struct Health {
  std::string status;  // "ok"
  std::string server_time;
  std::string version;
};

struct Appointment {
  std::string number;
  std::string kind;                  // "pin_unlock"
  std::string slot_start, slot_end;  // RFC 3339
  std::string holder_ref;
  // "booked" → "checked_in" (at a kiosk) → "verified" (who: card, PIN, face) → "unlocked"; or
  // "locked" after too many failed identity checks.
  std::string status;
};

// Who is at the kiosk for a PIN unlock appointment: POST /v1/appointments/{number}/identity. The
// card's JPKI authentication key signed a challenge of the centre's (/v1/auth/challenges); the
// photo was taken at the kiosk just now, for the centre to compare with the licence photo.
struct AppointmentIdentityRequest {
  std::string card_id;
  Bytes challenge;
  Bytes certificate;  // the JPKI authentication certificate, DER
  Bytes signature;
  Bytes photo;  // JPEG
};

MK_CENTER_API_JSON(KioskInfo)
MK_CENTER_API_JSON(Fee)
MK_CENTER_API_JSON(OpeningHours)
MK_CENTER_API_JSON(TextOverride)
MK_CENTER_API_JSON(ReferenceData)
MK_CENTER_API_JSON(Health)
MK_CENTER_API_JSON(Appointment)
MK_CENTER_API_JSON(AppointmentIdentityRequest)
}  // namespace mk::center::api
