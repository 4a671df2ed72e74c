// JSON of the kiosk info, reference data, health and appointments (reference.hpp).
#include "center/api/reference.hpp"

#include "center/api/json_fields.hpp"

namespace mk::center::api {

using detail::Fields;
using detail::kShort;
using detail::kText;

void to_json(Json& j, const KioskInfo& v) {
  j = {{"terminal_id", v.terminal_id},
       {"center_name", v.center_name},
       {"center_code", v.center_code},
       {"server_time", v.server_time}};
}
void from_json(const Json& j, KioskInfo& v) {
  const Fields f(j, "");
  v.terminal_id = f.text("terminal_id", 1, kShort);
  v.center_name = f.text("center_name", 1, kText);
  v.center_code = f.text("center_code", 1, kShort);
  v.server_time = f.instant("server_time");
}

void to_json(Json& j, const Fee& v) {
  j = {{"id", v.id}, {"yen", v.yen}};
}
void from_json(const Json& j, Fee& v) {
  const Fields f(j, "");
  v.id = f.text("id", 1, kShort);
  v.yen = f.integer("yen", 0, 1'000'000);
}

void to_json(Json& j, const OpeningHours& v) {
  j = {{"weekday", v.weekday}, {"open", v.open}, {"close", v.close}};
}
void from_json(const Json& j, OpeningHours& v) {
  const Fields f(j, "");
  v.weekday = static_cast<int>(f.integer("weekday", 1, 7));
  v.open = f.text("open", 5, 5);
  v.close = f.text("close", 5, 5);
}

void to_json(Json& j, const TextOverride& v) {
  j = {{"key", v.key}, {"lang", v.lang}, {"text", v.text}};
}
void from_json(const Json& j, TextOverride& v) {
  const Fields f(j, "");
  v.key = f.text("key", 1, 256);
  v.lang = f.text("lang", 2, 8);
  v.text = f.text("text", 0, 4096);
}

void to_json(Json& j, const ReferenceData& v) {
  j = {{"version", v.version},
       {"fees", v.fees},
       {"holidays", v.holidays},
       {"opening_hours", v.opening_hours},
       {"texts", v.texts}};
}
void from_json(const Json& j, ReferenceData& v) {
  const Fields f(j, "");
  v.version = f.text("version", 1, kShort);
  v.fees = f.objects<Fee>("fees", 256);
  v.holidays = f.strings("holidays", 1024, 10);
  for (size_t i = 0; i < v.holidays.size(); ++i) {
    Fields::check_date(v.holidays[i], "holidays[" + std::to_string(i) + "]");
  }
  v.opening_hours = f.objects<OpeningHours>("opening_hours", 64);
  v.texts = f.objects<TextOverride>("texts", 4096);
}

void to_json(Json& j, const Health& v) {
  j = {{"status", v.status}, {"server_time", v.server_time}, {"version", v.version}};
}
void from_json(const Json& j, Health& v) {
  const Fields f(j, "");
  v.status = f.text("status", 1, kShort);
  v.server_time = f.instant("server_time");
  v.version = f.text("version", 1, kShort);
}

void to_json(Json& j, const Appointment& v) {
  j = {{"number", v.number},         {"kind", v.kind},
       {"slot_start", v.slot_start}, {"slot_end", v.slot_end},
       {"holder_ref", v.holder_ref}, {"status", v.status}};
}
void from_json(const Json& j, Appointment& v) {
  const Fields f(j, "");
  v.number = f.text("number", 1, kShort);
  v.kind = f.text("kind", 1, kShort);
  v.slot_start = f.instant("slot_start");
  v.slot_end = f.instant("slot_end");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.status = f.text("status", 1, kShort);
}

void to_json(Json& j, const AppointmentIdentityRequest& v) {
  j = {{"card_id", v.card_id},
       {"challenge", to_base64(v.challenge)},
       {"certificate", to_base64(v.certificate)},
       {"signature", to_base64(v.signature)},
       {"photo", to_base64(v.photo)}};
}
void from_json(const Json& j, AppointmentIdentityRequest& v) {
  const Fields f(j, "");
  v.card_id = detail::optional_card_id(f);
  if (v.card_id.empty()) {
    throw WireError("card_id", "is required");
  }
  v.challenge = f.base64("challenge", 32, 32);
  v.certificate = f.base64("certificate", 64, 4096);
  v.signature = f.base64("signature", 64, 512);
  // A camera frame as JPEG: 1280x720 at quality 90 is about 150 KiB; a photo ten times that is
  // no frame of ours.
  v.photo = f.base64("photo", 256, size_t{2} * 1024 * 1024);
}
}  // namespace mk::center::api
