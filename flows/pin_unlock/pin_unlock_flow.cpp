#include "flows/pin_unlock/pin_unlock_flow.hpp"

#include "flows/camera_ops.hpp"
#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/calendar.hpp"
#include "flows/rules/license_pin.hpp"
#include "flows/rules/pin_tries.hpp"
#include "flows/rules/pin_unlock.hpp"

namespace mk::flows {

namespace {

namespace st {
using namespace new_pin_state;
using namespace relay_state;
using namespace ends;
constexpr StateId appointment{"appointment"};
constexpr StateId scanning{"scanning"};
constexpr StateId checking_in{"checking_in"};
constexpr StateId finding_slot{"finding_slot"};
constexpr StateId not_open{"not_open"};
constexpr StateId appointment_refused{"appointment_refused"};
constexpr StateId center_unavailable{"center_unavailable"};
constexpr StateId place_card{"place_card"};
constexpr StateId wrong_card{"wrong_card"};
constexpr StateId card_error{"card_error"};
constexpr StateId card_pulled{"card_pulled"};
constexpr StateId no_record{"no_record"};
constexpr StateId not_locked{"not_locked"};
constexpr StateId auth_blocked{"auth_blocked"};
constexpr StateId challenging{"challenging"};
constexpr StateId auth_pin{"auth_pin"};
constexpr StateId authenticating{"authenticating"};
constexpr StateId photo_ready{"photo_ready"};
constexpr StateId taking_photo{"taking_photo"};
constexpr StateId verifying{"verifying"};
constexpr StateId wrong_person{"wrong_person"};
constexpr StateId face_mismatch{"face_mismatch"};
constexpr StateId check_again{"check_again"};
constexpr StateId locked{"locked"};
constexpr StateId auth_refused{"auth_refused"};
constexpr StateId camera_failed{"camera_failed"};
constexpr StateId identity_failed{"identity_failed"};
constexpr StateId unlock_interrupted{"unlock_interrupted"};
constexpr StateId probe_again{"probe_again"};
constexpr StateId unlock_failed{"unlock_failed"};
constexpr StateId confirming{"confirming"};
constexpr StateId confirm_pulled{"confirm_pulled"};
constexpr StateId done{"done"};
constexpr StateId unlocking{"unlocking"};  // not a state: the screen of the relay's states
}  // namespace st

constexpr int kAuthPinTries = 3;  // the JPKI authentication PIN's

const IssuerRelay::Targets kRelayTargets = {st::unlock_interrupted, st::probe_again,
                                            st::unlock_failed, st::confirming};

}  // namespace

const FlowDefinition& PinUnlockFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "pin_unlock";
    d.initial = st::appointment;
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::appointment, st::appointment, st::cancelled, st::cancelled, false,
         "number or QR code"},
        {st::scanning, st::scanning, st::cancelled, st::cancelled, false,
         "the camera reads the QR code"},
        {st::checking_in, st::checking_in, st::checking_in, st::checking_in, false,
         "today, in its slot, once"},
        {st::finding_slot, st::finding_slot, st::finding_slot, st::finding_slot, false,
         "when to come"},
        {st::not_open, st::not_open, st::finished, st::finished, false, "before or after its slot",
         "MK-APPOINTMENT-REFUSED"},
        {st::appointment_refused, st::appointment_refused, st::finished, st::finished, false,
         "used, locked, at another kiosk", "MK-APPOINTMENT-REFUSED"},
        {st::center_unavailable, st::center_unavailable, st::cancelled, st::cancelled, false, "",
         "MK-CENTER-UNREACHABLE"},
        {st::place_card, st::place_card, st::cancelled, st::cancelled, false,
         "the licence PIN really locked"},
        {st::wrong_card, st::wrong_card, st::cancelled, st::cancelled, false, "", "MK-CARD-WRONG"},
        {st::card_error, st::card_error, st::cancelled, st::cancelled, false, "",
         "MK-CARD-UNREADABLE"},
        {st::card_pulled, st::card_pulled, st::cancelled, st::cancelled, false, "",
         "MK-CARD-PULLED"},
        {st::no_record, st::no_record, st::finished, st::finished, false, ""},
        {st::not_locked, st::not_locked, st::finished, st::finished, false,
         "R-LIC-PIN-FORGOT: at the counter"},
        {st::auth_blocked, st::auth_blocked, st::finished, st::finished, false,
         "the municipality resets it", "MK-PIN-LOCKED-JPKI"},
        {st::challenging, st::card_pulled, st::cancelled, st::cancelled, false, ""},
        {st::auth_pin, st::card_pulled, st::cancelled, st::cancelled, false,
         "JPKI authentication PIN"},
        {st::authenticating, st::card_pulled, st::authenticating, st::authenticating, false, ""},
        {st::photo_ready, st::card_pulled, st::cancelled, st::cancelled, false,
         "the face, for the centre to compare"},
        {st::taking_photo, st::card_pulled, st::taking_photo, st::taking_photo, false, ""},
        {st::verifying, st::card_pulled, st::verifying, st::verifying, false,
         "card, holder and face: the centre"},
        {st::wrong_person, st::wrong_person, st::cancelled, st::cancelled, false,
         "not the card of the appointment's holder", "MK-IDENTITY-REFUSED"},
        {st::face_mismatch, st::card_pulled, st::cancelled, st::cancelled, false, "attempts left",
         "MK-IDENTITY-REFUSED"},
        {st::check_again, st::card_pulled, st::cancelled, st::cancelled, false,
         "a new challenge, the PIN again", "MK-IDENTITY-REFUSED"},
        {st::locked, st::locked, st::finished, st::finished, false, "staff reopen the appointment",
         "MK-APPOINTMENT-REFUSED"},
        {st::auth_refused, st::auth_refused, st::finished, st::finished, false,
         "certificate expired or revoked", "MK-CERT-NOT-VALID"},
        {st::camera_failed, st::camera_failed, st::finished, st::finished, false, "staff",
         "MK-CAMERA-NO-PHOTO"},
        {st::identity_failed, st::identity_failed, st::finished, st::finished, false, "staff",
         "MK-IDENTITY-REFUSED"},
        {st::unlock_interrupted, st::unlock_interrupted, st::cancelled, st::cancelled, false,
         "the card again", "MK-CARD-WRITE-INTERRUPTED"},
        {st::probe_again, st::unlock_interrupted, st::cancelled, st::cancelled, false,
         "the same card"},
        {st::unlock_failed, st::unlock_failed, st::finished, st::finished, false, "staff",
         "MK-ISSUER-FAILED"},
        {st::confirming, st::confirm_pulled, st::confirming, st::confirming, false,
         "empty VERIFY: 10 tries"},
        {st::confirm_pulled, st::confirm_pulled, st::finished, st::finished, false, "",
         "MK-CARD-PULLED"},
        {st::done, st::done, st::finished, st::finished, false, "the new PIN works"},
        {st::finished, "", "", "", true, ""},
        {st::cancelled, "", "", "", true, ""},
    };
    d.transitions = {
        {st::appointment, "number_entered", st::checking_in},
        {st::appointment, "number_format",
         st::appointment},  // nothing sent: the pad again, said why
        {st::appointment, "scan_chosen", st::scanning},
        {st::appointment, "no_camera", st::appointment},  // no such button: the screen again
        {st::scanning, "number_read", st::checking_in},
        {st::scanning, "not_appointment_code", st::appointment},
        {st::scanning, "camera:scan_qr=*", st::appointment},  // no code seen, no camera: said why
        {st::scanning, "tap:type", st::appointment},
        {st::checking_in, "checked_in", st::place_card},
        {st::checking_in, "other_procedure", st::appointment_refused},
        {st::checking_in, "answer_mismatch",
         st::appointment_refused},  // not this check-in's answer
        {st::checking_in, "center:appointment_check_in=appointment_not_found", st::appointment},
        {st::checking_in, "center:appointment_check_in=appointment_not_today", st::finding_slot},
        {st::checking_in, "center:appointment_check_in=appointment_outside_window",
         st::finding_slot},
        {st::finding_slot, "center:appointment=*", st::not_open},
        {st::checking_in, "center:appointment_check_in=unavailable", st::center_unavailable},
        {st::checking_in, "center:appointment_check_in=*", st::appointment_refused},
        {st::center_unavailable, "not_checked_in", st::checking_in},
        {st::center_unavailable, "checked_in", st::challenging},
        {st::place_card, "ready", st::challenging},
        {st::place_card, "no_license_record", st::no_record},
        {st::place_card, "license_pin_not_locked", st::not_locked},
        {st::place_card, "auth_pin_locked", st::auth_blocked},
        {st::place_card, "unreadable", st::card_error},
        {st::place_card, "card:probe_mynumber=not_my_number_card", st::wrong_card},
        {st::wrong_card, "tap:retry", st::place_card},
        {st::card_error, "tap:retry", st::place_card},
        {st::card_pulled, "tap:retry", st::place_card},
        {st::challenging, "challenge_received", st::auth_pin},
        {st::challenging, "no_challenge", st::center_unavailable},
        {st::auth_pin, "pin_sent", st::authenticating},
        {st::auth_pin, "pin_format", st::auth_pin},  // nothing sent: the pad again, said why
        {st::authenticating, "authenticated", st::photo_ready},
        {st::authenticating, "wrong_pin", st::auth_pin},
        {st::authenticating, "pin_locked", st::auth_blocked},
        {st::authenticating, "unreadable", st::card_error},
        {st::photo_ready, "tap:take", st::taking_photo},
        {st::taking_photo, "camera:take_photo=ok", st::verifying},
        {st::taking_photo, "no_photo", st::camera_failed},
        {st::verifying, "verified", NewLicensePin::kFirst},
        {st::verifying, "answer_mismatch", st::identity_failed},  // not this check's answer
        {st::verifying, "center:appointment_identity=face_not_found", st::photo_ready},
        {st::verifying, "center:appointment_identity=face_mismatch", st::face_mismatch},
        // The card's signature did not hold (the centre counts it), or the challenge expired while
        // photos were retaken: a new challenge and the PIN again.
        {st::verifying, "center:appointment_identity=signature_invalid", st::check_again},
        {st::verifying, "center:appointment_identity=appointment_holder_mismatch",
         st::wrong_person},
        {st::verifying, "center:appointment_identity=appointment_locked", st::locked},
        {st::verifying, "center:appointment_identity=certificate_expired", st::auth_refused},
        {st::verifying, "center:appointment_identity=certificate_revoked", st::auth_refused},
        {st::verifying, "center:appointment_identity=unavailable", st::center_unavailable},
        {st::verifying, "center:appointment_identity=*", st::identity_failed},
        {st::face_mismatch, "tap:retry", st::challenging},
        {st::check_again, "tap:retry", st::challenging},
        {st::wrong_person, "tap:retry", st::place_card},
        {st::unlock_interrupted, "tap:retry", st::probe_again},
        {st::probe_again, "same_card", IssuerRelay::kOpening},
        {st::probe_again, "other_card", st::unlock_interrupted},
        {st::probe_again, "unreadable", st::unlock_interrupted},
        {st::confirming, "confirmed", st::done},
        {st::confirming, "unconfirmed", st::unlock_failed},
        {st::confirm_pulled, "tap:retry", st::confirming},
        {st::not_open, "tap:done", st::finished},
        {st::appointment_refused, "tap:done", st::finished},
        {st::no_record, "tap:done", st::finished},
        {st::not_locked, "tap:done", st::finished},
        {st::auth_blocked, "tap:done", st::finished},
        {st::wrong_person, "tap:done", st::finished},
        {st::locked, "tap:done", st::finished},
        {st::auth_refused, "tap:done", st::finished},
        {st::camera_failed, "tap:done", st::finished},
        {st::identity_failed, "tap:done", st::finished},
        {st::unlock_failed, "tap:done", st::finished},
        {st::confirm_pulled, "tap:done", st::finished},
        {st::done, "tap:done", st::finished},
    };
    NewLicensePin::declare(d, {st::card_pulled, st::cancelled, IssuerRelay::kOpening});
    IssuerRelay::declare(d, kRelayTargets);
    d.validate();
    return d;
  }();
  return def;
}

