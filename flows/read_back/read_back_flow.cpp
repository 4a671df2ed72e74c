#include "flows/read_back/read_back_flow.hpp"

#include <string_view>

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/license_pin.hpp"
#include "flows/rules/pin_tries.hpp"

namespace mk::flows {

const FlowDefinition& ReadBackFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "read_back";
    d.initial = "place_card";
    // id, card removed, cancel, idle, final, note
    d.states = {
        {"place_card", "place_card", "cancelled", "cancelled", false, "waits for a card"},
        {"enter_pin", "card_pulled", "cancelled", "cancelled", false, "tries left shown"},
        {"reading", "card_pulled", "reading", "reading", false, "cancel waits for the card"},
        {"checking_card", "showing", "showing", "showing", false,
         "R-LOST: is the record still on this card?"},
        {"showing", "showing", "finished", "finished", false, "personal data on screen"},
        {"moved", "moved", "finished", "finished", false, "R-LOST: the record is on another card"},
        {"no_record", "no_record", "finished", "finished", false, ""},
        {"torn_record", "torn_record", "finished", "finished", false, "state 01: staff resume"},
        {"blocked", "blocked", "finished", "finished", false, "R-LIC-PIN-LOCK"},
        {"wrong_card", "wrong_card", "cancelled", "cancelled", false, ""},
        {"card_error", "card_error", "cancelled", "cancelled", false, ""},
        {"card_pulled", "card_pulled", "cancelled", "cancelled", false, ""},
        {"finished", "", "", "", true, ""},
        {"cancelled", "", "", "", true, ""},
    };
    d.transitions = {
        {"place_card", "ready", "enter_pin"},
        {"place_card", "no_record", "no_record"},
        {"place_card", "record_unfinished", "torn_record"},
        {"place_card", "pin_locked", "blocked"},
        {"place_card", "not_my_number_card", "wrong_card"},
        {"place_card", "unreadable", "card_error"},
        {"enter_pin", "pin_sent", "reading"},
        {"enter_pin", "pin_format", "enter_pin"},  // nothing sent: the pad again, said why
        {"reading", "record_read", "checking_card"},
        {"reading", "record_read_no_card_id", "showing"},  // nothing to ask the centre about
        {"checking_card", "record_here", "showing"},
        {"checking_card", "record_moved", "moved"},
        {"checking_card", "center_away", "showing"},  // the signed record, as read
        {"moved", "tap:done", "finished"},
        {"reading", "wrong_pin", "enter_pin"},
        {"reading", "pin_locked", "blocked"},  // the last try, or the card says so
        {"reading", "unreadable", "card_error"},
        {"showing", "tap:done", "finished"},
        {"no_record", "tap:done", "finished"},
        {"torn_record", "tap:done", "finished"},
        {"blocked", "tap:done", "finished"},
        {"wrong_card", "tap:retry", "place_card"},
        {"card_error", "tap:retry", "place_card"},
        {"card_pulled", "tap:retry", "place_card"},
        {"card_pulled", "timer:card_pulled", "cancelled"},
    };
    d.validate();
    return d;
  }();
  return def;
}

