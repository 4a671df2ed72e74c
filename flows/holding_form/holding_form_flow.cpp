#include "flows/holding_form/holding_form_flow.hpp"

#include <set>

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"

namespace mk::flows {

namespace {

const IssuerRelay::Targets kRelayTargets = {
    "erase_interrupted",  // a pulled card: look at it again before anything else
    "erase_probe",        // a refused step: look at the card, delete again
    "erase_failed",
    "erase_checking",
};

// The centre's name for a change (docs/center-api.md, holding-form actions).
const char* wire_action(FormChange change) {
  switch (change) {
    case FormChange::return_conventional:
      return "return_conventional";
    case FormChange::issue_conventional:
      return "add_conventional";
    case FormChange::erase_from_card:
    case FormChange::record_on_card:
      break;
  }
  return "erase_record";  // reported for a card whose 免許AP is already gone
}

}  // namespace

const FlowDefinition& HoldingFormFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "holding_form";
    // id, card removed, cancel, idle, final, note
    d.states = {
        {"looking_up", "looking_up", "cancelled", "cancelled", false, "centre record"},
        {"center_unavailable", "center_unavailable", "cancelled", "cancelled", false, ""},
        {"choose_change", "choose_change", "cancelled", "cancelled", false, "R-FORM-*"},
        {"confirm_return", "confirm_return", "cancelled", "cancelled", false, "R-FORM-DROP"},
        {"confirm_issue", "confirm_issue", "cancelled", "cancelled", false, "R-FORM-ADD-CONV"},
        {"confirm_erase", "confirm_erase", "cancelled", "cancelled", false, "R-FORM-DROP"},
        {"erase_checking", "erase_interrupted", "erase_checking", "erase_checking", false,
         "the 免許AP is gone"},
        {"erase_interrupted", "erase_interrupted", "cancelled", "cancelled", false, ""},
        {"erase_probe", "erase_interrupted", "cancelled", "cancelled", false, "same card?"},
        {"other_card", "other_card", "cancelled", "cancelled", false, ""},
        {"committing", "committing", "committing", "committing", false, "outbox first"},
        {"done", "done", "finished", "finished", false, "receipt"},
        {"not_found", "not_found", "finished", "finished", false, ""},
        {"nothing_to_change", "nothing_to_change", "finished", "finished", false, ""},
        {"not_home_centre", "not_home_centre", "finished", "finished", false,
         "R-VIA: only with a 経由申請 renewal"},
        {"record_elsewhere", "record_elsewhere", "finished", "finished", false,
         "R-LOST: the record is on another card"},
        {"erase_failed", "erase_failed", "finished", "finished", false, "staff"},
        {"commit_failed", "commit_failed", "finished", "finished", false, "staff"},
        {"finished", "", "", "", true, ""},
        {"cancelled", "", "", "", true, ""},
    };
    d.transitions = {
        {"looking_up", "found", "choose_change"},
        {"looking_up", "write_unfinished", "incomplete"},  // the record flow finishes it
        {"looking_up", "no_change_open", "nothing_to_change"},
        {"looking_up", "away_from_home_centre", "not_home_centre"},
        {"looking_up", "record_on_another_card", "record_elsewhere"},
        {"looking_up", "holder_unknown", "not_found"},
        {"looking_up", "center_away", "center_unavailable"},
        {"center_unavailable", "tap:retry", "looking_up"},
        {"choose_change", "tap:return_conventional", "confirm_return"},
        {"choose_change", "tap:issue_conventional", "confirm_issue"},
        {"choose_change", "tap:erase_from_card", "confirm_erase"},
        {"confirm_return", "tap:confirm", "committing"},
        {"confirm_return", "tap:back", "choose_change"},
        {"confirm_issue", "tap:confirm", "committing"},
        {"confirm_issue", "tap:back", "choose_change"},
        {"confirm_erase", "tap:confirm", "erase_probe"},  // the card on the reader, checked
        {"confirm_erase", "tap:back", "choose_change"},
        {"erase_checking", "license_ap_gone", "done"},
        {"erase_checking", "license_ap_still_there", "erase_failed"},  // the centre said done
        {"erase_checking", "unreadable", "erase_interrupted"},
        {"erase_interrupted", "tap:retry", "erase_probe"},
        {"erase_probe", "license_ap_present", IssuerRelay::kOpening},
        {"erase_probe", "license_ap_gone", "committing"},  // deleted, the answer never arrived
        {"erase_probe", "another_card", "other_card"},
        {"erase_probe", "unreadable", "erase_interrupted"},
        {"other_card", "tap:retry", "erase_probe"},
        {"committing", "store:outbox=ok", "done"},
        {"committing", "store:outbox=*", "commit_failed"},
        {"done", "tap:done", "finished"},
        {"not_found", "tap:done", "finished"},
        {"nothing_to_change", "tap:done", "finished"},
        {"not_home_centre", "tap:done", "finished"},
        {"record_elsewhere", "tap:done", "finished"},
        {"erase_failed", "tap:done", "finished"},
        {"commit_failed", "tap:done", "finished"},
    };
    CardIdentification::declare(d, "looking_up");
    IssuerRelay::declare(d, kRelayTargets);
    d.validate();
    return d;
  }();
  return def;
}

