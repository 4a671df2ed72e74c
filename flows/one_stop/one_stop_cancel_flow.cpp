#include "flows/one_stop/one_stop_cancel_flow.hpp"

#include "flows/center_ops.hpp"
#include "flows/one_stop/one_stop_flow.hpp"

namespace mk::flows {

namespace {

namespace st {
using namespace identify_state;
using namespace ends;
constexpr StateId center_unavailable{"center_unavailable"};
constexpr StateId not_found{"not_found"};
constexpr StateId confirm_cancel{"confirm_cancel"};
constexpr StateId cancelling{"cancelling"};
constexpr StateId cancel_unavailable{"cancel_unavailable"};
constexpr StateId done{"done"};
constexpr StateId no_consent{"no_consent"};
constexpr StateId cancel_failed{"cancel_failed"};
}  // namespace st

}  // namespace

const FlowDefinition& OneStopCancelFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "one_stop_cancel";
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::looking_up, st::looking_up, st::cancelled, st::cancelled, false, "centre record"},
        {st::center_unavailable, st::center_unavailable, st::cancelled, st::cancelled, false, "",
         "MK-CENTER-UNREACHABLE"},
        {st::not_found, st::not_found, st::finished, st::finished, false, ""},
        {st::confirm_cancel, st::confirm_cancel, st::cancelled, st::cancelled, false,
         "R-OS-CANCEL"},
        {st::cancelling, st::cancelling, st::cancelling, st::cancelling, false, ""},
        {st::cancel_unavailable, st::cancel_unavailable, st::cancelled, st::cancelled, false,
         "nothing cancelled", "MK-CENTER-UNREACHABLE"},
        {st::done, st::done, st::finished, st::finished, false, "the centre's answer"},
        {st::no_consent, st::no_consent, st::finished, st::finished, false, ""},
        {st::cancel_failed, st::cancel_failed, st::finished, st::finished, false, "staff",
         "MK-CENTER-REFUSED"},
        {st::finished, "", "", "", true, ""},
        {st::cancelled, "", "", "", true, ""},
    };
    d.transitions = {
        {st::looking_up, "found", st::confirm_cancel},
        {st::looking_up, "not_recorded_on_this_card", st::not_found},
        {st::looking_up, "holder_unknown", st::not_found},
        {st::looking_up, "center_away", st::center_unavailable},
        {st::center_unavailable, "tap:retry", st::looking_up},
        {st::confirm_cancel, "tap:confirm", st::cancelling},
        {st::cancelling, "center:cancel_consent=ok", st::done},
        {st::cancelling, "center:cancel_consent=consent_not_found", st::no_consent},
        {st::cancelling, "center:cancel_consent=unavailable", st::cancel_unavailable},
        {st::cancelling, "center:cancel_consent=*", st::cancel_failed},
        {st::cancel_unavailable, "tap:retry", st::cancelling},
        {st::not_found, "tap:done", st::finished},
        {st::done, "tap:done", st::finished},
        {st::no_consent, "tap:done", st::finished},
        {st::cancel_failed, "tap:done", st::finished},
    };
    CardIdentification::declare(d, st::looking_up);
    d.validate();
    return d;
  }();
  return def;
}

OneStopCancelFlow::OneStopCancelFlow(Language language)
    : language_(language),
      ident_(
          kScreens, [this](const std::string& screen) { return show(screen); }, false),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> OneStopCancelFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  for (const StateId id : {st::center_unavailable, st::not_found, st::confirm_cancel,
                           st::cancel_unavailable, st::done, st::no_consent, st::cancel_failed}) {
    b[id].enter = [this, id] { return show(id); };
  }
  ident_.add_behaviours(b);
  b[st::looking_up] = ident_.looking_up([this](Event& e) { return after_lookup(e); });
  b[st::cancelling] = {
      [this] {
        Effects e = show(st::cancelling);
        e.emplace_back(
            CenterRequest{center_ops::kCancelConsent, {{"holder_ref", holder_ref_}}, {}, {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_cancel(e) : Step{}; }};
  return b;
}

Step OneStopCancelFlow::after_lookup(Event& e) {
  if (e.outcome == "holder_not_found" || e.outcome == "holder_mismatch") {
    return {"holder_unknown", {}};
  }
  if (e.outcome != "ok") {
    return {"center_away", {}};
  }
  holder_ref_ = field(e.fields, "holder_ref");
  const bool here = field(e.fields, "license_ap_recorded") == "1" &&
                    field(e.fields, "record_card") != "another" && !holder_ref_.empty();
  flows::wipe(e.fields);
  return {here ? "found" : "not_recorded_on_this_card", {}};
}

Step OneStopCancelFlow::after_cancel(Event& e) {
  Effects effects;
  if (e.outcome == "ok") {
    consent_ = std::move(e.fields);
    effects.emplace_back(AuditEntry{"one_stop.cancel", "cancelled", field(consent_, "items")});
  } else if (e.outcome != "consent_not_found" && e.outcome != center_ops::kUnavailable) {
    effects.emplace_back(AuditEntry{"one_stop.cancel", "refused", e.outcome});
  }
  return {"", std::move(effects)};  // the table's edge for the centre's answer
}

ViewModel OneStopCancelFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  const std::string id = state_of(screen);
  vm.texts["title"] = {screen + ".title", {}};
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style) {
    vm.actions.push_back({action_id, {key, {}}, style, true, {}});
  };
  if (id == st::reading_license || id == st::reading_basic4 || id == st::looking_up ||
      id == st::cancelling) {
    vm.kind = ScreenKind::progress;
    return vm;
  }
  vm.texts["body"] = {screen + ".body", {}};
  if (id == st::license_pin || id == st::basic4_pin) {
    ident_.pin_screen(vm);
  } else if (id == st::place_card) {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == st::confirm_cancel) {
    vm.kind = ScreenKind::confirm_data;
    action("cancel", "common.cancel", ActionStyle::back);
    action("confirm", "one_stop_cancel.confirm", ActionStyle::primary);
  } else if (id == st::done) {
    vm.kind = ScreenKind::result;
    vm.details = consent_item_lines(field(consent_, "items"));
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::center_unavailable || id == st::cancel_unavailable || id == st::wrong_card ||
             id == st::card_error || id == st::card_pulled) {
    vm.kind = ScreenKind::error;
    action("cancel", "common.cancel", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else {
    vm.kind = ScreenKind::error;  // not found, no consent, blocked, ...
    action("done", "common.done", ActionStyle::primary);
  }
  return vm;
}

void OneStopCancelFlow::wipe() {
  ident_.wipe();
  flows::wipe(holder_ref_);
  flows::wipe(consent_);
}

}  // namespace mk::flows
