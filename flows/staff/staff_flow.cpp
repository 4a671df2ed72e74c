#include "flows/staff/staff_flow.hpp"

#include <algorithm>

#include "flows/center_ops.hpp"
#include "flows/rules/staff_sign_in.hpp"

namespace mk::flows {

namespace {

namespace st {
constexpr StateId enter_id{"enter_id"};
constexpr StateId enter_pin{"enter_pin"};
constexpr StateId checking{"checking"};
constexpr StateId refused{"refused"};
constexpr StateId locked{"locked"};
constexpr StateId center_away{"center_away"};
constexpr StateId desk{"desk"};
constexpr StateId closed{"closed"};          // nobody signed in
constexpr StateId signed_out{"signed_out"};  // the member signed in has left the desk
}  // namespace st

}  // namespace

const FlowDefinition& StaffFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "staff";
    d.initial = st::enter_id;
    // No card is the staff layer's: a card placed or taken belongs to the person's procedure
    // under it, so card-removed stays where it is.
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::enter_id, st::enter_id, st::closed, st::closed, false, "masked pad"},
        {st::enter_pin, st::enter_pin, st::closed, st::closed, false, "masked pad"},
        {st::checking, st::checking, st::closed, st::closed, false,
         "the centre, else the kiosk's copy of its verifiers"},
        {st::refused, st::refused, st::closed, st::closed, false, "ID and PIN not told apart"},
        {st::locked, st::locked, st::closed, st::closed, false, "5 wrong PINs in a row",
         "MK-STAFF-LOCKED"},
        {st::center_away, st::center_away, st::closed, st::closed, false,
         "no copy to check against", "MK-CENTER-UNREACHABLE"},
        {st::desk, st::desk, st::signed_out, st::signed_out, false, "signed in; idle timer"},
        {st::closed, "", "", "", true, ""},
        {st::signed_out, "", "", "", true, ""},
    };
    d.transitions = {
        {st::enter_id, "id_typed", st::enter_pin},      {st::enter_pin, "pin_typed", st::checking},
        {st::enter_pin, "tap:back", st::enter_id},      {st::checking, "signed_in", st::desk},
        {st::checking, "refused", st::refused},         {st::checking, "locked", st::locked},
        {st::checking, "center_away", st::center_away}, {st::refused, "tap:retry", st::enter_id},
        {st::refused, "tap:close", st::closed},         {st::locked, "tap:close", st::closed},
        {st::center_away, "tap:retry", st::enter_id},   {st::center_away, "tap:close", st::closed},
        {st::desk, "signed_out", st::signed_out},
    };
    d.validate();
    return d;
  }();
  return def;
}

StaffFlow::StaffFlow(Language language, int idle_ms)
    : language_(language),
      idle_ms_(idle_ms),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> StaffFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  for (const StateId id :
       {st::enter_id, st::enter_pin, st::checking, st::refused, st::locked, st::center_away}) {
    b[id].enter = [this, id] { return show(id); };
  }
  b[st::enter_id].enter = [this] {
    flows::wipe(staff_id_);
    return show(st::enter_id);
  };
  b[st::enter_id].handle = [this](Event& e) -> Step {
    if (e.kind != EventKind::intent || e.name != "staff_id") {
      return {};
    }
    staff_id_ = std::string(e.secret.reveal());
    return {"id_typed", {}};
  };
  b[st::enter_pin].handle = [this](Event& e) -> Step {
    if (e.kind != EventKind::intent || e.name != "staff_pin") {
      return {};
    }
    Effects effects;
    effects.emplace_back(CenterRequest{
        center_ops::kStaffSignIn, {{"staff_id", staff_id_}}, std::move(e.secret), {}});
    return {"pin_typed", std::move(effects)};
  };
  b[st::checking].handle = [this](Event& e) -> Step {
    return e.kind == EventKind::center ? after_check(e) : Step{};
  };
  b[st::desk] = {[this] {
                   Effects e = show(st::desk);
                   e.emplace_back(StartTimer{kIdleTimer, idle_ms_});
                   return e;
                 },
                 [this](Event& e) { return at_desk(e); }};
  return b;
}

