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

constexpr const char* kPrefix = "pin_unlock.";
constexpr int kAuthPinTries = 3;  // the JPKI authentication PIN's

const IssuerRelay::Targets kRelayTargets = {"unlock_interrupted", "probe_again", "unlock_failed",
                                            "confirming"};

}  // namespace

const FlowDefinition& PinUnlockFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "pin_unlock";
    d.initial = "appointment";
    // id, card removed, cancel, idle, final, note
    d.states = {
        {"appointment", "appointment", "cancelled", "cancelled", false, "number or QR code"},
        {"scanning", "scanning", "cancelled", "cancelled", false, "the camera reads the QR code"},
        {"checking_in", "checking_in", "checking_in", "checking_in", false,
         "today, in its slot, once"},
        {"finding_slot", "finding_slot", "finding_slot", "finding_slot", false, "when to come"},
        {"not_open", "not_open", "finished", "finished", false, "before or after its slot"},
        {"appointment_refused", "appointment_refused", "finished", "finished", false,
         "used, locked, at another kiosk"},
        {"center_unavailable", "center_unavailable", "cancelled", "cancelled", false, ""},
        {"place_card", "place_card", "cancelled", "cancelled", false,
         "the licence PIN really locked"},
        {"wrong_card", "wrong_card", "cancelled", "cancelled", false, ""},
        {"card_error", "card_error", "cancelled", "cancelled", false, ""},
        {"card_pulled", "card_pulled", "cancelled", "cancelled", false, ""},
        {"no_record", "no_record", "finished", "finished", false, ""},
        {"not_locked", "not_locked", "finished", "finished", false,
         "R-LIC-PIN-FORGOT: at the counter"},
        {"auth_blocked", "auth_blocked", "finished", "finished", false,
         "the municipality resets it"},
        {"challenging", "card_pulled", "cancelled", "cancelled", false, ""},
        {"auth_pin", "card_pulled", "cancelled", "cancelled", false, "JPKI authentication PIN"},
        {"authenticating", "card_pulled", "authenticating", "authenticating", false, ""},
        {"photo_ready", "card_pulled", "cancelled", "cancelled", false,
         "the face, for the centre to compare"},
        {"taking_photo", "card_pulled", "taking_photo", "taking_photo", false, ""},
        {"verifying", "card_pulled", "verifying", "verifying", false,
         "card, holder and face: the centre"},
        {"wrong_person", "wrong_person", "cancelled", "cancelled", false,
         "not the card of the appointment's holder"},
        {"face_mismatch", "card_pulled", "cancelled", "cancelled", false, "attempts left"},
        {"check_again", "card_pulled", "cancelled", "cancelled", false,
         "a new challenge, the PIN again"},
        {"locked", "locked", "finished", "finished", false, "staff reopen the appointment"},
        {"auth_refused", "auth_refused", "finished", "finished", false,
         "certificate expired or revoked"},
        {"camera_failed", "camera_failed", "finished", "finished", false, "staff"},
        {"identity_failed", "identity_failed", "finished", "finished", false, "staff"},
        {"unlock_interrupted", "unlock_interrupted", "cancelled", "cancelled", false,
         "the card again"},
        {"probe_again", "unlock_interrupted", "cancelled", "cancelled", false, "the same card"},
        {"unlock_failed", "unlock_failed", "finished", "finished", false, "staff"},
        {"confirming", "confirm_pulled", "confirming", "confirming", false,
         "empty VERIFY: 10 tries"},
        {"confirm_pulled", "confirm_pulled", "finished", "finished", false, ""},
        {"done", "done", "finished", "finished", false, "the new PIN works"},
        {"finished", "", "", "", true, ""},
        {"cancelled", "", "", "", true, ""},
    };
    d.transitions = {
        {"appointment", "number_entered", "checking_in"},
        {"appointment", "number_format", "appointment"},  // nothing sent: the pad again, said why
        {"appointment", "scan_chosen", "scanning"},
        {"appointment", "no_camera", "appointment"},  // no such button: the screen again
        {"scanning", "number_read", "checking_in"},
        {"scanning", "not_appointment_code", "appointment"},
        {"scanning", "camera:scan_qr=*", "appointment"},  // no code seen, no camera: said why
        {"scanning", "tap:type", "appointment"},
        {"checking_in", "checked_in", "place_card"},
        {"checking_in", "other_procedure", "appointment_refused"},
        {"checking_in", "answer_mismatch", "appointment_refused"},  // not this check-in's answer
        {"checking_in", "center:appointment_check_in=appointment_not_found", "appointment"},
        {"checking_in", "center:appointment_check_in=appointment_not_today", "finding_slot"},
        {"checking_in", "center:appointment_check_in=appointment_outside_window", "finding_slot"},
        {"finding_slot", "center:appointment=*", "not_open"},
        {"checking_in", "center:appointment_check_in=unavailable", "center_unavailable"},
        {"checking_in", "center:appointment_check_in=*", "appointment_refused"},
        {"center_unavailable", "not_checked_in", "checking_in"},
        {"center_unavailable", "checked_in", "challenging"},
        {"place_card", "ready", "challenging"},
        {"place_card", "no_license_record", "no_record"},
        {"place_card", "license_pin_not_locked", "not_locked"},
        {"place_card", "auth_pin_locked", "auth_blocked"},
        {"place_card", "unreadable", "card_error"},
        {"place_card", "card:probe_mynumber=not_my_number_card", "wrong_card"},
        {"wrong_card", "tap:retry", "place_card"},
        {"card_error", "tap:retry", "place_card"},
        {"card_pulled", "tap:retry", "place_card"},
        {"challenging", "challenge_received", "auth_pin"},
        {"challenging", "no_challenge", "center_unavailable"},
        {"auth_pin", "pin_sent", "authenticating"},
        {"auth_pin", "pin_format", "auth_pin"},  // nothing sent: the pad again, said why
        {"authenticating", "authenticated", "photo_ready"},
        {"authenticating", "wrong_pin", "auth_pin"},
        {"authenticating", "pin_locked", "auth_blocked"},
        {"authenticating", "unreadable", "card_error"},
        {"photo_ready", "tap:take", "taking_photo"},
        {"taking_photo", "camera:take_photo=ok", "verifying"},
        {"taking_photo", "no_photo", "camera_failed"},
        {"verifying", "verified", NewLicensePin::kFirst},
        {"verifying", "answer_mismatch", "identity_failed"},  // not this check's answer
        {"verifying", "center:appointment_identity=face_not_found", "photo_ready"},
        {"verifying", "center:appointment_identity=face_mismatch", "face_mismatch"},
        // The card's signature did not hold (the centre counts it), or the challenge expired while
        // photos were retaken: a new challenge and the PIN again.
        {"verifying", "center:appointment_identity=signature_invalid", "check_again"},
        {"verifying", "center:appointment_identity=appointment_holder_mismatch", "wrong_person"},
        {"verifying", "center:appointment_identity=appointment_locked", "locked"},
        {"verifying", "center:appointment_identity=certificate_expired", "auth_refused"},
        {"verifying", "center:appointment_identity=certificate_revoked", "auth_refused"},
        {"verifying", "center:appointment_identity=unavailable", "center_unavailable"},
        {"verifying", "center:appointment_identity=*", "identity_failed"},
        {"face_mismatch", "tap:retry", "challenging"},
        {"check_again", "tap:retry", "challenging"},
        {"wrong_person", "tap:retry", "place_card"},
        {"unlock_interrupted", "tap:retry", "probe_again"},
        {"probe_again", "same_card", IssuerRelay::kOpening},
        {"probe_again", "other_card", "unlock_interrupted"},
        {"probe_again", "unreadable", "unlock_interrupted"},
        {"confirming", "confirmed", "done"},
        {"confirming", "unconfirmed", "unlock_failed"},
        {"confirm_pulled", "tap:retry", "confirming"},
        {"not_open", "tap:done", "finished"},
        {"appointment_refused", "tap:done", "finished"},
        {"no_record", "tap:done", "finished"},
        {"not_locked", "tap:done", "finished"},
        {"auth_blocked", "tap:done", "finished"},
        {"wrong_person", "tap:done", "finished"},
        {"locked", "tap:done", "finished"},
        {"auth_refused", "tap:done", "finished"},
        {"camera_failed", "tap:done", "finished"},
        {"identity_failed", "tap:done", "finished"},
        {"unlock_failed", "tap:done", "finished"},
        {"confirm_pulled", "tap:done", "finished"},
        {"done", "tap:done", "finished"},
    };
    NewLicensePin::declare(d, {"card_pulled", "cancelled", IssuerRelay::kOpening});
    IssuerRelay::declare(d, kRelayTargets);
    d.validate();
    return d;
  }();
  return def;
}

