// JSON of the issuer sessions and their phases (issuer_session.hpp).
#include "center/api/issuer_session.hpp"

#include <algorithm>

#include "base/hex.hpp"
#include "center/api/json_fields.hpp"

namespace mk::center::api {

using detail::Fields;
using detail::kApdu;
using detail::kHoldingForms;
using detail::kOperations;
using detail::kPhases;
using detail::kShort;
using detail::name_of;
using detail::optional_card_id;
using detail::put_card_id;

namespace {

std::string status_hex(uint16_t sw) {
  const uint8_t b[2] = {static_cast<uint8_t>(sw >> 8), static_cast<uint8_t>(sw)};
  return base::to_hex(b);
}

}  // namespace

std::string_view to_string(IssuerOperation v) {
  return name_of(v, kOperations);
}
std::string_view to_string(PhaseName v) {
  return name_of(v, kPhases);
}

void to_json(Json& j, const IssuerSessionRequest& v) {
  j = {{"operation", to_string(v.operation)}, {"holder_ref", v.holder_ref}, {"resume", v.resume}};
  if (v.holding_form) {
    j["holding_form"] = to_string(*v.holding_form);
  }
  if (v.replace_card) {
    j["replace_card"] = true;
  }
  put_card_id(j, v.card_id);
  if (v.new_pin) {
    const auto b = v.new_pin->bytes();
    j["new_pin"] = std::string(b.begin(), b.end());
  }
}
void from_json(const Json& j, IssuerSessionRequest& v) {
  const Fields f(j, "");
  v.operation = f.enumeration("operation", kOperations);
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.resume = f.boolean_or("resume", false);
  v.replace_card = f.boolean_or("replace_card", false);
  v.card_id = optional_card_id(f);
  if (v.replace_card && v.operation != IssuerOperation::record) {
    throw WireError("replace_card", "is only for record");
  }
  v.holding_form.reset();
  if (f.has("holding_form")) {
    if (v.operation != IssuerOperation::record) {
      throw WireError("holding_form", "is only for record");
    }
    v.holding_form = f.enumeration("holding_form", kHoldingForms);
    if (*v.holding_form == HoldingForm::conventional_only) {
      throw WireError("holding_form", "cannot be conventional_only for a record");
    }
  }
  v.new_pin.reset();
  if (v.operation == IssuerOperation::erase || v.operation == IssuerOperation::rewrite) {
    if (f.has("new_pin")) {
      throw WireError("new_pin", "is not allowed for delete or rewrite");
    }
    return;
  }
  const Json& pin = f.member("new_pin");
  // Checked without copying the value into a message or a temporary string.
  const bool ok = pin.is_string() && pin.get_ref<const std::string&>().size() == 4 &&
                  std::all_of(pin.get_ref<const std::string&>().begin(),
                              pin.get_ref<const std::string&>().end(),
                              [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) {
    throw WireError("new_pin", "is not 4 digits");
  }
  v.new_pin.emplace(std::string_view(pin.get_ref<const std::string&>()));
}

void to_json(Json& j, const PhaseStart& v) {
  j = {{"phase", to_string(v.phase)},
       {"aid", base::to_hex(v.aid)},
       {"host_challenge", base::to_hex(v.host_challenge)},
       {"select", base::to_hex(v.select)},
       {"initialize_update", base::to_hex(v.initialize_update)}};
}
void from_json(const Json& j, PhaseStart& v) {
  const Fields f(j, "");
  v.phase = f.enumeration("phase", kPhases);
  v.aid = f.hex("aid", 5, 16);
  v.host_challenge = f.hex("host_challenge", 8, 8);
  v.select = f.hex("select", 4, kApdu);
  v.initialize_update = f.hex("initialize_update", 4, kApdu);
}

void to_json(Json& j, const IssuerSession& v) {
  j = {{"session_id", v.session_id}, {"operation", to_string(v.operation)}, {"next", v.next}};
}
void from_json(const Json& j, IssuerSession& v) {
  const Fields f(j, "");
  v.session_id = f.text("session_id", 1, kShort);
  v.operation = f.enumeration("operation", kOperations);
  v.next = Fields::read_at<PhaseStart>(f.member("next"), "next");
}

void to_json(Json& j, const PhaseOpenRequest& v) {
  j = {{"init_update_answer", base::to_hex(v.init_update_answer)}};
}
void from_json(const Json& j, PhaseOpenRequest& v) {
  const Fields f(j, "");
  v.init_update_answer = f.hex("init_update_answer", 29, 31);
}

void to_json(Json& j, const PhaseCommands& v) {
  Json list = Json::array();
  for (const auto& c : v.commands) {
    list.push_back(base::to_hex(c));
  }
  j = {{"phase", to_string(v.phase)}, {"commands", list}};
}
void from_json(const Json& j, PhaseCommands& v) {
  const Fields f(j, "");
  v.phase = f.enumeration("phase", kPhases);
  v.commands = f.hex_list("commands", 256, kApdu);
}

void to_json(Json& j, const PhaseAnswersRequest& v) {
  Json list = Json::array();
  for (const auto& a : v.answers) {
    list.push_back(base::to_hex(a));
  }
  j = {{"answers", list}};
}
void from_json(const Json& j, PhaseAnswersRequest& v) {
  const Fields f(j, "");
  v.answers = f.hex_list("answers", 256, 258);
  for (size_t i = 0; i < v.answers.size(); ++i) {
    if (v.answers[i].size() < 2) {
      throw WireError("answers[" + std::to_string(i) + "]", "has no status word");
    }
  }
}

void to_json(Json& j, const PhaseVerdict& v) {
  j = {{"complete", v.complete},
       {"accepted", v.accepted},
       {"status", v.status == 0 ? std::string() : status_hex(v.status)},
       {"done", v.done}};
  if (v.next) {
    j["next"] = *v.next;
  }
}
void from_json(const Json& j, PhaseVerdict& v) {
  const Fields f(j, "");
  v.complete = f.boolean("complete");
  v.accepted = static_cast<uint64_t>(f.integer("accepted", 0, 256));
  const std::string status = f.text("status", 0, 4);
  if (status.empty()) {
    v.status = 0;
  } else {
    const Bytes sw = from_hex(status, "status");
    if (sw.size() != 2) {
      throw WireError("status", "is not 4 hex digits");
    }
    v.status = static_cast<uint16_t>(sw[0] << 8 | sw[1]);
  }
  v.done = f.boolean("done");
  v.next.reset();
  if (f.has("next")) {
    v.next = Fields::read_at<PhaseStart>(f.member("next"), "next");
  }
}
}  // namespace mk::center::api