HoldingFormFlow::HoldingFormFlow(Language language)
    : language_(language),
      ident_(
          "holding_form", [this](const std::string& screen) { return show(screen); }, false),
      relay_(
          [this] {
            Effects e = show("holding_form.erasing");
            e.emplace_back(AuditEntry{"holding_form.erase", "started", ""});
            e.emplace_back(CenterRequest{center_ops::kIssuerOpen,
                                         {{"holder_ref", holder_ref_},
                                          {"operation", "delete"},
                                          {"card_id", ident_.card_id()}},
                                         {},
                                         {}});
            return e;
          },
          [this] { return show("holding_form.erasing"); }),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> HoldingFormFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  const auto screen = [this](const char* id) {
    return [this, id] { return show(std::string("holding_form.") + id); };
  };
  const auto probe = [this](const char* id) {
    return [this, id] {
      Effects e = show(std::string("holding_form.") + id);
      e.emplace_back(CardRequest{card_ops::kProbeMyNumber, {}, {}});
      return e;
    };
  };
  for (const char* id :
       {"center_unavailable", "choose_change", "confirm_return", "confirm_issue", "confirm_erase",
        "erase_interrupted", "other_card", "done", "not_found", "nothing_to_change",
        "not_home_centre", "record_elsewhere", "erase_failed", "commit_failed"}) {
    b[id].enter = screen(id);
  }
  ident_.add_behaviours(b);
  b["looking_up"] = ident_.looking_up([this](Event& e) { return after_lookup(e); });
  b["choose_change"].handle = [this](Event& e) -> Step {
    if (e.kind != EventKind::intent) {
      return {};
    }
    for (const FormChange change : allowed_) {
      if (e.name == to_string(change)) {
        chosen_ = change;
        return {};  // the table's edge for its tap
      }
    }
    return stay();  // a change not on this holder's screen is not taken
  };
  relay_.add_behaviours(b);
  b["erase_checking"] = {probe("erase_checking"), [](Event& e) -> Step {
                           if (e.kind != EventKind::card) {
                             return {};
                           }
                           if (e.outcome != card_ops::kOk) {
                             return {"unreadable", {}};
                           }
                           if (field(e.fields, "has_license_ap") == "0") {
                             Effects effects;
                             effects.emplace_back(AuditEntry{"holding_form.erase", "complete", ""});
                             return {"license_ap_gone", std::move(effects)};
                           }
                           return {"license_ap_still_there", {}};
                         }};
  b["erase_probe"] = {probe("erase_probe"), [this](Event& e) -> Step {
                        return e.kind == EventKind::card ? after_erase_probe(e) : Step{};
                      }};
  b["committing"].enter = [this] { return commit(wire_action(chosen_)); };
  return b;
}

Step HoldingFormFlow::after_lookup(Event& e) {
  if (e.outcome == "holder_not_found" || e.outcome == "holder_mismatch") {
    return {"holder_unknown", {}};
  }
  if (e.outcome != "ok") {
    return {"center_away", {}};
  }
  holder_ref_ = field(e.fields, "holder_ref");
  if (field(e.fields, "license_ap_recorded") != "1") {
    return {"write_unfinished", {}};
  }
  const std::string form = field(e.fields, "holding_form");
  form_ = form == "myna_only" ? HoldingForm::myna_only : HoldingForm::both;
  history_ = field(e.fields, "kind") == "history";
  address_changed_ = field(e.fields, "address_changed") == "1";
  const bool at_home = field(e.fields, "at_home_centre") == "1";
  const bool elsewhere = field(e.fields, "record_card") == "another";
  flows::wipe(e.fields);
  if (elsewhere) {
    return {"record_on_another_card", {}};  // R-LOST: this card's record is no longer valid
  }
  if (form != "myna_only" && form != "both") {
    return {"no_change_open", {}};
  }
  // FAQ 1 and 7: the holding form is changed at the home prefecture's centre. Elsewhere the
  // conventional licence is handed back only together with a 経由申請 renewal (the renewal
  // procedure offers it), never on its own.
  if (!at_home) {
    return {"away_from_home_centre", {}};
  }
  allowed_ = allowed_changes(form_, Venue::home_centre);
  std::erase(allowed_, FormChange::record_on_card);
  return {allowed_.empty() ? "no_change_open" : "found", {}};
}

