#include "flows/holding_form/holding_form_flow.hpp"

#include <set>

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"

namespace mk::flows {

namespace {

namespace st {
using namespace identify_state;
using namespace relay_state;
using namespace ends;
constexpr StateId center_unavailable{"center_unavailable"};
constexpr StateId choose_change{"choose_change"};
constexpr StateId confirm_return{"confirm_return"};
constexpr StateId confirm_issue{"confirm_issue"};
constexpr StateId confirm_erase{"confirm_erase"};
constexpr StateId erase_checking{"erase_checking"};
constexpr StateId erase_interrupted{"erase_interrupted"};
constexpr StateId erase_probe{"erase_probe"};
constexpr StateId other_card{"other_card"};
constexpr StateId committing{"committing"};
constexpr StateId done{"done"};
constexpr StateId not_found{"not_found"};
constexpr StateId nothing_to_change{"nothing_to_change"};
constexpr StateId not_home_centre{"not_home_centre"};
constexpr StateId record_elsewhere{"record_elsewhere"};
constexpr StateId erase_failed{"erase_failed"};
constexpr StateId commit_failed{"commit_failed"};
constexpr StateId erasing{"erasing"};  // not a state: the screen of the relay's states
}  // namespace st

const IssuerRelay::Targets kRelayTargets = {
    st::erase_interrupted,  // a pulled card: look at it again before anything else
    st::erase_probe,        // a refused step: look at the card, delete again
    st::erase_failed,
    st::erase_checking,
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
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::looking_up, st::looking_up, st::cancelled, st::cancelled, false, "centre record"},
        {st::center_unavailable, st::center_unavailable, st::cancelled, st::cancelled, false, "",
         "MK-CENTER-UNREACHABLE"},
        {st::choose_change, st::choose_change, st::cancelled, st::cancelled, false, "R-FORM-*"},
        {st::confirm_return, st::confirm_return, st::cancelled, st::cancelled, false,
         "R-FORM-DROP"},
        {st::confirm_issue, st::confirm_issue, st::cancelled, st::cancelled, false,
         "R-FORM-ADD-CONV"},
        {st::confirm_erase, st::confirm_erase, st::cancelled, st::cancelled, false, "R-FORM-DROP"},
        {st::erase_checking, st::erase_interrupted, st::erase_checking, st::erase_checking, false,
         "the 免許AP is gone"},
        {st::erase_interrupted, st::erase_interrupted, st::cancelled, st::cancelled, false, "",
         "MK-CARD-WRITE-INTERRUPTED"},
        {st::erase_probe, st::erase_interrupted, st::cancelled, st::cancelled, false, "same card?"},
        {st::other_card, st::other_card, st::cancelled, st::cancelled, false, "", "MK-CARD-OTHER"},
        {st::committing, st::committing, st::committing, st::committing, false, "outbox first"},
        {st::done, st::done, st::finished, st::finished, false, "receipt"},
        {st::not_found, st::not_found, st::finished, st::finished, false, ""},
        {st::nothing_to_change, st::nothing_to_change, st::finished, st::finished, false, ""},
        {st::not_home_centre, st::not_home_centre, st::finished, st::finished, false,
         "R-VIA: only with a 経由申請 renewal"},
        {st::record_elsewhere, st::record_elsewhere, st::finished, st::finished, false,
         "R-LOST: the record is on another card"},
        {st::erase_failed, st::erase_failed, st::finished, st::finished, false, "staff",
         "MK-ISSUER-FAILED"},
        {st::commit_failed, st::commit_failed, st::finished, st::finished, false, "staff",
         "MK-SUBMISSION-NOT-KEPT"},
        {st::finished, "", "", "", true, ""},
        {st::cancelled, "", "", "", true, ""},
    };
    d.transitions = {
        {st::looking_up, "found", st::choose_change},
        {st::looking_up, "write_unfinished", st::incomplete},  // the record flow finishes it
        {st::looking_up, "no_change_open", st::nothing_to_change},
        {st::looking_up, "away_from_home_centre", st::not_home_centre},
        {st::looking_up, "record_on_another_card", st::record_elsewhere},
        {st::looking_up, "holder_unknown", st::not_found},
        {st::looking_up, "center_away", st::center_unavailable},
        {st::center_unavailable, "tap:retry", st::looking_up},
        {st::choose_change, "tap:return_conventional", st::confirm_return},
        {st::choose_change, "tap:issue_conventional", st::confirm_issue},
        {st::choose_change, "tap:erase_from_card", st::confirm_erase},
        {st::confirm_return, "tap:confirm", st::committing},
        {st::confirm_return, "tap:back", st::choose_change},
        {st::confirm_issue, "tap:confirm", st::committing},
        {st::confirm_issue, "tap:back", st::choose_change},
        {st::confirm_erase, "tap:confirm", st::erase_probe},  // the card on the reader, checked
        {st::confirm_erase, "tap:back", st::choose_change},
        {st::erase_checking, "license_ap_gone", st::done},
        {st::erase_checking, "license_ap_still_there", st::erase_failed},  // the centre said done
        {st::erase_checking, "unreadable", st::erase_interrupted},
        {st::erase_interrupted, "tap:retry", st::erase_probe},
        {st::erase_probe, "license_ap_present", IssuerRelay::kOpening},
        {st::erase_probe, "license_ap_gone", st::committing},  // deleted, the answer never arrived
        {st::erase_probe, "another_card", st::other_card},
        {st::erase_probe, "unreadable", st::erase_interrupted},
        {st::other_card, "tap:retry", st::erase_probe},
        {st::committing, "store:outbox=ok", st::done},
        {st::committing, "store:outbox=*", st::commit_failed},
        {st::done, "tap:done", st::finished},
        {st::not_found, "tap:done", st::finished},
        {st::nothing_to_change, "tap:done", st::finished},
        {st::not_home_centre, "tap:done", st::finished},
        {st::record_elsewhere, "tap:done", st::finished},
        {st::erase_failed, "tap:done", st::finished},
        {st::commit_failed, "tap:done", st::finished},
    };
    CardIdentification::declare(d, st::looking_up);
    IssuerRelay::declare(d, kRelayTargets);
    d.validate();
    return d;
  }();
  return def;
}