PinUnlockFlow::PinUnlockFlow(Language language, bool camera)
    : language_(language),
      camera_(camera),
      choice_("pin_unlock", [this](const std::string& screen) { return show(screen); }),
      relay_([this] { return open_issuer(); }, [this] { return show("pin_unlock.unlocking"); }),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> PinUnlockFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  const auto screen = [this](const std::string& id) {
    return [this, id] { return show(kPrefix + id); };
  };
  for (const char* id : {"not_open",           "appointment_refused", "center_unavailable",
                         "wrong_card",         "card_error",          "card_pulled",
                         "no_record",          "not_locked",          "auth_blocked",
                         "auth_pin",           "photo_ready",         "wrong_person",
                         "face_mismatch",      "check_again",         "locked",
                         "auth_refused",       "camera_failed",       "identity_failed",
                         "unlock_interrupted", "confirm_pulled",      "done"}) {
    b[id].enter = screen(id);
  }
  b["appointment"] = {screen("appointment"), [this](Event& e) { return after_number(e); }};
  b["unlock_failed"].enter = [this] {
    Effects e;
    if (!unconfirmed_) {
      // From the issuer relay (refused, or its attempts used up): its problem, for staff.
      refused_ = relay_.problem().empty() ? "issuer" : relay_.problem();
      e.emplace_back(AuditEntry{"pin_unlock.reset", "failed", refused_});
    }
    Effects shown = show("pin_unlock.unlock_failed");
    e.insert(e.begin(), std::make_move_iterator(shown.begin()),
             std::make_move_iterator(shown.end()));
    return e;
  };
  b["scanning"] = {[this] {
                     Effects e = show("pin_unlock.scanning");
                     e.emplace_back(CameraRequest{camera_ops::kScanQr, {}});
                     return e;
                   },
                   [this](Event& e) { return after_scan(e); }};
  b["checking_in"] = {[this] {
                        Effects e = show("pin_unlock.checking_in");
                        e.emplace_back(CenterRequest{
                            center_ops::kAppointmentCheckIn, {{"number", number_}}, {}, {}});
                        return e;
                      },
                      [this](Event& e) -> Step {
                        return e.kind == EventKind::center ? after_check_in(e) : Step{};
                      }};
  b["finding_slot"] = {
      [this] {
        Effects e = show("pin_unlock.checking_in");
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
  b["center_unavailable"].handle = [this](Event& e) -> Step {
    if (e.label() != "tap:retry") {
      return {};
    }
    // Checked in already: a new challenge (the last one may be spent), the PIN again.
    return {holder_ref_.empty() ? "not_checked_in" : "checked_in", {}};
  };
  b["place_card"] = {
      [this] {
        Effects e = show("pin_unlock.place_card");
        e.emplace_back(CardRequest{card_ops::kProbeMyNumber, {}, {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::card ? after_probe(e) : Step{}; }};
  b["challenging"] = {[this] {
                        Effects e = show("pin_unlock.challenging");
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
  b["auth_pin"].handle = [this](Event& e) { return after_auth_pin(e); };
  b["authenticating"] = {screen("authenticating"), [this](Event& e) -> Step {
                           return e.kind == EventKind::card ? after_authenticate(e) : Step{};
                         }};
  b["taking_photo"] = {
      [this] {
        Effects e = show("pin_unlock.taking_photo");
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
  b["verifying"] = {[this] {
                      Effects e = show("pin_unlock.verifying");
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
  b["probe_again"] = {[this] {
                        Effects e = show("pin_unlock.probe_again");
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
  b["confirming"] = {
      [this] {
        Effects e = show("pin_unlock.confirming");
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
  Effects e = show("pin_unlock.unlocking");
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

Effects PinUnlockFlow::show(const std::string& screen) const {
  Effects e;
  e.emplace_back(ShowView{view(screen)});
  return e;
}

ViewModel PinUnlockFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  const std::string id = screen.substr(screen.find('.') + 1);
  vm.texts["title"] = {screen + ".title", {}};
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style,
                          bool enabled = true) {
    vm.actions.push_back({action_id, {key, {}}, style, enabled, {}});
  };
  const bool busy = id == "checking_in" || id == "finding_slot" || id == "challenging" ||
                    id == "authenticating" || id == "taking_photo" || id == "verifying" ||
                    id == "confirming" || id == "unlocking";
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
  if (id == "appointment") {
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
  } else if (id == "scanning") {
    action("cancel", "common.cancel", ActionStyle::back);
    action("type", "pin_unlock.type_number", ActionStyle::secondary);
  } else if (id == "auth_pin") {
    vm.kind = ScreenKind::pin_entry;
    vm.pin_pad = PinPadView{.submit_action = "pin", .min_length = 4, .max_length = 4};
    vm.texts["tries"] = {tries_left(auth_tries_) == TriesLeft::last ? "pin_unlock.last_try"
                                                                    : "pin_unlock.tries_left",
                         {{"tries", std::to_string(auth_tries_)}}};
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == "place_card" || id == "probe_again") {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id == "photo_ready") {
    action("cancel", "common.cancel", ActionStyle::back);
    action("take", "pin_unlock.take", ActionStyle::primary);
  } else if (id == "not_open") {
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
  } else if (id == "appointment_refused") {
    vm.kind = ScreenKind::error;
    const std::string why = refused_ == "appointment_used"         ? "used"
                            : refused_ == "appointment_locked"     ? "locked"
                            : refused_ == "appointment_checked_in" ? "elsewhere"
                                                                   : "other";
    vm.texts["body"] = {"pin_unlock.appointment_refused." + why, {}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == "center_unavailable" || id == "wrong_card" || id == "card_error" ||
             id == "card_pulled" || id == "face_mismatch" || id == "check_again" ||
             id == "wrong_person" || id == "unlock_interrupted" || id == "confirm_pulled") {
    vm.kind = ScreenKind::error;
    if (id == "wrong_card" || id == "card_pulled" || id == "unlock_interrupted" ||
        id == "confirm_pulled") {
      vm.illustration = Illustration::place_my_number_card;
    }
    action(id == "wrong_person" || id == "confirm_pulled" ? "done" : "cancel",
           id == "wrong_person" || id == "confirm_pulled" ? "common.done" : "common.cancel",
           ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else if (id == "done") {
    vm.kind = ScreenKind::result;
    action("done", "common.done", ActionStyle::primary);
  } else {
    vm.kind = ScreenKind::error;  // no record, not locked, blocked, locked, failed, ...
    if (id == "identity_failed" || id == "unlock_failed") {
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
