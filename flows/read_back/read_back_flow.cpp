#include "flows/read_back/read_back_flow.hpp"

#include <string_view>

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/license_pin.hpp"
#include "flows/rules/pin_tries.hpp"

namespace mk::flows {

namespace {

namespace st {
using namespace ends;
constexpr StateId place_card{"place_card"};
constexpr StateId enter_pin{"enter_pin"};
constexpr StateId reading{"reading"};
constexpr StateId checking_card{"checking_card"};
constexpr StateId showing{"showing"};
constexpr StateId moved{"moved"};
constexpr StateId no_record{"no_record"};
constexpr StateId torn_record{"torn_record"};
constexpr StateId blocked{"blocked"};
constexpr StateId wrong_card{"wrong_card"};
constexpr StateId card_error{"card_error"};
constexpr StateId card_pulled{"card_pulled"};
}  // namespace st

}  // namespace

const FlowDefinition& ReadBackFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "read_back";
    d.initial = st::place_card;
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::place_card, st::place_card, st::cancelled, st::cancelled, false, "waits for a card"},
        {st::enter_pin, st::card_pulled, st::cancelled, st::cancelled, false, "tries left shown"},
        {st::reading, st::card_pulled, st::reading, st::reading, false,
         "cancel waits for the card"},
        {st::checking_card, st::showing, st::showing, st::showing, false,
         "R-LOST: is the record still on this card?"},
        {st::showing, st::showing, st::finished, st::finished, false, "personal data on screen"},
        {st::moved, st::moved, st::finished, st::finished, false,
         "R-LOST: the record is on another card"},
        {st::no_record, st::no_record, st::finished, st::finished, false, ""},
        {st::torn_record, st::torn_record, st::finished, st::finished, false,
         "state 01: staff resume", "MK-CARD-RECORD-TORN"},
        {st::blocked, st::blocked, st::finished, st::finished, false, "R-LIC-PIN-LOCK",
         "MK-PIN-LOCKED-LICENSE"},
        {st::wrong_card, st::wrong_card, st::cancelled, st::cancelled, false, "", "MK-CARD-WRONG"},
        {st::card_error, st::card_error, st::cancelled, st::cancelled, false, "",
         "MK-CARD-UNREADABLE"},
        {st::card_pulled, st::card_pulled, st::cancelled, st::cancelled, false, "",
         "MK-CARD-PULLED"},
        {st::finished, "", "", "", true, ""},
        {st::cancelled, "", "", "", true, ""},
    };
    d.transitions = {
        {st::place_card, "ready", st::enter_pin},
        {st::place_card, "no_record", st::no_record},
        {st::place_card, "record_unfinished", st::torn_record},
        {st::place_card, "pin_locked", st::blocked},
        {st::place_card, "not_my_number_card", st::wrong_card},
        {st::place_card, "unreadable", st::card_error},
        {st::enter_pin, "pin_sent", st::reading},
        {st::enter_pin, "pin_format", st::enter_pin},  // nothing sent: the pad again, said why
        {st::reading, "record_read", st::checking_card},
        {st::reading, "record_read_no_card_id", st::showing},  // nothing to ask the centre about
        {st::checking_card, "record_here", st::showing},
        {st::checking_card, "record_moved", st::moved},
        {st::checking_card, "center_away", st::showing},  // the signed record, as read
        {st::moved, "tap:done", st::finished},
        {st::reading, "wrong_pin", st::enter_pin},
        {st::reading, "pin_locked", st::blocked},  // the last try, or the card says so
        {st::reading, "unreadable", st::card_error},
        {st::showing, "tap:done", st::finished},
        {st::no_record, "tap:done", st::finished},
        {st::torn_record, "tap:done", st::finished},
        {st::blocked, "tap:done", st::finished},
        {st::wrong_card, "tap:retry", st::place_card},
        {st::card_error, "tap:retry", st::place_card},
        {st::card_pulled, "tap:retry", st::place_card},
        {st::card_pulled, "timer:card_pulled", st::cancelled},
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
                   {st::place_card,
                    {[this] {
                       Effects e = show(st::place_card);
                       e.emplace_back(CardRequest{card_ops::kProbeLicenseAp, {}, {}});
                       return e;
                     },
                     [this](Event& e) -> Step {
                       return e.kind == EventKind::card ? after_probe(e) : Step{};
                     }}},
                   {st::enter_pin,
                    {[this] { return show(st::enter_pin); },
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
                   {st::reading,
                    {[this] { return show(st::reading); },
                     [this](Event& e) -> Step {
                       return e.kind == EventKind::card ? after_read(e) : Step{};
                     }}},
                   {st::checking_card,
                    {[this] {
                       Effects e = show(st::reading);
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
                   {st::showing, {[this] { return show(st::showing); }, nullptr}},
                   {st::moved, {[this] { return show(st::moved); }, nullptr}},
                   {st::no_record, {[this] { return show(st::no_record); }, nullptr}},
                   {st::torn_record, {[this] { return show(st::torn_record); }, nullptr}},
                   {st::blocked, {[this] { return show(st::blocked); }, nullptr}},
                   {st::wrong_card, {[this] { return show(st::wrong_card); }, nullptr}},
                   {st::card_error, {[this] { return show(st::card_error); }, nullptr}},
                   {st::card_pulled,
                    {[this] {
                       Effects e = show(st::card_pulled);
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

ViewModel ReadBackFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  vm.texts["title"] = {screen + ".title", {}};
  const std::string id = state_of(screen);
  const auto action = [&](const char* action_id, const char* key, ActionStyle style) {
    vm.actions.push_back({action_id, {key, {}}, style, true, {}});
  };
  if (id == st::enter_pin) {
    vm.texts["body"] = {"read_back.enter_pin.body", {}};
    vm.texts["tries"] = {"read_back.tries_left", {{"tries", std::to_string(tries_)}}};
    if (!pin_problem_.empty()) {
      vm.texts["problem"] = {pin_problem_, {}};
    }
    vm.pin_pad = PinPadView{
        .submit_action = "pin", .min_length = kLicensePinDigits, .max_length = kLicensePinDigits};
    vm.kind = ScreenKind::pin_entry;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == st::showing) {
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
  } else if (id == st::moved || id == st::blocked || id == st::no_record || id == st::torn_record) {
    vm.kind = ScreenKind::error;
    vm.texts["body"] = {screen + ".body", {}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::wrong_card || id == st::card_error || id == st::card_pulled) {
    vm.kind = ScreenKind::error;
    vm.texts["body"] = {screen + ".body", {}};
    action("retry", "common.retry", ActionStyle::primary);
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == st::place_card) {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    vm.texts["body"] = {"read_back.place_card.body", {}};
    // A person who chose this by mistake goes back without waiting for the idle timeout.
    action("cancel", "common.cancel", ActionStyle::back);
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