HoldingFormFlow::HoldingFormFlow(Language language)
    : language_(language),
      ident_(
          kScreens, [this](const std::string& screen) { return show(screen); }, false),
      relay_(
          [this] {
            Effects e = show(st::erasing);
            e.emplace_back(AuditEntry{"holding_form.erase", "started", ""});
            e.emplace_back(CenterRequest{center_ops::kIssuerOpen,
                                         {{"holder_ref", holder_ref_},
                                          {"operation", "delete"},
                                          {"card_id", ident_.card_id()}},
                                         {},
                                         {}});
            return e;
          },
          [this] { return show(st::erasing); }),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> HoldingFormFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  const auto probe = [this](StateId id) {
    return [this, id] {
      Effects e = show(id);
      e.emplace_back(CardRequest{card_ops::kProbeMyNumber, {}, {}});
      return e;
    };
  };
  for (const StateId id :
       {st::center_unavailable, st::choose_change, st::confirm_return, st::confirm_issue,
        st::confirm_erase, st::erase_interrupted, st::other_card, st::done, st::not_found,
        st::nothing_to_change, st::not_home_centre, st::record_elsewhere, st::erase_failed,
        st::commit_failed}) {
    b[id].enter = [this, id] { return show(id); };
  }
  ident_.add_behaviours(b);
  b[st::looking_up] = ident_.looking_up([this](Event& e) { return after_lookup(e); });
  b[st::choose_change].handle = [this](Event& e) -> Step {
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
  b[st::erase_checking] = {
      probe(st::erase_checking), [](Event& e) -> Step {
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
  b[st::erase_probe] = {probe(st::erase_probe), [this](Event& e) -> Step {
                          return e.kind == EventKind::card ? after_erase_probe(e) : Step{};
                        }};
  b[st::committing].enter = [this] { return commit(wire_action(chosen_)); };
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
  Effects e = show(st::committing);
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

ViewModel HoldingFormFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  vm.texts["title"] = {words(screen + ".title"), {}};
  const std::string id = state_of(screen);
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style) {
    vm.actions.push_back({action_id, {words(key), {}}, style, true, {}});
  };
  const bool busy = id == st::reading_license || id == st::reading_basic4 || id == st::looking_up ||
                    id == st::erasing || id == st::erase_checking || id == st::committing;
  if (!busy) {
    vm.texts["body"] = {words(screen + ".body"), {}};
  } else {
    vm.kind = ScreenKind::progress;
  }
  if (address_changed_ && (id == st::choose_change || id == st::done || id == st::not_home_centre ||
                           id == st::nothing_to_change)) {
    vm.texts["address"] = {"common.address_changed", {}};
  }
  if (id == st::license_pin || id == st::basic4_pin) {
    ident_.pin_screen(vm);
  } else if (id == st::choose_change) {
    vm.kind = ScreenKind::choice;
    vm.details.push_back(
        {words(std::string("holding_form.form.") + std::string(to_string(form_))), {}});
    action("cancel", "common.cancel", ActionStyle::back);
    for (const FormChange change : allowed_) {
      const std::string id_of_change(to_string(change));
      action(id_of_change, "holding_form.change." + id_of_change, ActionStyle::choice);
    }
  } else if (id == st::confirm_return || id == st::confirm_issue || id == st::confirm_erase) {
    vm.kind = ScreenKind::confirm_data;
    action("back", "common.back", ActionStyle::back);
    action("confirm", "holding_form.confirm", ActionStyle::primary);
  } else if (id == st::done) {
    vm.kind = ScreenKind::result;
    vm.texts["body"] = {words("holding_form.done." + std::string(to_string(chosen_))), {}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::erase_interrupted || id == st::other_card || id == st::wrong_card ||
             id == st::card_error || id == st::card_pulled || id == st::center_unavailable) {
    vm.kind = ScreenKind::error;
    action("cancel", "common.cancel", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else if (id == st::place_card || id == st::erase_probe) {
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
