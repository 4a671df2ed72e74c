#include "flows/record/record_flow.hpp"

#include <set>
#include <string_view>

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/card_expiry.hpp"
#include "flows/rules/license_pin.hpp"
#include "flows/rules/pin_tries.hpp"
#include "flows/rules/same_person.hpp"

namespace mk::flows {

namespace {

constexpr int kFourDigitPinTries = 3;  // PIN1 and the 入力補助 PIN lock after 3

const IssuerRelay::Targets kRelayTargets = {
    "write_interrupted",  // a pulled card: state 01 stays, resumable
    "probe_again",        // a refused step: look at the card, resume
    "write_failed",
    "verifying",
};

}  // namespace

const FlowDefinition& RecordFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "record";
    d.initial = "choose_form";
    // id, card removed, cancel, idle, final, note
    d.states = {
        {"choose_form", "choose_form", "cancelled", "cancelled", false, "R-FORMS"},
        {"place_dl", "place_dl", "cancelled", "cancelled", false, "waits for the licence"},
        {"dl_pin", "card_pulled", "cancelled", "cancelled", false, "PIN1"},
        {"reading_dl", "card_pulled", "reading_dl", "reading_dl", false, ""},
        {"place_mynumber", "place_mynumber", "cancelled", "cancelled", false,
         "state 01 here means resume"},
        {"basic4_pin", "card_pulled", "cancelled", "cancelled", false, "入力補助 PIN"},
        {"reading_basic4", "card_pulled", "reading_basic4", "reading_basic4", false, ""},
        {"challenging", "card_pulled", "cancelled", "cancelled", false,
         "no plastic licence: the card names the person"},
        {"auth_pin", "card_pulled", "cancelled", "cancelled", false, "JPKI authentication PIN"},
        {"authenticating", "card_pulled", "authenticating", "authenticating", false, ""},
        {"auth_blocked", "auth_blocked", "finished", "finished", false, "municipality resets it"},
        {"auth_refused", "auth_refused", "finished", "finished", false,
         "the card's certificate is not usable"},
        {"looking_up", "card_pulled", "cancelled", "cancelled", false, "centre record"},
        {"expiry_warning", "card_pulled", "cancelled", "cancelled", false, "R-CARD-EXPIRY"},
        {"confirm_record", "card_pulled", "cancelled", "cancelled", false, ""},
        {"verifying", "write_interrupted", "verifying", "verifying", false, "read back"},
        {"done", "done", "finished", "finished", false, "receipt"},
        {"write_interrupted", "write_interrupted", "cancelled", "cancelled", false,
         "state 01 stays: resumable"},
        {"probe_again", "write_interrupted", "cancelled", "cancelled", false, "same card?"},
        {"other_card", "other_card", "cancelled", "cancelled", false,
         "never finish someone else's card"},
        {"write_failed", "write_failed", "finished", "finished", false, ""},
        {"card_pulled", "card_pulled", "cancelled", "cancelled", false, ""},
        {"wrong_dl", "wrong_dl", "cancelled", "cancelled", false, ""},
        {"wrong_mynumber", "wrong_mynumber", "cancelled", "cancelled", false, ""},
        {"card_error", "card_error", "cancelled", "cancelled", false, ""},
        {"dl_blocked", "dl_blocked", "finished", "finished", false, ""},
        {"not_same_person", "not_same_person", "finished", "finished", false,
         "the two cards name two people"},
        {"basic4_blocked", "basic4_blocked", "finished", "finished", false, ""},
        {"already_recorded", "already_recorded", "finished", "finished", false, ""},
        {"replaced_card", "card_pulled", "cancelled", "cancelled", false, "R-LOST"},
        {"not_home_centre", "not_home_centre", "finished", "finished", false, "R-VIA"},
        {"not_found", "not_found", "finished", "finished", false, ""},
        {"card_expired", "card_expired", "finished", "finished", false, "R-CARD-EXPIRY"},
        {"license_expired", "license_expired", "finished", "finished", false,
         "past its last day: not recorded"},
        {"center_unavailable", "card_pulled", "cancelled", "cancelled", false, ""},
        {"finished", "", "", "", true, ""},
        {"cancelled", "", "", "", true, ""},
    };
    d.transitions = {
        {"choose_form", "tap:form_myna_only", "place_dl"},
        {"choose_form", "tap:form_both", "place_dl"},
        {"place_dl", "tap:no_dl", "place_mynumber"},  // a Myna-only holder (FAQ 3, 11)
        {"place_dl", "ready", "dl_pin"},
        {"place_dl", "pin_locked", "dl_blocked"},
        {"place_dl", "not_dl_card", "wrong_dl"},
        {"place_dl", "unreadable", "card_error"},
        {"dl_pin", "pin_sent", "reading_dl"},
        {"dl_pin", "pin_format", "dl_pin"},  // nothing sent: the pad again, said why
        {"reading_dl", "card:read_dl=ok", "place_mynumber"},
        {"reading_dl", "wrong_pin", "dl_pin"},
        {"reading_dl", "pin_locked", "dl_blocked"},
        {"reading_dl", "unreadable", "card_error"},
        {"place_mynumber", "ready", "basic4_pin"},
        {"place_mynumber", "pin_locked", "basic4_blocked"},
        {"place_mynumber", "not_my_number_card", "wrong_mynumber"},
        {"place_mynumber", "unreadable", "card_error"},
        {"basic4_pin", "pin_sent", "reading_basic4"},
        {"basic4_pin", "pin_format", "basic4_pin"},
        {"reading_basic4", "basic4_read", "looking_up"},
        {"reading_basic4", "not_same_person", "not_same_person"},
        {"reading_basic4", "basic4_read_no_dl", "challenging"},  // the card names the person
        {"reading_basic4", "wrong_pin", "basic4_pin"},
        {"reading_basic4", "pin_locked", "basic4_blocked"},
        {"reading_basic4", "unreadable", "card_error"},
        {"challenging", "challenge_issued", "auth_pin"},
        {"challenging", "pin_locked", "auth_blocked"},
        {"challenging", "unreadable", "card_error"},  // the probe's count of tries
        {"challenging", "center_away", "center_unavailable"},
        {"auth_pin", "pin_sent", "authenticating"},
        {"auth_pin", "pin_format", "auth_pin"},
        {"authenticating", "card:jpki_authenticate=ok", "looking_up"},
        {"authenticating", "wrong_pin", "auth_pin"},
        {"authenticating", "pin_locked", "auth_blocked"},
        {"authenticating", "unreadable", "card_error"},
        {"auth_blocked", "tap:done", "finished"},
        // The licence, the driving history and the card alone are looked up alike.
        {"looking_up", "card_valid", "confirm_record"},
        {"looking_up", "card_expiring", "expiry_warning"},
        {"looking_up", "card_expired", "card_expired"},
        {"looking_up", "already_recorded", "already_recorded"},
        {"looking_up", "replaced_card", "replaced_card"},  // R-LOST
        {"looking_up", "not_home_centre", "not_home_centre"},
        {"looking_up", "license_expired", "license_expired"},
        {"looking_up", "holder_not_found", "not_found"},
        {"looking_up", "certificate_refused", "auth_refused"},
        {"looking_up", "center_away", "center_unavailable"},
        {"auth_refused", "tap:done", "finished"},
        {"replaced_card", "card_valid", "confirm_record"},
        {"replaced_card", "card_expiring", "expiry_warning"},
        {"replaced_card", "card_expired", "card_expired"},
        {"center_unavailable", "retry", "looking_up"},
        {"center_unavailable", "retry_no_dl", "challenging"},  // a new challenge, the PIN again
        {"expiry_warning", "tap:continue", "confirm_record"},
        {"confirm_record", "tap:confirm", "new_pin"},
        {"verifying", "verified", "done"},
        {"verifying", "verify_failed", "write_failed"},
        {"done", "tap:done", "finished"},
        {"write_interrupted", "tap:retry", "probe_again"},
        {"probe_again", "write_unfinished", "issuer_opening"},
        {"probe_again", "write_completed", "verifying"},  // only the read-back is left
        {"probe_again", "other_card", "other_card"},
        {"probe_again", "unreadable", "write_interrupted"},
        {"other_card", "tap:retry", "probe_again"},
        {"write_failed", "tap:done", "finished"},
        {"card_pulled", "tap:retry", "place_dl"},
        {"wrong_dl", "tap:retry", "place_dl"},
        {"wrong_mynumber", "tap:retry", "place_mynumber"},
        {"card_error", "tap:retry", "place_dl"},
        {"dl_blocked", "tap:done", "finished"},
        {"not_same_person", "tap:done", "finished"},
        {"basic4_blocked", "tap:done", "finished"},
        {"already_recorded", "tap:done", "finished"},
        {"not_home_centre", "tap:done", "finished"},
        {"not_found", "tap:done", "finished"},
        {"card_expired", "tap:done", "finished"},
        {"license_expired", "tap:done", "finished"},
    };
    NewLicensePin::declare(d, {"card_pulled", "cancelled", IssuerRelay::kOpening});
    IssuerRelay::declare(d, kRelayTargets);
    d.validate();
    return d;
  }();
  return def;
}

