#include "flows/identify/card_identification.hpp"

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/license_pin.hpp"
#include "flows/rules/pin_tries.hpp"

namespace mk::flows {

namespace {

namespace st {
using namespace identify_state;
using namespace ends;
}  // namespace st

constexpr int kBasic4PinTries = 3;

}  // namespace

void CardIdentification::declare(FlowDefinition& d, StateId next) {
  // id, card removed, cancel, idle, final, note, diagnostic code
  const std::vector<StateSpec> states = {
      {kFirst, kFirst, st::cancelled, st::cancelled, false, "a マイナ免許証"},
      {st::license_pin, st::card_pulled, st::cancelled, st::cancelled, false, "which licence"},
      {st::reading_license, st::card_pulled, st::reading_license, st::reading_license, false, ""},
      {st::basic4_pin, st::card_pulled, st::cancelled, st::cancelled, false, "who"},
      {st::reading_basic4, st::card_pulled, st::reading_basic4, st::reading_basic4, false, ""},
      {st::no_record, st::no_record, st::finished, st::finished, false, ""},
      {st::incomplete, st::incomplete, st::finished, st::finished, false,
       "the record flow finishes it"},
      {st::license_blocked, st::license_blocked, st::finished, st::finished, false,
       "R-LIC-PIN-LOCK", "MK-PIN-LOCKED-LICENSE"},
      {st::basic4_blocked, st::basic4_blocked, st::finished, st::finished, false, "",
       "MK-PIN-LOCKED-JPKI"},
      {st::wrong_card, st::wrong_card, st::cancelled, st::cancelled, false, "", "MK-CARD-WRONG"},
      {st::card_error, st::card_error, st::cancelled, st::cancelled, false, "",
       "MK-CARD-UNREADABLE"},
      {st::card_pulled, st::card_pulled, st::cancelled, st::cancelled, false, "", "MK-CARD-PULLED"},
  };
  d.states.insert(d.states.begin(), states.begin(), states.end());
  const std::vector<Transition> transitions = {
      {kFirst, "ready", st::license_pin},
      {kFirst, "no_license_ap", st::no_record},
      {kFirst, "record_unfinished", st::incomplete},
      {kFirst, "license_pin_locked", st::license_blocked},
      {kFirst, "basic4_pin_locked", st::basic4_blocked},
      {kFirst, "not_my_number_card", st::wrong_card},
      {kFirst, "unreadable", st::card_error},
      {st::license_pin, "pin_sent", st::reading_license},
      {st::license_pin, "pin_format", st::license_pin},  // nothing sent: the pad again, said why
      {st::reading_license, "record_read", st::basic4_pin},
      {st::reading_license, "record_unsigned", st::card_error},  // the signature does not hold
      {st::reading_license, "wrong_pin", st::license_pin},
      {st::reading_license, "pin_locked", st::license_blocked},
      {st::reading_license, "unreadable", st::card_error},
      {st::basic4_pin, "pin_sent", st::reading_basic4},
      {st::basic4_pin, "pin_format", st::basic4_pin},
      {st::reading_basic4, "card:read_basic4=ok", next},
      {st::reading_basic4, "wrong_pin", st::basic4_pin},
      {st::reading_basic4, "pin_locked", st::basic4_blocked},
      {st::reading_basic4, "unreadable", st::card_error},
      {st::no_record, "tap:done", st::finished},
      {st::incomplete, "tap:done", st::finished},
      {st::license_blocked, "tap:done", st::finished},
      {st::basic4_blocked, "tap:done", st::finished},
      {st::wrong_card, "tap:retry", kFirst},
      {st::card_error, "tap:retry", kFirst},
      {st::card_pulled, "tap:retry", kFirst},
  };
  d.transitions.insert(d.transitions.begin(), transitions.begin(), transitions.end());
  d.initial = kFirst;
}

CardIdentification::CardIdentification(std::string prefix,
                                       std::function<Effects(const std::string&)> show,
                                       bool keep_license_pin)
    : prefix_(std::move(prefix)), show_(std::move(show)), keep_license_pin_(keep_license_pin) {}

void CardIdentification::add_behaviours(std::map<std::string, StateBehaviour>& b) {
  for (const StateId id : {st::license_pin, st::basic4_pin, st::reading_license, st::reading_basic4,
                           st::no_record, st::incomplete, st::license_blocked, st::basic4_blocked,
                           st::wrong_card, st::card_error, st::card_pulled}) {
    b[id].enter = [this, id] { return show_(screen_of(prefix_, id)); };
  }
  b[kFirst] = {
      [this] {
        Effects e = show_(screen_of(prefix_, kFirst));
        e.emplace_back(CardRequest{card_ops::kProbeMyNumber, {}, {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::card ? after_probe(e) : Step{}; }};
  b[st::license_pin].handle = [this](Event& e) { return pin_entered(e, card_ops::kReadLicense); };
  b[st::basic4_pin].handle = [this](Event& e) { return pin_entered(e, card_ops::kReadBasic4); };
  b[st::reading_license].handle = [this](Event& e) {
    return e.kind == EventKind::card ? after_read_license(e) : Step{};
  };
  b[st::reading_basic4].handle = [this](Event& e) {
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
            Effects e = show_(screen_of(prefix_, st::looking_up));
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