Step HoldingFormFlow::after_erase_probe(const Event& e) {
  if (e.outcome != card_ops::kOk) {
    return {"unreadable", {}};
  }
  if (ident_.card_id().empty() || field(e.fields, "card_id") != ident_.card_id()) {
    return {"another_card", {}};  // never erase another person's card
  }
  if (field(e.fields, "has_license_ap") == "1") {
    return {"license_ap_present", {}};
  }
  // The delete went through but its answer never reached the centre: tell it so.
  return {"license_ap_gone", {}};
}

Effects HoldingFormFlow::commit(const char* action) {
  Effects e = show("holding_form.committing");
  // Committed to the outbox before the person is told "done": it reaches the centre exactly once
  // (an empty key: the runtime names this new submission).
  e.emplace_back(
      OutboxEnqueue{"holding-form", "", {{"holder_ref", holder_ref_}, {"action", action}}});
  e.emplace_back(AuditEntry{"holding_form.change", "queued", action});
  return e;
}

std::string HoldingFormFlow::words(const std::string& key) const {
  // R-HISTORY, FAQ 8: the same three forms and changes, of a driving history certificate.
  static const std::set<std::string> kHistoryWords = {
      "choose_change.title",
      "form.both",
      "form.myna_only",
      "change.return_conventional",
      "change.issue_conventional",
      "change.erase_from_card",
      "confirm_return.title",
      "confirm_return.body",
      "confirm_issue.title",
      "confirm_issue.body",
      "confirm_erase.title",
      "confirm_erase.body",
      "done.return_conventional",
      "done.issue_conventional",
      "done.erase_from_card",
  };
  const std::string prefix = "holding_form.";
  if (!history_ || !key.starts_with(prefix) ||
      kHistoryWords.count(key.substr(prefix.size())) == 0) {
    return key;
  }
  return prefix + "history." + key.substr(prefix.size());
}

Effects HoldingFormFlow::show(const std::string& screen) const {
  Effects e;
  e.emplace_back(ShowView{view(screen)});
  return e;
}

ViewModel HoldingFormFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  vm.texts["title"] = {words(screen + ".title"), {}};
  const std::string id = screen.substr(screen.find('.') + 1);
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style) {
    vm.actions.push_back({action_id, {words(key), {}}, style, true, {}});
  };
  const bool busy = id == "reading_license" || id == "reading_basic4" || id == "looking_up" ||
                    id == "erasing" || id == "erase_checking" || id == "committing";
  if (!busy) {
    vm.texts["body"] = {words(screen + ".body"), {}};
  } else {
    vm.kind = ScreenKind::progress;
  }
  if (address_changed_ && (id == "choose_change" || id == "done" || id == "not_home_centre" ||
                           id == "nothing_to_change")) {
    vm.texts["address"] = {"common.address_changed", {}};
  }
  if (id == "license_pin" || id == "basic4_pin") {
    ident_.pin_screen(vm);
  } else if (id == "choose_change") {
    vm.kind = ScreenKind::choice;
    vm.details.push_back(
        {words(std::string("holding_form.form.") + std::string(to_string(form_))), {}});
    action("cancel", "common.cancel", ActionStyle::back);
    for (const FormChange change : allowed_) {
      const std::string id_of_change(to_string(change));
      action(id_of_change, "holding_form.change." + id_of_change, ActionStyle::choice);
    }
  } else if (id == "confirm_return" || id == "confirm_issue" || id == "confirm_erase") {
    vm.kind = ScreenKind::confirm_data;
    action("back", "common.back", ActionStyle::back);
    action("confirm", "holding_form.confirm", ActionStyle::primary);
  } else if (id == "done") {
    vm.kind = ScreenKind::result;
    vm.texts["body"] = {words("holding_form.done." + std::string(to_string(chosen_))), {}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == "erase_interrupted" || id == "other_card" || id == "wrong_card" ||
             id == "card_error" || id == "card_pulled" || id == "center_unavailable") {
    vm.kind = ScreenKind::error;
    action("cancel", "common.cancel", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else if (id == "place_card" || id == "erase_probe") {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (!busy) {
    vm.kind = ScreenKind::error;  // nothing to change, not here, blocked, ...
    action("done", "common.done", ActionStyle::primary);
  }
  return vm;
}

void HoldingFormFlow::wipe() {
  ident_.wipe();
  flows::wipe(holder_ref_);
  relay_.wipe();
  allowed_.clear();
  chosen_ = FormChange::return_conventional;
  history_ = false;
  address_changed_ = false;
  form_ = HoldingForm::both;
}

}  // namespace mk::flows
