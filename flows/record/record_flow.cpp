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

namespace st {
using namespace new_pin_state;
using namespace relay_state;
using namespace ends;
constexpr StateId choose_form{"choose_form"};
constexpr StateId place_dl{"place_dl"};
constexpr StateId dl_pin{"dl_pin"};
constexpr StateId reading_dl{"reading_dl"};
constexpr StateId place_mynumber{"place_mynumber"};
constexpr StateId basic4_pin{"basic4_pin"};
constexpr StateId reading_basic4{"reading_basic4"};
constexpr StateId challenging{"challenging"};
constexpr StateId auth_pin{"auth_pin"};
constexpr StateId authenticating{"authenticating"};
constexpr StateId auth_blocked{"auth_blocked"};
constexpr StateId auth_refused{"auth_refused"};
constexpr StateId looking_up{"looking_up"};
constexpr StateId expiry_warning{"expiry_warning"};
constexpr StateId confirm_record{"confirm_record"};
constexpr StateId verifying{"verifying"};
constexpr StateId done{"done"};
constexpr StateId write_interrupted{"write_interrupted"};
constexpr StateId probe_again{"probe_again"};
constexpr StateId other_card{"other_card"};
constexpr StateId write_failed{"write_failed"};
constexpr StateId card_pulled{"card_pulled"};
constexpr StateId wrong_dl{"wrong_dl"};
constexpr StateId wrong_mynumber{"wrong_mynumber"};
constexpr StateId card_error{"card_error"};
constexpr StateId dl_blocked{"dl_blocked"};
constexpr StateId not_same_person{"not_same_person"};
constexpr StateId basic4_blocked{"basic4_blocked"};
constexpr StateId already_recorded{"already_recorded"};
constexpr StateId replaced_card{"replaced_card"};
constexpr StateId not_home_centre{"not_home_centre"};
constexpr StateId not_found{"not_found"};
constexpr StateId card_expired{"card_expired"};
constexpr StateId license_expired{"license_expired"};
constexpr StateId center_unavailable{"center_unavailable"};
constexpr StateId writing{"writing"};  // not a state: the screen of the relay's states
}  // namespace st

constexpr int kFourDigitPinTries = 3;  // PIN1 and the 入力補助 PIN lock after 3

const IssuerRelay::Targets kRelayTargets = {
    st::write_interrupted,  // a pulled card: state 01 stays, resumable
    st::probe_again,        // a refused step: look at the card, resume
    st::write_failed,
    st::verifying,
};

}  // namespace