// The same procedure without the conventional licence: the My Number card names the person.
const FlowDefinition& RecordFlow::history_definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d = definition();
    d.name = "history";
    const std::set<std::string> gone = {"place_dl",     "dl_pin",      "reading_dl",
                                        "wrong_dl",     "dl_blocked",  "not_same_person",
                                        "challenging",  "auth_pin",    "authenticating",
                                        "auth_blocked", "auth_refused"};
    std::erase_if(d.states, [&](const StateSpec& st) { return gone.count(st.id) != 0; });
    std::erase_if(d.transitions, [&](const Transition& t) {
      return gone.count(t.from) != 0 || (gone.count(t.to) != 0 && t.from != "choose_form" &&
                                         t.from != "card_pulled" && t.from != "card_error");
    });
    for (auto& t : d.transitions) {
      if (gone.count(t.to) != 0) {
        t.to = "place_mynumber";  // choose_form, and "try again" after a pulled or unread card
      }
    }
    for (auto& st : d.states) {
      if (st.on_card_removed == "place_dl") {
        st.on_card_removed = "place_mynumber";
      }
    }
    d.validate();
    return d;
  }();
  return def;
}

RecordFlow::RecordFlow(Language language, CivilDate today, RecordKind kind)
    : language_(language),
      today_(today),
      kind_(kind),
      choice_("record", [this](const std::string& screen) { return show(screen); }),
      relay_([this] { return open_issuer(); }, [this] { return show("record.writing"); }),
      machine_(kind == RecordKind::license ? definition() : history_definition(), behaviours(),
               [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> RecordFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  const auto screen = [this](const char* id) {
    return [this, id] { return show(this->screen(id)); };
  };
  const auto screen_and_card = [this](const char* id, const char* op) {
    return [this, id, op] {
      Effects e = show(this->screen(id));
      e.emplace_back(CardRequest{op, {}, {}});
      return e;
    };
  };
  for (const char* id : {"dl_blocked",       "not_same_person",    "basic4_blocked",
                         "already_recorded", "not_home_centre",    "not_found",
                         "card_expired",     "center_unavailable", "expiry_warning",
                         "confirm_record",   "license_expired",    "auth_blocked",
                         "auth_refused",     "write_interrupted",  "write_failed",
                         "card_pulled",      "other_card",         "wrong_dl",
                         "wrong_mynumber",   "card_error",         "done",
                         "dl_pin",           "basic4_pin",         "auth_pin"}) {
    b[id].enter = screen(id);
  }
  b["choose_form"] = {screen("choose_form"), [this](Event& e) -> Step {
                        if (e.label() == "tap:form_myna_only" || e.label() == "tap:form_both") {
                          form_ = e.name == "form_myna_only" ? HoldingForm::myna_only
                                                             : HoldingForm::both;
                        }
                        return {};
                      }};
  b["center_unavailable"].handle = [this](Event& e) -> Step {
    if (e.label() != "tap:retry") {
      return {};
    }
    // Without a plastic licence the spent challenge cannot be used again: a new one, the PIN again.
    return {card_only_ ? "retry_no_dl" : "retry", {}};
  };
  b["place_dl"] = {[this, place = screen_and_card("place_dl", card_ops::kProbeDl)] {
                     card_only_ = false;  // back at the licence: it names the person again
                     return place();
                   },
                   [this](Event& e) -> Step {
                     if (e.label() == "tap:no_dl") {
                       // A Myna-only holder has no plastic licence: the My Number card names
                       // them by a JPKI authentication (FAQ 3, 11).
                       card_only_ = true;
                       return {};
                     }
                     if (e.kind != EventKind::card) {
                       return {};
                     }
                     if (e.outcome == card_ops::kNotDlCard) {
                       return {"not_dl_card", {}};
                     }
                     tries_ = count_field(e.fields, "tries", kFourDigitPinTries);
                     if (e.outcome != card_ops::kOk || tries_ < 0) {
                       return {"unreadable", {}};
                     }
                     problem_.clear();
                     return {tries_left(tries_) == TriesLeft::none ? "pin_locked" : "ready", {}};
                   }};
  b["dl_pin"].handle = [this](Event& e) { return pin_entered(e, card_ops::kReadDl); };
  b["reading_dl"] = {screen("reading_dl"), [this](Event& e) -> Step {
                       if (e.kind != EventKind::card) {
                         return {};
                       }
                       if (e.outcome == card_ops::kOk) {
                         dl_ = std::move(e.fields);
                         return {};  // the table's edge to the My Number card
                       }
                       if (e.outcome == card_ops::kWrongPin) {
                         tries_ = count_field(e.fields, "tries", kFourDigitPinTries);
                         problem_ = "record.pin_wrong";
                         return {wrong_pin_outcome(tries_), {}};
                       }
                       return {e.outcome == card_ops::kBlocked ? "pin_locked" : "unreadable", {}};
                     }};
  b["place_mynumber"] = {
      screen_and_card("place_mynumber", card_ops::kProbeMyNumber), [this](Event& e) -> Step {
        if (e.kind != EventKind::card) {
          return {};
        }
        if (e.outcome == card_ops::kNotMyNumberCard) {
          return {"not_my_number_card", {}};
        }
        tries_ = e.outcome == card_ops::kOk
                     ? count_field(e.fields, "basic4_tries", kFourDigitPinTries)
                     : -1;
        if (tries_ < 0) {
          return {"unreadable", {}};
        }
        // A 免許AP that is there but not complete (01, or 00: installed, cut short before its first
        // write): an earlier write stopped; the same procedure finishes it, without installing
        // again. A complete one (02) is "already recorded" only if the centre knows it too (see
        // after_lookup).
        resume_ = field(e.fields, "has_license_ap") == "1";
        card_complete_ = resume_ && field(e.fields, "record_state") == "02";
        card_id_ = field(e.fields, "card_id");
        auth_tries_ = count_field(e.fields, "auth_tries", kFourDigitPinTries);
        problem_.clear();
        return {tries_left(tries_) == TriesLeft::none ? "pin_locked" : "ready", {}};
      }};
  b["basic4_pin"].handle = [this](Event& e) { return pin_entered(e, card_ops::kReadBasic4); };
  b["reading_basic4"] = {
      screen("reading_basic4"), [this](Event& e) -> Step {
        if (e.kind != EventKind::card) {
          return {};
        }
        if (e.outcome == card_ops::kOk) {
          basic4_ = std::move(e.fields);
          if (kind_ == RecordKind::license && !card_only_ &&
              !same_person(field(dl_, "name"), field(dl_, "birth_date"), field(basic4_, "name"),
                           field(basic4_, "birth_date"))) {
            // Nothing is asked of the centre, nothing written: one person's licence on another's
            // card is what a clerk refuses first.
            Effects effects;
            effects.emplace_back(AuditEntry{"record.identity", "refused", "not the same person"});
            return {"not_same_person", std::move(effects)};
          }
          return {card_only_ ? "basic4_read_no_dl" : "basic4_read", {}};
        }
        if (e.outcome == card_ops::kWrongPin) {
          tries_ = count_field(e.fields, "tries", kFourDigitPinTries);
          problem_ = "record.pin_wrong";
          return {wrong_pin_outcome(tries_), {}};
        }
        return {e.outcome == card_ops::kBlocked ? "pin_locked" : "unreadable", {}};
      }};
  b["challenging"] = {
      [this] {
        Effects e = show("record.looking_up");
        e.emplace_back(CenterRequest{center_ops::kAuthChallenge, {}, {}, {}});
        return e;
      },
      [this](Event& e) -> Step {
        if (e.kind != EventKind::center) {
          return {};
        }
        if (e.outcome != "ok" || field(e.fields, "challenge").empty()) {
          return {"center_away", {}};
        }
        challenge_ = field(e.fields, "challenge");
        tries_ = auth_tries_;
        problem_.clear();
        if (tries_ < 0) {
          return {"unreadable", {}};  // no VERIFY on a counter we cannot read
        }
        return {tries_left(tries_) == TriesLeft::none ? "pin_locked" : "challenge_issued", {}};
      }};
  b["auth_pin"].handle = [this](Event& e) -> Step {
    Step step = pin_entered(e, card_ops::kJpkiAuthenticate);
    for (auto& effect : step.effects) {
      if (auto* request = std::get_if<CardRequest>(&effect)) {
        request->args["challenge"] = challenge_;
      }
    }
    return step;
  };
  b["authenticating"] = {
      screen("reading_basic4"), [this](Event& e) -> Step {
        if (e.kind != EventKind::card) {
          return {};
        }
        if (e.outcome == card_ops::kOk) {
          authentication_ = std::move(e.fields);
          return {};  // the table's edge to the lookup
        }
        if (e.outcome == card_ops::kWrongPin) {
          tries_ = count_field(e.fields, "tries", kFourDigitPinTries);
          problem_ = "record.pin_wrong";
          return {wrong_pin_outcome(tries_), {}};
        }
        return {e.outcome == card_ops::kBlocked ? "pin_locked" : "unreadable", {}};
      }};
  b["looking_up"] = {
      [this] {
        Effects e = show("record.looking_up");
        Fields args = {{"birth_date", field(basic4_, "birth_date")},
                       {"name", field(basic4_, "name")},
                       {"address", field(basic4_, "address")},
                       {"card_id", card_id_}};
        if (card_only_) {
          // The card's signature over the centre's challenge proves the card in hand.
          args["challenge"] = challenge_;
          args["certificate"] = field(authentication_, "certificate");
          args["signature"] = field(authentication_, "signature");
          e.emplace_back(CenterRequest{center_ops::kLookupByCard, std::move(args), {}, {}});
          return e;
        }
        if (kind_ == RecordKind::license) {
          args["license_number"] = field(dl_, "license_number");
        }
        // R-HISTORY: no licence to read: the basic 4 info names the person.
        e.emplace_back(CenterRequest{
            kind_ == RecordKind::license ? center_ops::kLookupHolder : center_ops::kLookupHistory,
            std::move(args),
            {},
            {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_lookup(e) : Step{}; }};
  b["replaced_card"] = {screen("replaced_card"), [this](Event& e) -> Step {
                          return e.label() == "tap:continue" ? after_identity() : Step{};
                        }};
  choice_.add_behaviours(b);
  relay_.add_behaviours(b);
  b["verifying"] = {
      [this] {
        Effects e = show("record.verifying");
        // The PIN the person set a moment ago in this procedure: reading the record
        // back with it is what proves both were written.
        e.emplace_back(
            CardRequest{card_ops::kReadLicense, {}, base::SecretBytes(new_pin_for_read_.reveal())});
        return e;
      },
      [this](Event& e) -> Step {
        if (e.kind != EventKind::card) {
          return {};
        }
        const char* kind = kind_ == RecordKind::license ? "license" : "history";
        if (e.outcome == card_ops::kOk && field(e.fields, "signature") == "valid" &&
            field(e.fields, "kind") == kind &&
            field(e.fields, "number") == field(record_, "license_number")) {
          readout_ = std::move(e.fields);
          new_pin_for_read_.clear();
          // The holding form travelled with the issuer session: the centre applied
          // it when the write completed, so nothing is left to send.
          Effects effects;
          effects.emplace_back(AuditEntry{"record.write", "complete",
                                          form_ == HoldingForm::myna_only ? "myna_only" : "both"});
          return {"verified", std::move(effects)};
        }
        warning_ = e.outcome == card_ops::kOk ? "readback_mismatch" : e.outcome;
        return {"verify_failed", {}};
      }};
  b["probe_again"] = {screen_and_card("probe_again", card_ops::kProbeMyNumber),
                      [this](Event& e) -> Step {
                        return e.kind == EventKind::card ? after_probe_again(e) : Step{};
                      }};
  // A driving history has no conventional-licence states: their behaviours go too.
  const FlowDefinition& def = kind_ == RecordKind::license ? definition() : history_definition();
  std::erase_if(b, [&def](const auto& entry) { return def.find(entry.first) == nullptr; });
  return b;
}

Step RecordFlow::pin_entered(Event& e, const char* op) {
  if (e.label() != "tap:pin") {
    return {};
  }
  if (check_license_pin_format(e.secret.reveal()) != PinProblem::none) {
    // Four digits for PIN1 and the 入力補助 PIN alike; a malformed one costs no try.
    problem_ = "record.pin_format";
    return {"pin_format", {}};
  }
  problem_.clear();
  Effects effects;
  effects.emplace_back(CardRequest{op, {}, std::move(e.secret)});
  return {"pin_sent", std::move(effects)};
}

Step RecordFlow::after_lookup(Event& e) {
  flows::wipe(authentication_);  // the challenge is spent: a retry authenticates again
  if (e.outcome == "holder_not_found" || e.outcome == "holder_mismatch" ||
      (card_only_ && e.outcome == "not_eligible")) {
    return {"holder_not_found", {}};
  }
  if (card_only_ && e.outcome.starts_with("certificate_")) {
    return {"certificate_refused", {}};
  }
  if (e.outcome != "ok") {
    return {"center_away", {}};
  }
  record_ = std::move(e.fields);
  photo_ = std::move(e.blob);
  // R-VIA: away from the home prefecture's centre no Myna licence is made, nor a replaced card
  // recorded (only a renewal, through 経由申請).
  if (field(record_, "at_home_centre") != "1") {
    return {"not_home_centre", {}};
  }
  const bool centre_recorded = field(record_, "license_ap_recorded") == "1";
  if (centre_recorded && card_complete_) {
    return {"already_recorded", {}};
  }
  // A licence past its last day is no licence: nothing is recorded (the counter says what the
  // person can do). A driving history has no last day.
  if (kind_ == RecordKind::license) {
    const auto expiry = parse_iso_date(field(record_, "expiry"));
    if (!expiry || *expiry < today_) {
      return {"license_expired", {}};
    }
  }
  // Recorded, and this card has no 免許AP at all: it replaced a lost card (R-LOST). The person
  // confirms; the record moves to this card. A 免許AP left half written (00/01) on a recorded
  // holder's card is a write of this card that stopped (a renewal's rewrite, a replacement's first
  // write): it is finished (resume), without the lost-card story.
  replace_card_ = centre_recorded && !resume_;
  if (replace_card_) {
    return {"replaced_card", {}};
  }
  // A complete card the centre does not know as recorded: the write's last report never reached
  // it (the kiosk was stopped just then). Writing the record again under a new session makes the
  // card and the centre agree; the person sets the PIN again.
  return after_identity();
}

Step RecordFlow::after_identity() {
  // R-CARD-EXPIRY, on the card's last day as the centre knows it (never the My Number).
  if (const auto expiry = parse_iso_date(field(record_, "card_expiry"))) {
    const ExpiryDecision d = decide_expiry(CardOperation::record, {today_, *expiry, {}, {}});
    if (d.verdict == Verdict::refused) {
      return {"card_expired", {}};
    }
    if (d.verdict == Verdict::allowed_with_warning) {
      return {"card_expiring", {}};
    }
  }
  return {"card_valid", {}};  // (or its last day unknown)
}

Effects RecordFlow::open_issuer() {
  // The confirmed PIN moves into the read-back copy; a resumed write (after a pulled card)
  // reuses that copy, typed in this same procedure.
  if (!choice_.pin().empty()) {
    new_pin_for_read_ = base::SecretBytes(choice_.pin().reveal());
  }
  Effects e = show("record.writing");
  e.emplace_back(AuditEntry{"record.write", resume_ ? "resumed" : "started", ""});
  e.emplace_back(
      CenterRequest{center_ops::kIssuerOpen,
                    {{"holder_ref", field(record_, "holder_ref")},
                     {"operation", "record"},
                     {"resume", resume_ ? "1" : "0"},
                     {"holding_form", form_ == HoldingForm::myna_only ? "myna_only" : "both"},
                     {"replace_card", replace_card_ ? "1" : "0"},
                     {"card_id", card_id_}},
                    base::SecretBytes(new_pin_for_read_.reveal()),
                    {}});
  choice_.wipe();
  return e;
}

Step RecordFlow::after_probe_again(const Event& e) {
  if (e.outcome != card_ops::kOk) {
    return {"unreadable", {}};
  }
  // Only the card this procedure started on may be finished: any other card would get this
  // person's licence (a card without a readable identity is never taken for the same one).
  if (card_id_.empty() || field(e.fields, "card_id") != card_id_) {
    return {"other_card", {}};
  }
  const std::string state = field(e.fields, "record_state");
  if (field(e.fields, "has_license_ap") == "1" && state == "02" && relay_.completed()) {
    return {"write_completed", {}};  // the centre saw the whole write
  }
  // Anything else — including a card that looks complete while the centre never said so (it was
  // complete before this procedure, or the last answer was lost) — is written again: a VERIFY
  // with the new PIN on a card that may still hold the old one would cost the person a try.
  resume_ = field(e.fields, "has_license_ap") == "1";  // installed: no INSTALL again
  return {"write_unfinished", {}};
}

// The screens a driving history words its own way; the rest are the record flow's.
std::string RecordFlow::screen(const std::string& id) const {
  static const std::set<std::string> kOwn = {
      "choose_form", "confirm_record",  "done",         "already_recorded",
      "not_found",   "not_home_centre", "replaced_card"};
  return (kind_ == RecordKind::driving_history && kOwn.count(id) != 0 ? "history." : "record.") +
         id;
}

Effects RecordFlow::show(const std::string& screen) const {
  Effects e;
  e.emplace_back(ShowView{view(screen)});
  return e;
}

ViewModel RecordFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  vm.texts["title"] = {screen + ".title", {}};
  const std::string id = screen.substr(screen.find('.') + 1);
  const auto action = [&](const char* action_id, const char* key, ActionStyle style) {
    vm.actions.push_back({action_id, {key, {}}, style, true, {}});
  };
  const bool pin = id == "dl_pin" || id == "basic4_pin" || id == "auth_pin";
  if (id != "writing" && id != "verifying" && id != "reading_dl" && id != "reading_basic4" &&
      id != "looking_up") {
    vm.texts["body"] = {screen + ".body", {}};
  }
  if (field(record_, "address_changed") == "1" && (id == "confirm_record" || id == "done")) {
    vm.texts["address"] = {"common.address_changed", {}};
  }
  if (id == "license_expired") {
    vm.details.push_back({"record.field.last_day", {{"value", field(record_, "expiry")}}});
  } else if (id == "expiry_warning" || id == "card_expired") {
    vm.details.push_back(
        {"record.field.card_last_day", {{"value", field(record_, "card_expiry")}}});
  }
  if (choice_.screen(vm, id)) {
  } else if (pin) {
    vm.pin_pad = PinPadView{.submit_action = "pin", .min_length = 4, .max_length = 4};
    vm.kind = ScreenKind::pin_entry;
    vm.texts["tries"] = {"record.tries_left", {{"tries", std::to_string(tries_)}}};
    if (!problem_.empty()) {
      vm.texts["problem"] = {problem_, {}};
    }
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == "choose_form") {
    vm.kind = ScreenKind::choice;
    action("cancel", "common.cancel", ActionStyle::back);
    const bool history = kind_ == RecordKind::driving_history;
    action("form_both", history ? "history.form_both" : "record.form_both", ActionStyle::choice);
    action("form_myna_only", history ? "history.form_myna_only" : "record.form_myna_only",
           ActionStyle::choice);
  } else if (id == "confirm_record" || id == "done") {
    vm.kind = id == "done" ? ScreenKind::result : ScreenKind::confirm_data;
    const Fields& f = id == "done" ? readout_ : record_;
    const bool history = kind_ == RecordKind::driving_history;
    for (const char* name : {"number", "expiry", "color", "conditions", "classes"}) {
      if (history && std::string_view(name) != "number" && std::string_view(name) != "classes") {
        continue;  // a driving history shows its number and the classes held
      }
      const std::string key = name == std::string("number") ? "license_number" : name;
      const std::string value = field(f, id == "done" ? name : key);
      vm.details.push_back(value.empty() && std::string_view(name) == "conditions"
                               ? TextRef{"read_back.field.conditions_none", {}}
                               : TextRef{std::string(history && std::string_view(name) == "number"
                                                         ? "history.field."
                                                         : "read_back.field.") +
                                             name,
                                         {{"value", value}}});
    }
    if (id == "confirm_record") {
      action("cancel", "common.cancel", ActionStyle::back);
      action("confirm", "record.confirm", ActionStyle::primary);
    } else {
      const std::string prefix = history ? "history" : "record";
      vm.texts["body"] = {
          prefix + (form_ == HoldingForm::myna_only ? ".done.body_myna_only" : ".done.body_both"),
          {}};
      action("done", "common.done", ActionStyle::primary);
    }
  } else if (id == "expiry_warning" || id == "replaced_card") {
    action("cancel", "common.cancel", ActionStyle::back);
    action("continue", "record.continue", ActionStyle::primary);
  } else if (id == "write_interrupted" || id == "other_card" || id == "card_pulled" ||
             id == "wrong_dl" || id == "wrong_mynumber" || id == "card_error" ||
             id == "center_unavailable") {
    vm.kind = ScreenKind::error;
    // The wrong card: the picture of the right one, on its reader.
    if (id == "wrong_dl") {
      vm.illustration = Illustration::place_driving_licence;
    } else if (id == "wrong_mynumber") {
      vm.illustration = Illustration::place_my_number_card;
    }
    action("cancel", "common.cancel", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else if (id == "place_dl") {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_driving_licence;
    action("cancel", "common.cancel", ActionStyle::back);
    action("no_dl", "record.no_dl", ActionStyle::secondary);
  } else if (id == "place_mynumber" || id == "probe_again") {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == "dl_blocked" || id == "not_same_person" || id == "basic4_blocked" ||
             id == "already_recorded" || id == "not_home_centre" || id == "not_found" ||
             id == "card_expired" || id == "license_expired" || id == "auth_blocked" ||
             id == "auth_refused" || id == "write_failed") {
    vm.kind = ScreenKind::error;
    action("done", "common.done", ActionStyle::primary);
  } else if (id != "pin_warning" && id != "expiry_warning" && id != "replaced_card") {
    vm.kind = ScreenKind::progress;  // reading, looking up, writing, verifying: no action
  }
  return vm;
}

void RecordFlow::wipe() {
  flows::wipe(dl_);
  flows::wipe(basic4_);
  flows::wipe(record_);
  flows::wipe(readout_);
  flows::wipe(photo_);
  choice_.wipe();
  new_pin_for_read_.clear();
  flows::wipe(card_id_);
  flows::wipe(challenge_);
  flows::wipe(authentication_);
  card_only_ = false;
  auth_tries_ = 0;
  relay_.wipe();
  problem_.clear();
  warning_.clear();
}

}  // namespace mk::flows
