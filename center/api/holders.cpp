// JSON of the holders, their lookups and holding forms (holders.hpp).
#include "center/api/holders.hpp"

#include "center/api/json_fields.hpp"

namespace mk::center::api {

using detail::Fields;
using detail::kHoldingActions;
using detail::kHoldingForms;
using detail::kPhoto;
using detail::kShort;
using detail::kText;
using detail::name_of;
using detail::optional_card_id;
using detail::put_card_id;

std::string_view to_string(HoldingForm v) {
  return name_of(v, kHoldingForms);
}
std::string_view to_string(HoldingFormAction v) {
  return name_of(v, kHoldingActions);
}

// Where a record is (R-LOST): this, another, none or unknown.
static std::string record_card(const Fields& f) {
  std::string v = f.text("record_card", 1, kShort);
  if (v != "this" && v != "another" && v != "none" && v != "unknown") {
    throw WireError("record_card", "is not this, another, none or unknown");
  }
  return v;
}

void to_json(Json& j, const HolderLookupRequest& v) {
  j = {{"license_number", v.license_number},
       {"birth_date", v.birth_date},
       {"name", v.name},
       {"address", v.address}};
  put_card_id(j, v.card_id);
}
void from_json(const Json& j, HolderLookupRequest& v) {
  const Fields f(j, "");
  v.license_number = f.digits("license_number", 12);
  v.birth_date = f.date("birth_date");
  v.name = f.text("name", 1, 256);
  v.address = f.text("address", 0, kText);
  v.card_id = optional_card_id(f);
}

void to_json(Json& j, const AuthChallenge& v) {
  j = {{"challenge", to_base64(v.challenge)}, {"expires_at", v.expires_at}};
}
void from_json(const Json& j, AuthChallenge& v) {
  const Fields f(j, "");
  v.challenge = f.base64("challenge", 32, 32);
  v.expires_at = f.instant("expires_at");
}

void to_json(Json& j, const CardLookupRequest& v) {
  j = {{"birth_date", v.birth_date},
       {"name", v.name},
       {"address", v.address},
       {"card_id", v.card_id},
       {"challenge", to_base64(v.challenge)},
       {"certificate", to_base64(v.certificate)},
       {"signature", to_base64(v.signature)}};
}
void from_json(const Json& j, CardLookupRequest& v) {
  const Fields f(j, "");
  v.birth_date = f.date("birth_date");
  v.name = f.text("name", 1, 256);
  v.address = f.text("address", 0, kText);
  v.card_id = optional_card_id(f);
  if (v.card_id.empty()) {
    throw WireError("card_id", "is required");
  }
  v.challenge = f.base64("challenge", 32, 32);
  v.certificate = f.base64("certificate", 64, 4096);
  v.signature = f.base64("signature", 64, 512);
}

void to_json(Json& j, const CardStatusRequest& v) {
  j = {{"license_number", v.license_number}, {"card_id", v.card_id}};
}
void from_json(const Json& j, CardStatusRequest& v) {
  const Fields f(j, "");
  v.license_number = f.digits("license_number", 12);
  v.card_id = optional_card_id(f);
  if (v.card_id.empty()) {
    throw WireError("card_id", "is required");
  }
}

void to_json(Json& j, const CardStatus& v) {
  j = {{"record_card", v.record_card}};
}
void from_json(const Json& j, CardStatus& v) {
  const Fields f(j, "");
  v.record_card = record_card(f);
}

void to_json(Json& j, const HistoryLookupRequest& v) {
  j = {{"birth_date", v.birth_date}, {"name", v.name}, {"address", v.address}};
  put_card_id(j, v.card_id);
}
void from_json(const Json& j, HistoryLookupRequest& v) {
  const Fields f(j, "");
  v.birth_date = f.date("birth_date");
  v.name = f.text("name", 1, 256);
  v.address = f.text("address", 0, kText);
  v.card_id = optional_card_id(f);
}

void to_json(Json& j, const LicenseClass& v) {
  j = {{"name", v.name}, {"date", v.date}};
}
void from_json(const Json& j, LicenseClass& v) {
  const Fields f(j, "");
  v.name = f.text("name", 1, kShort);
  v.date = f.date("date");
}

void to_json(Json& j, const LicenseRecordView& v) {
  j = {{"holder_ref", v.holder_ref},
       {"kind", v.kind},
       {"license_number", v.license_number},
       {"expiry", v.expiry},
       {"color", v.color},
       {"classes", v.classes},
       {"conditions", v.conditions},
       {"commission", v.commission},
       {"holding_form", to_string(v.holding_form)},
       {"license_ap_recorded", v.license_ap_recorded},
       {"address_changed", v.address_changed},
       {"at_home_centre", v.at_home_centre},
       {"card_expiry", v.card_expiry},
       {"record_card", v.record_card},
       {"photo_j2k", to_base64(v.photo_j2k)}};
}
void from_json(const Json& j, LicenseRecordView& v) {
  const Fields f(j, "");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  // Fields a centre of an earlier version does not send have their meaning when absent.
  v.kind = f.has("kind") ? f.text("kind", 1, kShort) : "license";
  if (v.kind != "license" && v.kind != "history") {
    throw WireError("kind", "neither license nor history");
  }
  v.license_number = f.digits("license_number", 12);
  v.expiry = f.date("expiry");
  v.color = f.text("color", v.kind == "history" ? 0 : 1, kShort);
  v.classes = f.objects<LicenseClass>("classes", 32);
  v.conditions = f.strings("conditions", 32, kText);
  v.commission = f.text("commission", 1, kText);
  v.holding_form = f.enumeration("holding_form", kHoldingForms);
  v.license_ap_recorded = f.boolean("license_ap_recorded");
  v.address_changed = f.boolean("address_changed");
  v.at_home_centre = f.boolean("at_home_centre");
  v.card_expiry = f.has("card_expiry") ? f.text("card_expiry", 0, kShort) : "";
  if (!v.card_expiry.empty()) {
    v.card_expiry = f.date("card_expiry");
  }
  v.record_card = f.has("record_card") ? record_card(f) : "unknown";
  v.photo_j2k = f.base64("photo_j2k", 0, kPhoto);
}

void to_json(Json& j, const HoldingFormRequest& v) {
  j = {{"action", to_string(v.action)}};
}
void from_json(const Json& j, HoldingFormRequest& v) {
  const Fields f(j, "");
  v.action = f.enumeration("action", kHoldingActions);
}

void to_json(Json& j, const HoldingFormChange& v) {
  j = {{"holder_ref", v.holder_ref},
       {"holding_form", to_string(v.holding_form)},
       {"changed_at", v.changed_at}};
}
void from_json(const Json& j, HoldingFormChange& v) {
  const Fields f(j, "");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.holding_form = f.enumeration("holding_form", kHoldingForms);
  v.changed_at = f.instant("changed_at");
}
}  // namespace mk::center::api