ReadBackFlow::ReadBackFlow(Language language)
    : language_(language),
      machine_(definition(),
               {
                   {"place_card",
                    {[this] {
                       Effects e = show("read_back.place_card");
                       e.emplace_back(CardRequest{card_ops::kProbeLicenseAp, {}, {}});
                       return e;
                     },
                     [this](Event& e) -> Step {
                       return e.kind == EventKind::card ? after_probe(e) : Step{};
                     }}},
                   {"enter_pin",
                    {[this] { return show("read_back.enter_pin"); },
                     [this](Event& e) -> Step {
                       if (e.label() != "tap:pin") {
                         return {};
                       }
                       // Check the form here: a malformed PIN never reaches the card, where it
                       // would cost a try.
                       const PinProblem problem = check_license_pin_format(e.secret.reveal());
                       if (problem != PinProblem::none) {
                         pin_problem_ = "read_back.pin_format";
                         return {"pin_format", {}};
                       }
                       pin_problem_.clear();
                       Effects effects;
                       effects.emplace_back(
                           CardRequest{card_ops::kReadLicense, {}, std::move(e.secret)});
                       effects.emplace_back(AuditEntry{"read_back.read", "started", ""});
                       return {"pin_sent", std::move(effects)};
                     }}},
                   {"reading",
                    {[this] { return show("read_back.reading"); },
                     [this](Event& e) -> Step {
                       return e.kind == EventKind::card ? after_read(e) : Step{};
                     }}},
                   {"checking_card",
                    {[this] {
                       Effects e = show("read_back.reading");
                       e.emplace_back(CenterRequest{
                           center_ops::kCardStatus,
                           {{"license_number", field(record_, "number")}, {"card_id", card_id_}},
                           {},
                           {}});
                       return e;
                     },
                     [](Event& e) -> Step {
                       if (e.kind != EventKind::center) {
                         return {};
                       }
                       // Only the centre's own answer moves the person off their record; when it
                       // cannot be asked, the signed record is shown as read.
                       if (e.outcome != "ok") {
                         return {"center_away", {}};
                       }
                       return {field(e.fields, "record_card") == "another" ? "record_moved"
                                                                           : "record_here",
                               {}};
                     }}},
                   {"showing", {[this] { return show("read_back.showing"); }, nullptr}},
                   {"moved", {[this] { return show("read_back.moved"); }, nullptr}},
                   {"no_record", {[this] { return show("read_back.no_record"); }, nullptr}},
                   {"torn_record", {[this] { return show("read_back.torn_record"); }, nullptr}},
                   {"blocked", {[this] { return show("read_back.blocked"); }, nullptr}},
                   {"wrong_card", {[this] { return show("read_back.wrong_card"); }, nullptr}},
                   {"card_error", {[this] { return show("read_back.card_error"); }, nullptr}},
                   {"card_pulled",
                    {[this] {
                       Effects e = show("read_back.card_pulled");
                       e.emplace_back(StartTimer{"card_pulled", 15000});
                       return e;
                     },
                     nullptr}},
               },
               [this] { wipe(); }) {}

Step ReadBackFlow::after_probe(const Event& e) {
  if (e.outcome == card_ops::kNotMyNumberCard) {
    return {"not_my_number_card", {}};
  }
  if (e.outcome != card_ops::kOk) {
    return {"unreadable", {}};
  }
  if (field(e.fields, "has_license_ap") != "1" || field(e.fields, "record_state") == "00") {
    return {"no_record", {}};
  }
  if (field(e.fields, "record_state") != "02") {
    return {"record_unfinished", {}};
  }
  card_id_ = field(e.fields, "card_id");
  tries_ = count_field(e.fields, "tries", kLicensePinTries);
  if (tries_ < 0) {
    return {"unreadable", {}};  // a card answer we cannot trust
  }
  return {tries_left(tries_) == TriesLeft::none ? "pin_locked" : "ready", {}};
}

Step ReadBackFlow::after_read(Event& e) {
  if (e.outcome == card_ops::kOk) {
    record_ = std::move(e.fields);
    photo_ = std::move(e.blob);
    Effects effects;
    effects.emplace_back(AuditEntry{"read_back.read", "ok", ""});
    // R-LOST: a record on a card that was replaced is no longer valid; the centre knows which
    // card holds it (a card without a readable identity cannot be asked about).
    return {card_id_.empty() ? "record_read_no_card_id" : "record_read", std::move(effects)};
  }
  Effects effects;
  effects.emplace_back(AuditEntry{"read_back.read", e.outcome, ""});
  if (e.outcome == card_ops::kWrongPin) {
    tries_ = count_field(e.fields, "tries", kLicensePinTries);
    pin_problem_ = "read_back.pin_wrong";
    return {wrong_pin_outcome(tries_), std::move(effects)};
  }
  if (e.outcome == card_ops::kBlocked) {
    tries_ = 0;
    return {"pin_locked", std::move(effects)};
  }
  return {"unreadable", std::move(effects)};
}