AuditEntry StaffFlow::audit(std::string action, std::string result, std::string detail) const {
  return AuditEntry{std::move(action), std::move(result), std::move(detail), "staff:" + staff_id_};
}

Step StaffFlow::after_check(Event& e) {
  Effects effects;
  if (e.outcome == "ok") {
    role_ = field(e.fields, "role");
    checked_by_ = field(e.fields, "checked_by");
    effects.emplace_back(audit(
        "staff.sign_in", "ok",
        checked_by_ == "kiosk" ? "checked against this kiosk's copy" : "checked by the centre"));
    return {"signed_in", std::move(effects)};
  }
  if (e.outcome == "staff_sign_in_refused") {
    effects.emplace_back(audit("staff.sign_in", "refused"));
    return {"refused", std::move(effects)};
  }
  if (e.outcome == "staff_locked") {
    effects.emplace_back(audit("staff.sign_in", "locked"));
    return {"locked", std::move(effects)};
  }
  return {"center_away", {}};
}

Step StaffFlow::at_desk(Event& e) {
  const bool leaves =
      e.kind == EventKind::cancel || (e.kind == EventKind::intent && e.name == "sign_out");
  const bool idle =
      e.kind == EventKind::idle_timeout || (e.kind == EventKind::timer && e.name == kIdleTimer);
  if (leaves || idle) {
    Effects effects;
    effects.emplace_back(audit("staff.sign_out", idle ? "idle" : "ok"));
    return {"signed_out", std::move(effects)};
  }
  if (e.kind == EventKind::intent) {
    // A touch at the desk: the idle timeout starts again.
    Effects effects;
    effects.emplace_back(StartTimer{kIdleTimer, idle_ms_});
    return stay(std::move(effects));
  }
  return stay();
}

ViewModel StaffFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  const std::string id = state_of(screen);
  vm.texts["title"] = {screen + ".title", {}};
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style) {
    vm.actions.push_back({action_id, {key, {}}, style, true, {}});
  };
  if (id == st::checking) {
    vm.kind = ScreenKind::progress;
    return vm;
  }
  vm.texts["body"] = {screen + ".body", {}};
  if (id == st::enter_id || id == st::enter_pin) {
    vm.kind = ScreenKind::pin_entry;
    const bool pin = id == st::enter_pin;
    vm.pin_pad = PinPadView{.submit_action = pin ? "staff_pin" : "staff_id",
                            .min_length = pin ? kStaffPinMin : kStaffIdMin,
                            .max_length = pin ? kStaffPinMax : kStaffIdMax};
    action(pin ? "back" : "cancel", pin ? "common.back" : "common.cancel", ActionStyle::back);
  } else if (id == st::desk) {
    vm.kind = ScreenKind::message;
    // The ID's last two digits only: enough for staff to see it is theirs, not for the person
    // beside them to learn it.
    const size_t shown = std::min<size_t>(2, staff_id_.size());
    vm.texts["body"] = {"staff.desk.body",
                        {{"id_end", staff_id_.substr(staff_id_.size() - shown)}}};
    vm.details.push_back(
        {role_ == "supervisor" ? "staff.desk.role_supervisor" : "staff.desk.role_staff", {}});
    if (checked_by_ == "kiosk") {
      vm.details.push_back({"staff.desk.checked_by_kiosk", {}});
    }
    action("sign_out", "staff.sign_out", ActionStyle::primary);
  } else if (id == st::refused || id == st::center_away) {
    vm.kind = ScreenKind::error;
    action("close", "staff.close", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else {
    vm.kind = ScreenKind::error;  // locked
    action("close", "staff.close", ActionStyle::primary);
  }
  return vm;
}

void StaffFlow::wipe() {
  flows::wipe(staff_id_);
  flows::wipe(role_);
  flows::wipe(checked_by_);
}

}  // namespace mk::flows
