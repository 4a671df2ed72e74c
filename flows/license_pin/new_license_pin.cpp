#include "flows/license_pin/new_license_pin.hpp"

#include "flows/rules/license_pin.hpp"

namespace mk::flows {

void NewLicensePin::declare(FlowDefinition& d, const Targets& t) {
  d.states.push_back({"new_pin", t.card_removed, t.cancel, t.cancel, false, "R-LIC-PIN"});
  d.states.push_back({"confirm_pin", t.card_removed, t.cancel, t.cancel, false, ""});
  d.states.push_back(
      {"pin_warning", t.card_removed, t.cancel, t.cancel, false, "all same / sequence"});
  d.transitions.push_back({"new_pin", "tap:pin", "confirm_pin"});
  d.transitions.push_back({"new_pin", "tap:pin", "new_pin"});
  d.transitions.push_back({"confirm_pin", "tap:pin", t.next});
  d.transitions.push_back({"confirm_pin", "tap:pin", "pin_warning"});
  d.transitions.push_back({"confirm_pin", "tap:pin", "new_pin"});
  d.transitions.push_back({"pin_warning", "tap:keep", t.next});
  d.transitions.push_back({"pin_warning", "tap:change", "new_pin"});
}

NewLicensePin::NewLicensePin(std::string prefix, std::string next,
                             std::function<Effects(const std::string&)> show)
    : prefix_(std::move(prefix)), next_(std::move(next)), show_(std::move(show)) {}

void NewLicensePin::add_behaviours(std::map<std::string, StateBehaviour>& b) {
  b["new_pin"] = {[this] {
                    pin_.clear();  // a new choice (again, after "choose another")
                    return show_(prefix_ + ".new_pin");
                  },
                  [this](Event& e) { return after_new_pin(e); }};
  b["confirm_pin"] = {[this] { return show_(prefix_ + ".confirm_pin"); },
                      [this](Event& e) { return after_confirm_pin(e); }};
  b["pin_warning"] = {[this] { return show_(prefix_ + ".pin_warning"); }, {}};
}

Step NewLicensePin::after_new_pin(Event& e) {
  if (e.label() != "tap:pin") {
    return {};
  }
  if (check_license_pin_format(e.secret.reveal()) != PinProblem::none) {
    problem_ = "license_pin.format";
    return {"new_pin", {}};
  }
  problem_.clear();
  pin_ = std::move(e.secret);
  return {"confirm_pin", {}};
}

Step NewLicensePin::after_confirm_pin(Event& e) {
  if (e.label() != "tap:pin") {
    return {};
  }
  if (check_license_pin_pair(pin_.reveal(), e.secret.reveal()) != PinProblem::none) {
    pin_.clear();
    problem_ = "license_pin.mismatch";
    return {"new_pin", {}};
  }
  problem_.clear();
  const PinWarning w = license_pin_warning(pin_.reveal());
  if (w != PinWarning::none) {
    warning_ =
        w == PinWarning::all_same ? "license_pin.warning.all_same" : "license_pin.warning.sequence";
    return {"pin_warning", {}};
  }
  return {next_, {}};
}

bool NewLicensePin::screen(ViewModel& vm, const std::string& id) const {
  if (id == "new_pin" || id == "confirm_pin") {
    vm.pin_pad = PinPadView{
        .submit_action = "pin", .min_length = kLicensePinDigits, .max_length = kLicensePinDigits};
    vm.kind = ScreenKind::pin_entry;
    if (!problem_.empty()) {
      vm.texts["problem"] = {problem_, {}};
    }
    vm.actions.push_back({"cancel", {"common.cancel", {}}, ActionStyle::back, true, {}});
    return true;
  }
  if (id == "pin_warning") {
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