Effects ReadBackFlow::show(const std::string& screen) const {
  Effects e;
  e.emplace_back(ShowView{view(screen)});
  return e;
}

ViewModel ReadBackFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  vm.texts["title"] = {screen + ".title", {}};
  const auto action = [&](const char* id, const char* key, ActionStyle style) {
    vm.actions.push_back({id, {key, {}}, style, true, {}});
  };
  if (screen == "read_back.enter_pin") {
    vm.texts["body"] = {"read_back.enter_pin.body", {}};
    vm.texts["tries"] = {"read_back.tries_left", {{"tries", std::to_string(tries_)}}};
    if (!pin_problem_.empty()) {
      vm.texts["problem"] = {pin_problem_, {}};
    }
    vm.pin_pad = PinPadView{
        .submit_action = "pin", .min_length = kLicensePinDigits, .max_length = kLicensePinDigits};
    vm.kind = ScreenKind::pin_entry;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (screen == "read_back.showing") {
    vm.kind = ScreenKind::result;
    vm.photo = photo_;
    // A マイナ経歴証明書 (R-HISTORY) is a driving history, not a licence: its number, the licence
    // types once held and the history itself; no period of validity.
    const bool history = field(record_, "kind") == "history";
    if (history) {
      vm.texts["title"] = {"read_back.showing_history.title", {}};
    }
    for (const char* name : {"number", "expiry", "recorded_on", "color", "commission", "conditions",
                             "classes", "history"}) {
      const std::string_view n(name);
      // FAQ 8: a history shows its number, recording date, the licences once held and the
      // history; nothing a driver's licence has (validity, colour, commission, conditions).
      if (history ? (n == "expiry" || n == "color" || n == "commission" || n == "conditions")
                  : n == "history") {
        continue;
      }
      const std::string value = field(record_, name);
      if (history && n == "number") {
        vm.details.push_back({"history.field.number", {{"value", value}}});
        continue;
      }
      // No conditions is a statement ("none"), not a blank.
      vm.details.push_back(
          value.empty() && std::string_view(name) == "conditions"
              ? TextRef{"read_back.field.conditions_none", {}}
              : TextRef{std::string("read_back.field.") + name, {{"value", value}}});
    }
    // The signature's verdict is a sentence, not data.
    vm.details.push_back({field(record_, "signature") == "valid"
                              ? "read_back.field.signature_valid"
                              : "read_back.field.signature_invalid",
                          {}});
    action("done", "common.done", ActionStyle::primary);
  } else if (screen == "read_back.moved" || screen == "read_back.blocked" ||
             screen == "read_back.no_record" || screen == "read_back.torn_record") {
    vm.kind = ScreenKind::error;
    vm.texts["body"] = {screen + ".body", {}};
    action("done", "common.done", ActionStyle::primary);
  } else if (screen == "read_back.wrong_card" || screen == "read_back.card_error" ||
             screen == "read_back.card_pulled") {
    vm.kind = ScreenKind::error;
    vm.texts["body"] = {screen + ".body", {}};
    action("retry", "common.retry", ActionStyle::primary);
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (screen == "read_back.place_card") {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    vm.texts["body"] = {"read_back.place_card.body", {}};
  } else {
    vm.kind = ScreenKind::progress;  // reading, checking the card with the centre
    action("cancel", "common.cancel", ActionStyle::back);
  }
  return vm;
}

void ReadBackFlow::wipe() {
  flows::wipe(record_);
  flows::wipe(photo_);
  flows::wipe(card_id_);
  tries_ = 0;
  pin_problem_.clear();
}

}  // namespace mk::flows