PinUnlockFlow::PinUnlockFlow(Language language, bool camera)
    : language_(language),
      camera_(camera),
      choice_(kScreens, [this](const std::string& screen) { return show(screen); }),
      relay_([this] { return open_issuer(); }, [this] { return show(st::unlocking); }),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> PinUnlockFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  const auto screen = [this](StateId id) { return [this, id] { return show(id); }; };
  for (const StateId id : {st::not_open,           st::appointment_refused, st::center_unavailable,
                           st::wrong_card,         st::card_error,          st::card_pulled,
                           st::no_record,          st::not_locked,          st::auth_blocked,
                           st::auth_pin,           st::photo_ready,         st::wrong_person,
                           st::face_mismatch,      st::check_again,         st::locked,
                           st::auth_refused,       st::camera_failed,       st::identity_failed,
                           st::unlock_interrupted, st::confirm_pulled,      st::done}) {
    b[id].enter = screen(id);
  }
  b[st::appointment] = {screen(st::appointment), [this](Event& e) { return after_number(e); }};
  b[st::unlock_failed].enter = [this] {
    Effects e;
    if (!unconfirmed_) {
      // From the issuer relay (refused, or its attempts used up): its problem, for staff.
      refused_ = relay_.problem().empty() ? "issuer" : relay_.problem();
      e.emplace_back(AuditEntry{"pin_unlock.reset", "failed", refused_});
    }
    Effects shown = show(st::unlock_failed);
    e.insert(e.begin(), std::make_move_iterator(shown.begin()),
             std::make_move_iterator(shown.end()));
    return e;
  };
  b[st::scanning] = {[this] {
                       Effects e = show(st::scanning);
                       e.emplace_back(CameraRequest{camera_ops::kScanQr, {}});
                       return e;
                     },
                     [this](Event& e) { return after_scan(e); }};
  b[st::checking_in] = {[this] {
                          Effects e = show(st::checking_in);
                          e.emplace_back(CenterRequest{
                              center_ops::kAppointmentCheckIn, {{"number", number_}}, {}, {}});
                          return e;
                        },
                        [this](Event& e) -> Step {
                          return e.kind == EventKind::center ? after_check_in(e) : Step{};
                        }};
  b[st::finding_slot] = {
      [this] {
        Effects e = show(st::checking_in);
        e.emplace_back(CenterRequest{center_ops::kAppointment, {{"number", number_}}, {}, {}});
        return e;
      },
      [this](Event& e) -> Step {
        // Its slot, to say when to come; without it the screen still says why.
        if (e.kind == EventKind::center && e.outcome == card_ops::kOk &&
            field(e.fields, "number") == number_) {
          slot_start_ = field(e.fields, "slot_start");
          slot_end_ = field(e.fields, "slot_end");
        }
        return {};  // the table's not_open, whatever the answer
      }};
  b[st::center_unavailable].handle = [this](Event& e) -> Step {
    if (e.label() != "tap:retry") {
      return {};
    }
    // Checked in already: a new challenge (the last one may be spent), the PIN again.
    return {holder_ref_.empty() ? "not_checked_in" : "checked_in", {}};
  };
  b[st::place_card] = {
      [this] {
        Effects e = show(st::place_card);
        e.emplace_back(CardRequest{card_ops::kProbeMyNumber, {}, {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::card ? after_probe(e) : Step{}; }};
  b[st::challenging] = {[this] {
                          Effects e = show(st::challenging);
                          e.emplace_back(CenterRequest{center_ops::kAuthChallenge, {}, {}, {}});
                          return e;
                        },
                        [this](Event& e) -> Step {
                          if (e.kind != EventKind::center) {
                            return {};
                          }
                          challenge_ = field(e.fields, "challenge");
                          if (e.outcome != card_ops::kOk || challenge_.empty()) {
                            return {"no_challenge", {}};
                          }
                          return {"challenge_received", {}};
                        }};
  b[st::auth_pin].handle = [this](Event& e) { return after_auth_pin(e); };
  b[st::authenticating] = {screen(st::authenticating), [this](Event& e) -> Step {
                             return e.kind == EventKind::card ? after_authenticate(e) : Step{};
                           }};
  b[st::taking_photo] = {
      [this] {
        Effects e = show(st::taking_photo);
        e.emplace_back(CameraRequest{camera_ops::kTakePhoto, {}});
        return e;
      },
      [this](Event& e) -> Step {
        if (e.kind != EventKind::camera || e.name != camera_ops::kTakePhoto) {
          return {};  // a late answer of another request (a scan left behind)
        }
        if (e.outcome != camera_ops::kOk || e.blob.empty()) {
          Effects effects;
          effects.emplace_back(AuditEntry{"pin_unlock.photo", "failed", e.outcome});
          return {"no_photo", std::move(effects)};
        }
        flows::wipe(photo_);  // a face taken before is not kept
        photo_ = std::move(e.blob);
        return {};  // the table's edge for a photo taken
      }};
  b[st::verifying] = {[this] {
                        Effects e = show(st::verifying);
                        CenterRequest r{center_ops::kAppointmentIdentity,
                                        {{"number", number_},
                                         {"card_id", card_id_},
                                         {"challenge", challenge_},
                                         {"certificate", field(authentication_, "certificate")},
                                         {"signature", field(authentication_, "signature")}},
                                        {},
                                        {}};
                        r.blob = photo_;
                        e.emplace_back(std::move(r));
                        return e;
                      },
                      [this](Event& e) -> Step {
                        return e.kind == EventKind::center ? after_identity(e) : Step{};
                      }};
  choice_.add_behaviours(b);
  relay_.add_behaviours(b);
  b[st::probe_again] = {
      [this] {
        Effects e = show(st::probe_again);
        e.emplace_back(CardRequest{card_ops::kProbeMyNumber, {}, {}});
        return e;
      },
      [this](Event& e) -> Step {
        if (e.kind != EventKind::card) {
          return {};
        }
        // Only the card of this procedure: the new PIN is this person's.
        if (e.outcome == card_ops::kOk && field(e.fields, "card_id") == card_id_) {
          return {"same_card", {}};
        }
        const bool read = e.outcome == card_ops::kOk;
        problem_ = read ? "pin_unlock.other_card" : "";
        return {read ? "other_card" : "unreadable", {}};
      }};
  b[st::confirming] = {
      [this] {
        Effects e = show(st::confirming);
        e.emplace_back(CardRequest{card_ops::kProbeLicenseAp, {}, {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::card ? after_confirm(e) : Step{}; }};
  return b;
}

Step PinUnlockFlow::after_number(Event& e) {
  if (e.label() == "tap:scan") {
    problem_.clear();
    return {camera_ ? "scan_chosen" : "no_camera", {}};
  }
  if (e.label() != "tap:number") {
    return {};
  }
  const std::string typed(e.secret.reveal());
  e.secret.clear();
  if (!is_appointment_number(typed)) {
    problem_ = "pin_unlock.number_format";
    return {"number_format", {}};
  }
  problem_.clear();
  number_ = typed;
  return {"number_entered", {}};
}

Step PinUnlockFlow::after_scan(Event& e) {
  if (e.label() == "tap:type") {
    problem_.clear();
    return {};  // the table's edge back to the pad
  }
  if (e.kind != EventKind::camera || e.name != camera_ops::kScanQr) {
    return {};
  }
  if (e.outcome != camera_ops::kOk) {
    problem_ = e.outcome == camera_ops::kNoCode ? "pin_unlock.no_code" : "pin_unlock.no_camera";
    return {};  // the table's edge back to the pad, which says why
  }
  const auto number = appointment_number_from_qr(field(e.fields, "text"));
  flows::wipe(e.fields);
  if (!number) {
    problem_ = "pin_unlock.not_appointment_code";  // a web address, a ticket: not ours
    return {"not_appointment_code", {}};
  }
  problem_.clear();
  number_ = *number;
  return {"number_read", {}};
}

Step PinUnlockFlow::after_check_in(Event& e) {
  Effects effects;
  effects.emplace_back(AuditEntry{"pin_unlock.check_in", e.outcome == "ok" ? "ok" : "refused",
                                  e.outcome == "ok" ? "" : e.outcome});
  if (e.outcome == card_ops::kOk) {
    if (field(e.fields, "kind") != "pin_unlock") {
      refused_ = "not_pin_unlock";  // an appointment for something else: not this procedure's
      return {"other_procedure", std::move(effects)};
    }
    if (field(e.fields, "number") != number_ || field(e.fields, "holder_ref").empty()) {
      refused_ = "answer_mismatch";  // not the answer to this check-in: trust nothing of it
      return {"answer_mismatch", std::move(effects)};
    }
    holder_ref_ = field(e.fields, "holder_ref");
    slot_start_ = field(e.fields, "slot_start");
    slot_end_ = field(e.fields, "slot_end");
    flows::wipe(e.fields);
    return {"checked_in", std::move(effects)};
  }
  refused_ = e.outcome;
  if (e.outcome == "appointment_not_found") {
    problem_ = "pin_unlock.not_found";  // a typing slip: the number again
  }
  return {"", std::move(effects)};  // the centre's refusal: the table's edge for its code
}

Step PinUnlockFlow::after_probe(Event& e) {
  if (e.outcome == card_ops::kNotMyNumberCard) {
    return {};  // the table's edge for it
  }
  const int license_tries = count_field(e.fields, "license_tries", kLicensePinTries);
  auth_tries_ = count_field(e.fields, "auth_tries", kAuthPinTries);
  card_id_ = field(e.fields, "card_id");
  if (e.outcome != card_ops::kOk || auth_tries_ < 0 || card_id_.empty()) {
    return {"unreadable", {}};
  }
  if (field(e.fields, "has_license_ap") != "1" || field(e.fields, "record_state") != "02") {
    return {"no_license_record", {}};
  }
  if (license_tries < 0) {
    return {"unreadable", {}};
  }
  // R-LIC-PIN-LOCK: only a locked PIN is unlocked; one that still has tries is the person's to
  // use (a forgotten one is confirmed at the counter, R-LIC-PIN-FORGOT).
  if (tries_left(license_tries) != TriesLeft::none) {
    return {"license_pin_not_locked", {}};
  }
  problem_.clear();
  if (tries_left(auth_tries_) == TriesLeft::none) {
    return {"auth_pin_locked", {}};  // before any PIN: the municipality resets it
  }
  return {"ready", {}};
}

Step PinUnlockFlow::after_auth_pin(Event& e) {
  if (e.label() != "tap:pin") {
    return {};
  }
  if (check_license_pin_format(e.secret.reveal()) != PinProblem::none) {
    problem_ = "pin_unlock.pin_format";  // four digits: nothing sent
    return {"pin_format", {}};
  }
  problem_.clear();
  Effects effects;
  effects.emplace_back(
      CardRequest{card_ops::kJpkiAuthenticate, {{"challenge", challenge_}}, std::move(e.secret)});
  return {"pin_sent", std::move(effects)};
}

Step PinUnlockFlow::after_authenticate(Event& e) {
  if (e.outcome == card_ops::kWrongPin) {
    auth_tries_ = count_field(e.fields, "tries", kAuthPinTries);
    problem_ = "pin_unlock.pin_wrong";
    return {wrong_pin_outcome(auth_tries_), {}};
  }
  if (e.outcome == card_ops::kBlocked) {
    return {"pin_locked", {}};
  }
  if (e.outcome != card_ops::kOk || field(e.fields, "certificate").empty() ||
      field(e.fields, "signature").empty()) {
    return {"unreadable", {}};
  }
  authentication_ = std::move(e.fields);
  return {"authenticated", {}};
}

Step PinUnlockFlow::after_identity(Event& e) {
  flows::wipe(photo_);  // sent: the kiosk keeps no face
  Effects effects;
  effects.emplace_back(AuditEntry{"pin_unlock.identity", e.outcome == "ok" ? "verified" : "refused",
                                  e.outcome == "ok" ? "" : e.outcome});
  if (e.outcome == card_ops::kOk) {
    flows::wipe(authentication_);
    if (field(e.fields, "number") != number_ || field(e.fields, "status") != "verified") {
      refused_ = "answer_mismatch";  // not the answer to this check: trust nothing of it
      return {"answer_mismatch", std::move(effects)};
    }
    problem_.clear();
    choice_.wipe();  // a new choice (a card pulled after an earlier one starts over)
    return {"verified", std::move(effects)};
  }
  refused_ = e.outcome;
  if (e.outcome == "face_not_found") {
    // No face the centre could compare: nothing counted, the signed challenge still holds.
    problem_ = "pin_unlock.face_not_found";
  } else {
    // The signed challenge is of no more use: whatever comes next signs a new one.
    flows::wipe(authentication_);
  }
  return {"", std::move(effects)};  // the centre's refusal: the table's edge for its code
}

Effects PinUnlockFlow::open_issuer() {
  Effects e = show(st::unlocking);
  e.emplace_back(AuditEntry{"pin_unlock.reset", "started", ""});
  // The PIN chosen a moment ago stays with the piece until the procedure ends: a card pulled
  // during the reset is finished with the same PIN, never one the person did not type.
  e.emplace_back(CenterRequest{center_ops::kIssuerOpen,
                               {{"holder_ref", holder_ref_},
                                {"operation", "reset_pin"},
                                {"resume", "0"},
                                {"card_id", card_id_}},
                               base::SecretBytes(choice_.pin().reveal()),
                               {}});
  return e;
}

Step PinUnlockFlow::after_confirm(Event& e) {
  // The empty VERIFY after the reset: the counter back at 10 is the card's own word that the
  // unlock took (the centre's "done" is the issuer's).
  const int tries = count_field(e.fields, "tries", kLicensePinTries);
  Effects effects;
  if (e.outcome == card_ops::kOk && field(e.fields, "card_id") == card_id_ &&
      tries == kLicensePinTries) {
    effects.emplace_back(AuditEntry{"pin_unlock.reset", "complete", ""});
    return {"confirmed", std::move(effects)};
  }
  refused_ = e.outcome == card_ops::kOk ? "tries " + std::to_string(tries) : e.outcome;
  unconfirmed_ = true;
  effects.emplace_back(AuditEntry{"pin_unlock.reset", "unconfirmed", refused_});
  return {"unconfirmed", std::move(effects)};
}

ViewModel PinUnlockFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  const std::string id = state_of(screen);
  vm.texts["title"] = {screen + ".title", {}};
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style,
                          bool enabled = true) {
    vm.actions.push_back({action_id, {key, {}}, style, enabled, {}});
  };
  const bool busy = id == st::checking_in || id == st::finding_slot || id == st::challenging ||
                    id == st::authenticating || id == st::taking_photo || id == st::verifying ||
                    id == st::confirming || id == st::unlocking;
  if (busy) {
    vm.kind = ScreenKind::progress;
    return vm;
  }
  vm.texts["body"] = {screen + ".body", {}};
  if (choice_.screen(vm, id)) {
    return vm;  // the new PIN's screens say the piece's own problems, not this flow's
  }
  if (!problem_.empty()) {
    vm.texts["problem"] = {problem_, {}};
  }
  if (id == st::appointment) {
    vm.kind = ScreenKind::pin_entry;
    // An appointment's number is no secret: the person sees the digits they type.
    vm.pin_pad = PinPadView{.submit_action = "number",
                            .min_length = kAppointmentDigits,
                            .max_length = kAppointmentDigits,
                            .masked = false};
    action("cancel", "common.cancel", ActionStyle::back);
    if (camera_) {
      action("scan", "pin_unlock.scan", ActionStyle::secondary);
    }
  } else if (id == st::scanning) {
    action("cancel", "common.cancel", ActionStyle::back);
    action("type", "pin_unlock.type_number", ActionStyle::secondary);
  } else if (id == st::auth_pin) {
    vm.kind = ScreenKind::pin_entry;
    vm.pin_pad = PinPadView{.submit_action = "pin", .min_length = 4, .max_length = 4};
    vm.texts["tries"] = {tries_left(auth_tries_) == TriesLeft::last ? "pin_unlock.last_try"
                                                                    : "pin_unlock.tries_left",
                         {{"tries", std::to_string(auth_tries_)}}};
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == st::place_card || id == st::probe_again) {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == st::photo_ready) {
    action("cancel", "common.cancel", ActionStyle::back);
    action("take", "pin_unlock.take", ActionStyle::primary);
  } else if (id == st::not_open) {
    vm.kind = ScreenKind::error;
    // The slot, as the centre has it ("2026-11-27T18:00:00+09:00"): its times of day.
    const auto day =
        slot_start_.size() >= 16 ? parse_iso_date(slot_start_.substr(0, 10)) : std::nullopt;
    if (day && slot_end_.size() >= 16) {
      vm.texts["when"] = {"pin_unlock.slot",
                          {{"from", slot_start_.substr(11, 5)},
                           {"to", slot_end_.substr(11, 5)},
                           {"year", std::to_string(day->year)},
                           {"month", std::to_string(day->month)},
                           {"day", std::to_string(day->day)}}};
    }
    vm.texts["body"] = {refused_ == "appointment_not_today" ? "pin_unlock.not_open.other_day"
                                                            : "pin_unlock.not_open.body",
                        {}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::appointment_refused) {
    vm.kind = ScreenKind::error;
    const std::string why = refused_ == "appointment_used"         ? "used"
                            : refused_ == "appointment_locked"     ? "locked"
                            : refused_ == "appointment_checked_in" ? "elsewhere"
                                                                   : "other";
    vm.texts["body"] = {"pin_unlock.appointment_refused." + why, {}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::center_unavailable || id == st::wrong_card || id == st::card_error ||
             id == st::card_pulled || id == st::face_mismatch || id == st::check_again ||
             id == st::wrong_person || id == st::unlock_interrupted || id == st::confirm_pulled) {
    vm.kind = ScreenKind::error;
    if (id == st::wrong_card || id == st::card_pulled || id == st::unlock_interrupted ||
        id == st::confirm_pulled) {
      vm.illustration = Illustration::place_my_number_card;
    }
    action(id == st::wrong_person || id == st::confirm_pulled ? "done" : "cancel",
           id == st::wrong_person || id == st::confirm_pulled ? "common.done" : "common.cancel",
           ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else if (id == st::done) {
    vm.kind = ScreenKind::result;
    action("done", "common.done", ActionStyle::primary);
  } else {
    vm.kind = ScreenKind::error;  // no record, not locked, blocked, locked, failed, ...
    if (id == st::identity_failed || id == st::unlock_failed) {
      vm.texts["note"] = {"pin_unlock.failed_code", {{"code", refused_}}};
    }
    action("done", "common.done", ActionStyle::primary);
  }
  return vm;
}

void PinUnlockFlow::wipe() {
  choice_.wipe();
  relay_.wipe();
  flows::wipe(number_);
  flows::wipe(holder_ref_);
  flows::wipe(card_id_);
  flows::wipe(challenge_);
  flows::wipe(authentication_);
  flows::wipe(photo_);
  slot_start_.clear();
  slot_end_.clear();
  refused_.clear();
  problem_.clear();
  unconfirmed_ = false;
  auth_tries_ = 0;
}

}  // namespace mk::flows
