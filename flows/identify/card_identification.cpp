#include "flows/identify/card_identification.hpp"

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/license_pin.hpp"
#include "flows/rules/pin_tries.hpp"

namespace mk::flows {

namespace {

constexpr int kBasic4PinTries = 3;

}  // namespace

void CardIdentification::declare(FlowDefinition& d, const std::string& next) {
  // id, card removed, cancel, idle, final, note
  const std::vector<StateSpec> states = {
      {kFirst, kFirst, "cancelled", "cancelled", false, "a マイナ免許証"},
      {"license_pin", "card_pulled", "cancelled", "cancelled", false, "which licence"},
      {"reading_license", "card_pulled", "reading_license", "reading_license", false, ""},
      {"basic4_pin", "card_pulled", "cancelled", "cancelled", false, "who"},
      {"reading_basic4", "card_pulled", "reading_basic4", "reading_basic4", false, ""},
      {"no_record", "no_record", "finished", "finished", false, ""},
      {"incomplete", "incomplete", "finished", "finished", false, "the record flow finishes it"},
      {"license_blocked", "license_blocked", "finished", "finished", false, "R-LIC-PIN-LOCK"},
      {"basic4_blocked", "basic4_blocked", "finished", "finished", false, ""},
      {"wrong_card", "wrong_card", "cancelled", "cancelled", false, ""},
      {"card_error", "card_error", "cancelled", "cancelled", false, ""},
      {"card_pulled", "card_pulled", "cancelled", "cancelled", false, ""},
  };
  d.states.insert(d.states.begin(), states.begin(), states.end());
  const std::vector<Transition> transitions = {
      {kFirst, "ready", "license_pin"},
      {kFirst, "no_license_ap", "no_record"},
      {kFirst, "record_unfinished", "incomplete"},
      {kFirst, "license_pin_locked", "license_blocked"},
      {kFirst, "basic4_pin_locked", "basic4_blocked"},
      {kFirst, "not_my_number_card", "wrong_card"},
      {kFirst, "unreadable", "card_error"},
      {"license_pin", "pin_sent", "reading_license"},
      {"license_pin", "pin_format", "license_pin"},  // nothing sent: the pad again, said why
      {"reading_license", "record_read", "basic4_pin"},
      {"reading_license", "record_unsigned", "card_error"},  // the signature does not hold
      {"reading_license", "wrong_pin", "license_pin"},
      {"reading_license", "pin_locked", "license_blocked"},
      {"reading_license", "unreadable", "card_error"},
      {"basic4_pin", "pin_sent", "reading_basic4"},
      {"basic4_pin", "pin_format", "basic4_pin"},
      {"reading_basic4", "card:read_basic4=ok", next},
      {"reading_basic4", "wrong_pin", "basic4_pin"},
      {"reading_basic4", "pin_locked", "basic4_blocked"},
      {"reading_basic4", "unreadable", "card_error"},
      {"no_record", "tap:done", "finished"},
      {"incomplete", "tap:done", "finished"},
      {"license_blocked", "tap:done", "finished"},
      {"basic4_blocked", "tap:done", "finished"},
      {"wrong_card", "tap:retry", kFirst},
      {"card_error", "tap:retry", kFirst},
      {"card_pulled", "tap:retry", kFirst},
  };
  d.transitions.insert(d.transitions.begin(), transitions.begin(), transitions.end());
  d.initial = kFirst;
}

CardIdentification::CardIdentification(std::string prefix,
                                       std::function<Effects(const std::string&)> show,
                                       bool keep_license_pin)
    : prefix_(std::move(prefix)), show_(std::move(show)), keep_license_pin_(keep_license_pin) {}

void CardIdentification::add_behaviours(std::map<std::string, StateBehaviour>& b) {
  const auto screen = [this](const char* id) {
    return [this, id] { return show_(prefix_ + "." + id); };
  };
  for (const char* id :
       {"license_pin", "basic4_pin", "reading_license", "reading_basic4", "no_record", "incomplete",
        "license_blocked", "basic4_blocked", "wrong_card", "card_error", "card_pulled"}) {
    b[id].enter = screen(id);
  }
  b[kFirst] = {
      [this] {
        Effects e = show_(prefix_ + "." + kFirst);
        e.emplace_back(CardRequest{card_ops::kProbeMyNumber, {}, {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::card ? after_probe(e) : Step{}; }};
  b["license_pin"].handle = [this](Event& e) { return pin_entered(e, card_ops::kReadLicense); };
  b["basic4_pin"].handle = [this](Event& e) { return pin_entered(e, card_ops::kReadBasic4); };
  b["reading_license"].handle = [this](Event& e) {
    return e.kind == EventKind::card ? after_read_license(e) : Step{};
  };
  b["reading_basic4"].handle = [this](Event& e) {
    return e.kind == EventKind::card ? after_read_basic4(e) : Step{};
  };
}

Step CardIdentification::pin_entered(Event& e, const char* op) {
  if (e.label() != "tap:pin") {
    return {};
  }
  if (check_license_pin_format(e.secret.reveal()) != PinProblem::none) {
    problem_ = prefix_ + ".pin_format";  // four digits for both PINs: nothing sent
    return {"pin_format", {}};
  }
  problem_.clear();
  if (keep_license_pin_ && op == std::string(card_ops::kReadLicense)) {
    license_pin_ = base::SecretBytes(e.secret.reveal());  // reads the record back later
  }
  Effects effects;
  effects.emplace_back(CardRequest{op, {}, std::move(e.secret)});
  return {"pin_sent", std::move(effects)};
}

Step CardIdentification::after_probe(const Event& e) {
  if (e.outcome == card_ops::kNotMyNumberCard) {
    return {"not_my_number_card", {}};
  }
  const int basic4_tries = count_field(e.fields, "basic4_tries", kBasic4PinTries);
  if (e.outcome != card_ops::kOk || basic4_tries < 0) {
    return {"unreadable", {}};
  }
  if (field(e.fields, "has_license_ap") != "1") {
    return {"no_license_ap", {}};
  }
  if (field(e.fields, "record_state") != "02") {
    return {"record_unfinished", {}};
  }
  tries_ = count_field(e.fields, "license_tries", kLicensePinTries);
  if (tries_ < 0) {
    return {"unreadable", {}};
  }
  if (tries_left(tries_) == TriesLeft::none) {
    return {"license_pin_locked", {}};
  }
  if (tries_left(basic4_tries) == TriesLeft::none) {
    return {"basic4_pin_locked", {}};
  }
  if (before_pins_) {
    if (std::string elsewhere = before_pins_(e.fields); !elsewhere.empty()) {
      return {std::move(elsewhere), {}};
    }
  }
  card_id_ = field(e.fields, "card_id");
  basic4_tries_ = basic4_tries;
  problem_.clear();
  return {"ready", {}};
}

Step CardIdentification::after_read_license(Event& e) {
  if (e.outcome == card_ops::kOk) {
    if (field(e.fields, "signature") != "valid") {
      license_pin_.clear();
      return {"record_unsigned", {}};  // a record that does not prove itself changes nothing
    }
    license_ = std::move(e.fields);
    tries_ = basic4_tries_;
    problem_.clear();
    return {"record_read", {}};
  }
  license_pin_.clear();  // not the PIN, or not read: nothing to read back with
  if (e.outcome == card_ops::kWrongPin) {
    tries_ = count_field(e.fields, "tries", kLicensePinTries);
    problem_ = prefix_ + ".pin_wrong";
    return {wrong_pin_outcome(tries_), {}};
  }
  return {e.outcome == card_ops::kBlocked ? "pin_locked" : "unreadable", {}};
}

Step CardIdentification::after_read_basic4(Event& e) {
  if (e.outcome == card_ops::kOk) {
    basic4_ = std::move(e.fields);
    return {};  // the table's edge to the flow's next state
  }
  if (e.outcome == card_ops::kWrongPin) {
    tries_ = count_field(e.fields, "tries", kBasic4PinTries);
    problem_ = prefix_ + ".pin_wrong";
    return {wrong_pin_outcome(tries_), {}};
  }
  return {e.outcome == card_ops::kBlocked ? "pin_locked" : "unreadable", {}};
}

void CardIdentification::pin_screen(ViewModel& vm) const {
  vm.kind = ScreenKind::pin_entry;
  vm.pin_pad = PinPadView{.submit_action = "pin", .min_length = 4, .max_length = 4};
  vm.texts["tries"] = {prefix_ + ".tries_left", {{"tries", std::to_string(tries_)}}};
  if (!problem_.empty()) {
    vm.texts["problem"] = {problem_, {}};
  }
  vm.actions.push_back({"cancel", {"common.cancel", {}}, ActionStyle::back, true, {}});
}

CenterRequest CardIdentification::lookup_request() const {
  return CenterRequest{center_ops::kLookupHolder,
                       {{"license_number", field(license_, "number")},
                        {"birth_date", field(basic4_, "birth_date")},
                        {"name", field(basic4_, "name")},
                        {"address", field(basic4_, "address")},
                        {"card_id", card_id_}},
                       {},
                       {}};
}

StateBehaviour CardIdentification::looking_up(std::function<Step(Event&)> after) const {
  return {[this] {
            Effects e = show_(prefix_ + ".looking_up");
            e.emplace_back(lookup_request());
            return e;
          },
          [after = std::move(after)](Event& e) -> Step {
            return e.kind == EventKind::center ? after(e) : Step{};
          }};
}

void CardIdentification::wipe() {
  license_pin_.clear();
  flows::wipe(license_);
  flows::wipe(basic4_);
  flows::wipe(card_id_);
  problem_.clear();
  tries_ = 0;
  basic4_tries_ = 0;
}

}  // namespace mk::flows
