#include "flows/license_pin/new_license_pin.hpp"

#include "flows/rules/license_pin.hpp"

namespace mk::flows {

namespace {

namespace st = new_pin_state;

}  // namespace

void NewLicensePin::declare(FlowDefinition& d, const Targets& t) {
  d.states.push_back({st::new_pin, t.card_removed, t.cancel, t.cancel, false, "R-LIC-PIN"});
  d.states.push_back({st::confirm_pin, t.card_removed, t.cancel, t.cancel, false, ""});
  d.states.push_back(
      {st::pin_warning, t.card_removed, t.cancel, t.cancel, false, "all same / sequence"});
  const std::vector<Transition> add = {
      {st::new_pin, "pin_chosen", st::confirm_pin},
      {st::new_pin, "pin_format", st::new_pin},  // not 4 digits: the pad again, said why
      {st::confirm_pin, "pin_confirmed", t.next},
      {st::confirm_pin, "easy_to_guess", st::pin_warning},
      {st::confirm_pin, "pins_differ", st::new_pin},
      {st::pin_warning, "tap:keep", t.next},
      {st::pin_warning, "tap:change", st::new_pin},
  };
  d.transitions.insert(d.transitions.end(), add.begin(), add.end());
}

NewLicensePin::NewLicensePin(std::string prefix, std::function<Effects(const std::string&)> show)
    : prefix_(std::move(prefix)), show_(std::move(show)) {}

void NewLicensePin::add_behaviours(std::map<std::string, StateBehaviour>& b) {
  b[st::new_pin] = {[this] {
                      pin_.clear();  // a new choice (again, after "choose another")
                      return show_(screen_of(prefix_, st::new_pin));
                    },
                    [this](Event& e) { return after_new_pin(e); }};
  b[st::confirm_pin] = {[this] { return show_(screen_of(prefix_, st::confirm_pin)); },
                        [this](Event& e) { return after_confirm_pin(e); }};
  b[st::pin_warning] = {[this] { return show_(screen_of(prefix_, st::pin_warning)); }, {}};
}

Step NewLicensePin::after_new_pin(Event& e) {
  if (e.label() != "tap:pin") {
    return {};
  }
  if (check_license_pin_format(e.secret.reveal()) != PinProblem::none) {
    problem_ = "license_pin.format";
    return {"pin_format", {}};
  }
  problem_.clear();
  pin_ = std::move(e.secret);
  return {"pin_chosen", {}};
}

Step NewLicensePin::after_confirm_pin(Event& e) {
  if (e.label() != "tap:pin") {
    return {};
  }
  if (check_license_pin_pair(pin_.reveal(), e.secret.reveal()) != PinProblem::none) {
    pin_.clear();
    problem_ = "license_pin.mismatch";
    return {"pins_differ", {}};
  }
  problem_.clear();
  const PinWarning w = license_pin_warning(pin_.reveal());
  if (w != PinWarning::none) {
    warning_ =
        w == PinWarning::all_same ? "license_pin.warning.all_same" : "license_pin.warning.sequence";
    return {"easy_to_guess", {}};
  }
  return {"pin_confirmed", {}};
}

bool NewLicensePin::screen(ViewModel& vm, const std::string& id) const {
  if (id == st::new_pin || id == st::confirm_pin) {
    vm.pin_pad = PinPadView{
        .submit_action = "pin", .min_length = kLicensePinDigits, .max_length = kLicensePinDigits};
    vm.kind = ScreenKind::pin_entry;
    if (!problem_.empty()) {
      vm.texts["problem"] = {problem_, {}};
    }
    vm.actions.push_back({"cancel", {"common.cancel", {}}, ActionStyle::back, true, {}});
    return true;
  }
  if (id == st::pin_warning) {
    vm.texts["body"] = {warning_, {}};
    vm.actions.push_back({"change", {"license_pin.change", {}}, ActionStyle::secondary, true, {}});
    vm.actions.push_back({"keep", {"license_pin.keep", {}}, ActionStyle::primary, true, {}});
    return true;
  }
  return false;
}

void NewLicensePin::wipe() {
  pin_.clear();
  problem_.clear();
  warning_.clear();
}

}  // namespace mk::flows
