#include "devices/tools/card_json.hpp"

namespace mk::devices {

nlohmann::json to_json(const Basic4Info& info) {
  return {{"name", info.name},
          {"address", info.address},
          {"birth_date", info.birth_date.iso()},
          {"sex", to_string(info.sex)}};
}

nlohmann::json to_json(const std::vector<HeldClass>& classes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : classes) {
    out.push_back({{"class", c.id}, {"name", c.name}, {"since", c.since.iso()}});
  }
  return out;
}

nlohmann::json to_json(const DlEntries& e) {
  return {{"name", e.name},
          {"call_name", e.call_name},
          {"birth_date", e.birth_date.iso()},
          {"address", e.address},
          {"issue_date", e.issue_date.iso()},
          {"license_number", e.license_number},
          {"expiry", e.expiry.iso()},
          {"color", e.color},
          {"conditions", e.conditions},
          {"commission", e.commission},
          {"classes", to_json(e.classes)}};
}

nlohmann::json to_json(const LicenseReadout& r) {
  const char* state = "empty";
  switch (r.setting.state) {
    case profile::license_ap::RecordState::empty:
      state = "empty";
      break;
    case profile::license_ap::RecordState::writing:
      state = "writing";
      break;
    case profile::license_ap::RecordState::complete:
      state = "complete";
      break;
  }
  return {{"kind", r.record.kind == RecordKind::license ? "license" : "driving_history"},
          {"number", r.record.number},
          {"recorded_on", r.record.recorded_on.iso()},
          {"color", r.record.color},
          {"expiry", r.record.expiry.iso()},
          {"commission", r.record.commission},
          {"conditions", r.record.conditions},
          {"classes", to_json(r.record.classes)},
          {"history", r.record.history},
          {"record_state", state},
          {"photo_bytes", r.photo.size()},
          {"signature_valid", r.signature.valid()},
          {"signature", to_string(r.signature.verdict)},
          {"signature_detail", r.signature.detail}};
}

}  // namespace mk::devices