const FlowDefinition& RecordFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "record";
    d.initial = st::choose_form;
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::choose_form, st::choose_form, st::cancelled, st::cancelled, false, "R-FORMS"},
        {st::place_dl, st::place_dl, st::cancelled, st::cancelled, false, "waits for the licence"},
        {st::dl_pin, st::card_pulled, st::cancelled, st::cancelled, false, "PIN1"},
        {st::reading_dl, st::card_pulled, st::reading_dl, st::reading_dl, false, ""},
        {st::place_mynumber, st::place_mynumber, st::cancelled, st::cancelled, false,
         "state 01 here means resume"},
        {st::basic4_pin, st::card_pulled, st::cancelled, st::cancelled, false, "入力補助 PIN"},
        {st::reading_basic4, st::card_pulled, st::reading_basic4, st::reading_basic4, false, ""},
        {st::challenging, st::card_pulled, st::cancelled, st::cancelled, false,
         "no plastic licence: the card names the person"},
        {st::auth_pin, st::card_pulled, st::cancelled, st::cancelled, false,
         "JPKI authentication PIN"},
        {st::authenticating, st::card_pulled, st::authenticating, st::authenticating, false, ""},
        {st::auth_blocked, st::auth_blocked, st::finished, st::finished, false,
         "municipality resets it", "MK-PIN-LOCKED-JPKI"},
        {st::auth_refused, st::auth_refused, st::finished, st::finished, false,
         "the card's certificate is not usable", "MK-CERT-NOT-VALID"},
        {st::looking_up, st::card_pulled, st::cancelled, st::cancelled, false, "centre record"},
        {st::expiry_warning, st::card_pulled, st::cancelled, st::cancelled, false, "R-CARD-EXPIRY"},
        {st::confirm_record, st::card_pulled, st::cancelled, st::cancelled, false, ""},
        {st::verifying, st::write_interrupted, st::verifying, st::verifying, false, "read back"},
        {st::done, st::done, st::finished, st::finished, false, "receipt"},
        {st::write_interrupted, st::write_interrupted, st::cancelled, st::cancelled, false,
         "state 01 stays: resumable", "MK-CARD-WRITE-INTERRUPTED"},
        {st::probe_again, st::write_interrupted, st::cancelled, st::cancelled, false, "same card?"},
        {st::other_card, st::other_card, st::cancelled, st::cancelled, false,
         "never finish someone else's card", "MK-CARD-OTHER"},
        {st::write_failed, st::write_failed, st::finished, st::finished, false, "",
         "MK-ISSUER-FAILED"},
        {st::card_pulled, st::card_pulled, st::cancelled, st::cancelled, false, "",
         "MK-CARD-PULLED"},
        {st::wrong_dl, st::wrong_dl, st::cancelled, st::cancelled, false, "", "MK-CARD-WRONG"},
        {st::wrong_mynumber, st::wrong_mynumber, st::cancelled, st::cancelled, false, "",
         "MK-CARD-WRONG"},
        {st::card_error, st::card_error, st::cancelled, st::cancelled, false, "",
         "MK-CARD-UNREADABLE"},
        {st::dl_blocked, st::dl_blocked, st::finished, st::finished, false, "", "MK-PIN-LOCKED-DL"},
        {st::not_same_person, st::not_same_person, st::finished, st::finished, false,
         "the two cards name two people", "MK-IDENTITY-REFUSED"},
        {st::basic4_blocked, st::basic4_blocked, st::finished, st::finished, false, "",
         "MK-PIN-LOCKED-JPKI"},
        {st::already_recorded, st::already_recorded, st::finished, st::finished, false, ""},
        {st::replaced_card, st::card_pulled, st::cancelled, st::cancelled, false, "R-LOST"},
        {st::not_home_centre, st::not_home_centre, st::finished, st::finished, false, "R-VIA"},
        {st::not_found, st::not_found, st::finished, st::finished, false, ""},
        {st::card_expired, st::card_expired, st::finished, st::finished, false, "R-CARD-EXPIRY"},
        {st::license_expired, st::license_expired, st::finished, st::finished, false,
         "past its last day: not recorded"},
        {st::center_unavailable, st::card_pulled, st::cancelled, st::cancelled, false, "",
         "MK-CENTER-UNREACHABLE"},
        {st::finished, "", "", "", true, ""},
        {st::cancelled, "", "", "", true, ""},
    };
    d.transitions = {
        {st::choose_form, "tap:form_myna_only", st::place_dl},
        {st::choose_form, "tap:form_both", st::place_dl},
        {st::place_dl, "tap:no_dl", st::place_mynumber},  // a Myna-only holder (FAQ 3, 11)
        {st::place_dl, "ready", st::dl_pin},
        {st::place_dl, "pin_locked", st::dl_blocked},
        {st::place_dl, "not_dl_card", st::wrong_dl},
        {st::place_dl, "unreadable", st::card_error},
        {st::dl_pin, "pin_sent", st::reading_dl},
        {st::dl_pin, "pin_format", st::dl_pin},  // nothing sent: the pad again, said why
        {st::reading_dl, "card:read_dl=ok", st::place_mynumber},
        {st::reading_dl, "wrong_pin", st::dl_pin},
        {st::reading_dl, "pin_locked", st::dl_blocked},
        {st::reading_dl, "unreadable", st::card_error},
        {st::place_mynumber, "ready", st::basic4_pin},
        {st::place_mynumber, "pin_locked", st::basic4_blocked},
        {st::place_mynumber, "not_my_number_card", st::wrong_mynumber},
        {st::place_mynumber, "unreadable", st::card_error},
        {st::basic4_pin, "pin_sent", st::reading_basic4},
        {st::basic4_pin, "pin_format", st::basic4_pin},
        {st::reading_basic4, "basic4_read", st::looking_up},
        {st::reading_basic4, "not_same_person", st::not_same_person},
        {st::reading_basic4, "basic4_read_no_dl", st::challenging},  // the card names the person
        {st::reading_basic4, "wrong_pin", st::basic4_pin},
        {st::reading_basic4, "pin_locked", st::basic4_blocked},
        {st::reading_basic4, "unreadable", st::card_error},
        {st::challenging, "challenge_issued", st::auth_pin},
        {st::challenging, "pin_locked", st::auth_blocked},
        {st::challenging, "unreadable", st::card_error},  // the probe's count of tries
        {st::challenging, "center_away", st::center_unavailable},
        {st::auth_pin, "pin_sent", st::authenticating},
        {st::auth_pin, "pin_format", st::auth_pin},
        {st::authenticating, "card:jpki_authenticate=ok", st::looking_up},
        {st::authenticating, "wrong_pin", st::auth_pin},
        {st::authenticating, "pin_locked", st::auth_blocked},
        {st::authenticating, "unreadable", st::card_error},
        {st::auth_blocked, "tap:done", st::finished},
        // The licence, the driving history and the card alone are looked up alike.
        {st::looking_up, "card_valid", st::confirm_record},
        {st::looking_up, "card_expiring", st::expiry_warning},
        {st::looking_up, "card_expired", st::card_expired},
        {st::looking_up, "already_recorded", st::already_recorded},
        {st::looking_up, "replaced_card", st::replaced_card},  // R-LOST
        {st::looking_up, "not_home_centre", st::not_home_centre},
        {st::looking_up, "license_expired", st::license_expired},
        {st::looking_up, "holder_not_found", st::not_found},
        {st::looking_up, "certificate_refused", st::auth_refused},
        {st::looking_up, "center_away", st::center_unavailable},
        {st::auth_refused, "tap:done", st::finished},
        {st::replaced_card, "card_valid", st::confirm_record},
        {st::replaced_card, "card_expiring", st::expiry_warning},
        {st::replaced_card, "card_expired", st::card_expired},
        {st::center_unavailable, "retry", st::looking_up},
        {st::center_unavailable, "retry_no_dl", st::challenging},  // a new challenge, the PIN again
        {st::expiry_warning, "tap:continue", st::confirm_record},
        {st::confirm_record, "tap:confirm", st::new_pin},
        {st::verifying, "verified", st::done},
        {st::verifying, "verify_failed", st::write_failed},
        {st::done, "tap:done", st::finished},
        {st::write_interrupted, "tap:retry", st::probe_again},
        {st::probe_again, "write_unfinished", st::issuer_opening},
        {st::probe_again, "write_completed", st::verifying},  // only the read-back is left
        {st::probe_again, "other_card", st::other_card},
        {st::probe_again, "unreadable", st::write_interrupted},
        {st::other_card, "tap:retry", st::probe_again},
        {st::write_failed, "tap:done", st::finished},
        {st::card_pulled, "tap:retry", st::place_dl},
        {st::wrong_dl, "tap:retry", st::place_dl},
        {st::wrong_mynumber, "tap:retry", st::place_mynumber},
        {st::card_error, "tap:retry", st::place_dl},
        {st::dl_blocked, "tap:done", st::finished},
        {st::not_same_person, "tap:done", st::finished},
        {st::basic4_blocked, "tap:done", st::finished},
        {st::already_recorded, "tap:done", st::finished},
        {st::not_home_centre, "tap:done", st::finished},
        {st::not_found, "tap:done", st::finished},
        {st::card_expired, "tap:done", st::finished},
        {st::license_expired, "tap:done", st::finished},
    };
    NewLicensePin::declare(d, {st::card_pulled, st::cancelled, IssuerRelay::kOpening});
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
    const std::set<std::string> gone = {st::place_dl,     st::dl_pin,      st::reading_dl,
                                        st::wrong_dl,     st::dl_blocked,  st::not_same_person,
                                        st::challenging,  st::auth_pin,    st::authenticating,
                                        st::auth_blocked, st::auth_refused};
    std::erase_if(d.states, [&](const StateSpec& spec) { return gone.count(spec.id) != 0; });
    std::erase_if(d.transitions, [&](const Transition& t) {
      return gone.count(t.from) != 0 || (gone.count(t.to) != 0 && t.from != st::choose_form &&
                                         t.from != st::card_pulled && t.from != st::card_error);
    });
    for (auto& t : d.transitions) {
      if (gone.count(t.to) != 0) {
        t.to = st::place_mynumber;  // choose_form, and "try again" after a pulled or unread card
      }
    }
    for (auto& spec : d.states) {
      if (spec.on_card_removed == st::place_dl) {
        spec.on_card_removed = st::place_mynumber;
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
      choice_(kScreens, [this](const std::string& screen) { return show(screen); }),
      relay_([this] { return open_issuer(); }, [this] { return show(st::writing); }),
      machine_(kind == RecordKind::license ? definition() : history_definition(), behaviours(),
               [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> RecordFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  const auto screen = [this](StateId id) { return [this, id] { return show(this->screen(id)); }; };
  const auto screen_and_card = [this](StateId id, const char* op) {
    return [this, id, op] {
      Effects e = show(this->screen(id));
      e.emplace_back(CardRequest{op, {}, {}});
      return e;
    };
  };
  for (const StateId id : {st::dl_blocked,       st::not_same_person,    st::basic4_blocked,
                           st::already_recorded, st::not_home_centre,    st::not_found,
                           st::card_expired,     st::center_unavailable, st::expiry_warning,
                           st::confirm_record,   st::license_expired,    st::auth_blocked,
                           st::auth_refused,     st::write_interrupted,  st::write_failed,
                           st::card_pulled,      st::other_card,         st::wrong_dl,
                           st::wrong_mynumber,   st::card_error,         st::done,
                           st::dl_pin,           st::basic4_pin,         st::auth_pin}) {
    b[id].enter = screen(id);
  }
  b[st::choose_form] = {screen(st::choose_form), [this](Event& e) -> Step {
                          if (e.label() == "tap:form_myna_only" || e.label() == "tap:form_both") {
                            form_ = e.name == "form_myna_only" ? HoldingForm::myna_only
                                                               : HoldingForm::both;
                          }
                          return {};
                        }};
  b[st::center_unavailable].handle = [this](Event& e) -> Step {
    if (e.label() != "tap:retry") {
      return {};
    }
    // Without a plastic licence the spent challenge cannot be used again: a new one, the PIN again.
    return {card_only_ ? "retry_no_dl" : "retry", {}};
  };
  b[st::place_dl] = {[this, place = screen_and_card(st::place_dl, card_ops::kProbeDl)] {
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
  b[st::dl_pin].handle = [this](Event& e) { return pin_entered(e, card_ops::kReadDl); };
  b[st::reading_dl] = {screen(st::reading_dl), [this](Event& e) -> Step {
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
  b[st::place_mynumber] = {
      screen_and_card(st::place_mynumber, card_ops::kProbeMyNumber), [this](Event& e) -> Step {
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
  b[st::basic4_pin].handle = [this](Event& e) { return pin_entered(e, card_ops::kReadBasic4); };
  b[st::reading_basic4] = {
      screen(st::reading_basic4), [this](Event& e) -> Step {
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
  b[st::challenging] = {
      [this] {
        Effects e = show(st::looking_up);
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
  b[st::auth_pin].handle = [this](Event& e) -> Step {
    Step step = pin_entered(e, card_ops::kJpkiAuthenticate);
    for (auto& effect : step.effects) {
      if (auto* request = std::get_if<CardRequest>(&effect)) {
        request->args["challenge"] = challenge_;
      }
    }
    return step;
  };
  b[st::authenticating] = {
      screen(st::reading_basic4), [this](Event& e) -> Step {
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
  b[st::looking_up] = {
      [this] {
        Effects e = show(st::looking_up);
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
  b[st::replaced_card] = {screen(st::replaced_card), [this](Event& e) -> Step {
                            return e.label() == "tap:continue" ? after_identity() : Step{};
                          }};
  choice_.add_behaviours(b);
  relay_.add_behaviours(b);
  b[st::verifying] = {
      [this] {
        Effects e = show(st::verifying);
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
  b[st::probe_again] = {screen_and_card(st::probe_again, card_ops::kProbeMyNumber),
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
  Effects e = show(st::writing);
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
std::string RecordFlow::screen(StateId id) const {
  static const std::set<std::string> kOwn = {
      st::choose_form, st::confirm_record,  st::done,         st::already_recorded,
      st::not_found,   st::not_home_centre, st::replaced_card};
  const bool own = kind_ == RecordKind::driving_history && kOwn.count(std::string(id)) != 0;
  return screen_of(own ? "history" : kScreens, id);
}

ViewModel RecordFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  vm.texts["title"] = {screen + ".title", {}};
  const std::string id = state_of(screen);
  const auto action = [&](const char* action_id, const char* key, ActionStyle style) {
    vm.actions.push_back({action_id, {key, {}}, style, true, {}});
  };
  const bool pin = id == st::dl_pin || id == st::basic4_pin || id == st::auth_pin;
  if (id != st::writing && id != st::verifying && id != st::reading_dl &&
      id != st::reading_basic4 && id != st::looking_up) {
    vm.texts["body"] = {screen + ".body", {}};
  }
  if (field(record_, "address_changed") == "1" && (id == st::confirm_record || id == st::done)) {
    vm.texts["address"] = {"common.address_changed", {}};
  }
  if (id == st::license_expired) {
    vm.details.push_back({"record.field.last_day", {{"value", field(record_, "expiry")}}});
  } else if (id == st::expiry_warning || id == st::card_expired) {
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
  } else if (id == st::choose_form) {
    vm.kind = ScreenKind::choice;
    action("cancel", "common.cancel", ActionStyle::back);
    const bool history = kind_ == RecordKind::driving_history;
    action("form_both", history ? "history.form_both" : "record.form_both", ActionStyle::choice);
    action("form_myna_only", history ? "history.form_myna_only" : "record.form_myna_only",
           ActionStyle::choice);
  } else if (id == st::confirm_record || id == st::done) {
    vm.kind = id == st::done ? ScreenKind::result : ScreenKind::confirm_data;
    const Fields& f = id == st::done ? readout_ : record_;
    const bool history = kind_ == RecordKind::driving_history;
    for (const char* name : {"number", "expiry", "color", "conditions", "classes"}) {
      if (history && std::string_view(name) != "number" && std::string_view(name) != "classes") {
        continue;  // a driving history shows its number and the classes held
      }
      const std::string key = name == std::string("number") ? "license_number" : name;
      const std::string value = field(f, id == st::done ? name : key);
      vm.details.push_back(value.empty() && std::string_view(name) == "conditions"
                               ? TextRef{"read_back.field.conditions_none", {}}
                               : TextRef{std::string(history && std::string_view(name) == "number"
                                                         ? "history.field."
                                                         : "read_back.field.") +
                                             name,
                                         {{"value", value}}});
    }
    if (id == st::confirm_record) {
      action("cancel", "common.cancel", ActionStyle::back);
      action("confirm", "record.confirm", ActionStyle::primary);
    } else {
      const std::string prefix = history ? "history" : "record";
      vm.texts["body"] = {
          prefix + (form_ == HoldingForm::myna_only ? ".done.body_myna_only" : ".done.body_both"),
          {}};
      action("done", "common.done", ActionStyle::primary);
    }
  } else if (id == st::expiry_warning || id == st::replaced_card) {
    action("cancel", "common.cancel", ActionStyle::back);
    action("continue", "record.continue", ActionStyle::primary);
  } else if (id == st::write_interrupted || id == st::other_card || id == st::card_pulled ||
             id == st::wrong_dl || id == st::wrong_mynumber || id == st::card_error ||
             id == st::center_unavailable) {
    vm.kind = ScreenKind::error;
    // The wrong card: the picture of the right one, on its reader.
    if (id == st::wrong_dl) {
      vm.illustration = Illustration::place_driving_licence;
    } else if (id == st::wrong_mynumber) {
      vm.illustration = Illustration::place_my_number_card;
    }
    action("cancel", "common.cancel", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else if (id == st::place_dl) {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_driving_licence;
    action("cancel", "common.cancel", ActionStyle::back);
    action("no_dl", "record.no_dl", ActionStyle::secondary);
  } else if (id == st::place_mynumber || id == st::probe_again) {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == st::dl_blocked || id == st::not_same_person || id == st::basic4_blocked ||
             id == st::already_recorded || id == st::not_home_centre || id == st::not_found ||
             id == st::card_expired || id == st::license_expired || id == st::auth_blocked ||
             id == st::auth_refused || id == st::write_failed) {
    vm.kind = ScreenKind::error;
    action("done", "common.done", ActionStyle::primary);
  } else if (id != st::pin_warning && id != st::expiry_warning && id != st::replaced_card) {
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
