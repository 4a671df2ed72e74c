#include "flows/one_stop/one_stop_cancel_flow.hpp"

#include "flows/center_ops.hpp"
#include "flows/one_stop/one_stop_flow.hpp"

namespace mk::flows {

const FlowDefinition& OneStopCancelFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "one_stop_cancel";
    // id, card removed, cancel, idle, final, note
    d.states = {
        {"looking_up", "looking_up", "cancelled", "cancelled", false, "centre record"},
        {"center_unavailable", "center_unavailable", "cancelled", "cancelled", false, ""},
        {"not_found", "not_found", "finished", "finished", false, ""},
        {"confirm_cancel", "confirm_cancel", "cancelled", "cancelled", false, "R-OS-CANCEL"},
        {"cancelling", "cancelling", "cancelling", "cancelling", false, ""},
        {"cancel_unavailable", "cancel_unavailable", "cancelled", "cancelled", false,
         "nothing cancelled"},
        {"done", "done", "finished", "finished", false, "the centre's answer"},
        {"no_consent", "no_consent", "finished", "finished", false, ""},
        {"cancel_failed", "cancel_failed", "finished", "finished", false, "staff"},
        {"finished", "", "", "", true, ""},
        {"cancelled", "", "", "", true, ""},
    };
    d.transitions = {
        {"looking_up", "found", "confirm_cancel"},
        {"looking_up", "not_recorded_on_this_card", "not_found"},
        {"looking_up", "holder_unknown", "not_found"},
        {"looking_up", "center_away", "center_unavailable"},
        {"center_unavailable", "tap:retry", "looking_up"},
        {"confirm_cancel", "tap:confirm", "cancelling"},
        {"cancelling", "center:cancel_consent=ok", "done"},
        {"cancelling", "center:cancel_consent=consent_not_found", "no_consent"},
        {"cancelling", "center:cancel_consent=unavailable", "cancel_unavailable"},
        {"cancelling", "center:cancel_consent=*", "cancel_failed"},
        {"cancel_unavailable", "tap:retry", "cancelling"},
        {"not_found", "tap:done", "finished"},
        {"done", "tap:done", "finished"},
        {"no_consent", "tap:done", "finished"},
        {"cancel_failed", "tap:done", "finished"},
    };
    CardIdentification::declare(d, "looking_up");
    d.validate();
    return d;
  }();
  return def;
}

OneStopCancelFlow::OneStopCancelFlow(Language language)
    : language_(language),
      ident_(
          "one_stop_cancel", [this](const std::string& screen) { return show(screen); }, false),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> OneStopCancelFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  for (const char* id : {"center_unavailable", "not_found", "confirm_cancel", "cancel_unavailable",
                         "done", "no_consent", "cancel_failed"}) {
    b[id].enter = [this, id] { return show(std::string("one_stop_cancel.") + id); };
  }
  ident_.add_behaviours(b);
  b["looking_up"] = ident_.looking_up([this](Event& e) { return after_lookup(e); });
  b["cancelling"] = {
      [this] {
        Effects e = show("one_stop_cancel.cancelling");
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

Effects OneStopCancelFlow::show(const std::string& screen) const {
  Effects e;
  e.emplace_back(ShowView{view(screen)});
  return e;
}

ViewModel OneStopCancelFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  const std::string id = screen.substr(screen.find('.') + 1);
  vm.texts["title"] = {screen + ".title", {}};
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style) {
    vm.actions.push_back({action_id, {key, {}}, style, true, {}});
  };
  if (id == "reading_license" || id == "reading_basic4" || id == "looking_up" ||
      id == "cancelling") {
    vm.kind = ScreenKind::progress;
    return vm;
  }
  vm.texts["body"] = {screen + ".body", {}};
  if (id == "license_pin" || id == "basic4_pin") {
    ident_.pin_screen(vm);
  } else if (id == "place_card") {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == "confirm_cancel") {
    vm.kind = ScreenKind::confirm_data;
    action("cancel", "common.cancel", ActionStyle::back);
    action("confirm", "one_stop_cancel.confirm", ActionStyle::primary);
  } else if (id == "done") {
    vm.kind = ScreenKind::result;
    vm.details = consent_item_lines(field(consent_, "items"));
    action("done", "common.done", ActionStyle::primary);
  } else if (id == "center_unavailable" || id == "cancel_unavailable" || id == "wrong_card" ||
             id == "card_error" || id == "card_pulled") {
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
