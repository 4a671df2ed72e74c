// The after-hours licence PIN unlock (R-LIC-PIN-LOCK) driven through its paths with scripted card,
// camera and centre answers: check-in by number and by QR code, the licence PIN really locked,
// the authentication PIN never guessed, the photo sent once and kept nowhere, the centre's
// identity refusals, the new PIN twice, the issuer relay, and the empty VERIFY that confirms it.
#include "flows/pin_unlock/pin_unlock_flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/camera_ops.hpp"
#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/pin_unlock.hpp"
#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

const std::string kCard = std::string(64, 'c');

Fields probe(const char* license_tries = "0", const char* auth_tries = "3") {
  return {{"basic4_tries", "3"},  {"auth_tries", auth_tries},       {"has_license_ap", "1"},
          {"record_state", "02"}, {"license_tries", license_tries}, {"card_id", kCard}};
}

Fields appointment(const char* number = "20260001") {
  return {{"number", number},
          {"kind", "pin_unlock"},
          {"holder_ref", "H-9"},
          {"slot_start", "2026-11-27T18:00:00+09:00"},
          {"slot_end", "2026-11-27T18:30:00+09:00"},
          {"status", "checked_in"}};
}

class PinUnlock : public ::testing::Test {
 protected:
  void run(const Effects& effects) { asked_.record(effects); }
  void send(Event e) { run(flow_->dispatch(std::move(e))); }
  void type(const std::string& action, const std::string& digits) {
    send(Event::typed(action, base::SecretBytes(digits)));
  }

  void checked_in() {
    run(flow_->start());
    ASSERT_EQ(flow_->state(), "appointment");
    type("number", "20260001");
    ASSERT_EQ(asked_.ops.back(), "center:appointment_check_in");
    EXPECT_EQ(asked_.center_args["number"], "20260001");
    send(Event::center(center_ops::kAppointmentCheckIn, "ok", appointment()));
    ASSERT_EQ(flow_->state(), "place_card");
  }
  // Checked in, the card's locked PIN seen, the challenge signed with the authentication PIN.
  void authenticated() {
    checked_in();
    send(Event::card(card_ops::kProbeMyNumber, "ok", probe()));
    ASSERT_EQ(asked_.ops.back(), "center:auth_challenge");
    send(Event::center(center_ops::kAuthChallenge, "ok", {{"challenge", std::string(64, 'A')}}));
    ASSERT_EQ(flow_->state(), "auth_pin");
    type("pin", "2468");
    ASSERT_EQ(asked_.ops.back(), "card:jpki_authenticate");
    EXPECT_EQ(asked_.pin, "2468");
    EXPECT_EQ(asked_.args["challenge"], std::string(64, 'A'));
    send(Event::card(card_ops::kJpkiAuthenticate, "ok",
                     {{"certificate", "3082AA"}, {"signature", "5151"}}));
    ASSERT_EQ(flow_->state(), "photo_ready");
  }
  void photographed() {
    authenticated();
    send(Event::tap("take"));
    ASSERT_EQ(asked_.ops.back(), "camera:take_photo");
    Event photo = Event::camera(camera_ops::kTakePhoto, "ok");
    photo.blob = {0xFF, 0xD8, 0xFF, 0xE0};
    send(std::move(photo));
    ASSERT_EQ(asked_.ops.back(), "center:appointment_identity");
  }
  // The centre's issuer session for the reset, relayed to the card, answered "done".
  void issuer_resets() {
    send(Event::center(center_ops::kIssuerOpen, "ok",
                       {{"session", "S1"}, {"phase", "license_ap"}, {"apdus", "00A4"}}));
    send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000"}}));
    send(Event::center(center_ops::kIssuerPhaseOpen, "ok", {{"apdus", "842C"}}));
    send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000"}}));
    send(Event::center(center_ops::kIssuerPhaseAnswers, "ok",
                       {{"complete", "1"}, {"done", "1"}, {"status", "9000"}}));
  }
  void verified() {
    photographed();
    send(Event::center(center_ops::kAppointmentIdentity, "ok",
                       {{"number", "20260001"}, {"status", "verified"}}));
    ASSERT_EQ(flow_->state(), "new_pin");
  }

  std::unique_ptr<PinUnlockFlow> flow_ = std::make_unique<PinUnlockFlow>(Language::ja, true);
  testing::Asked asked_;
};

TEST_F(PinUnlock, R_LIC_PIN_LOCK_UnlocksWithTheNewPinThroughTheIssuerAndConfirmsTenTries) {
  verified();
  type("pin", "1357");
  type("pin", "1357");
  ASSERT_EQ(flow_->state(), "issuer_opening");
  EXPECT_EQ(asked_.ops.back(), "center:issuer_open");
  EXPECT_EQ(asked_.center_args["operation"], "reset_pin");
  EXPECT_EQ(asked_.center_args["holder_ref"], "H-9");
  EXPECT_EQ(asked_.center_args["card_id"], kCard);
  EXPECT_EQ(asked_.pin, "1357");
  issuer_resets();
  ASSERT_EQ(flow_->state(), "confirming");
  ASSERT_EQ(asked_.ops.back(), "card:probe_license_ap");
  EXPECT_EQ(asked_.pin, "") << "the confirmation is an empty VERIFY: no PIN";
  send(Event::card(card_ops::kProbeLicenseAp, "ok", {{"tries", "10"}, {"card_id", kCard}}));
  EXPECT_EQ(flow_->state(), "done");
  EXPECT_THAT(asked_.ops, Contains("audit:pin_unlock.reset=complete"));
  EXPECT_THAT(asked_.ops, Contains("audit:pin_unlock.identity=verified"));
}

TEST_F(PinUnlock, R_LIC_PIN_LOCK_ACounterNotBackAtTenIsNoUnlock) {
  verified();
  type("pin", "1357");
  type("pin", "1357");
  issuer_resets();
  send(Event::card(card_ops::kProbeLicenseAp, "ok", {{"tries", "0"}, {"card_id", kCard}}));
  EXPECT_EQ(flow_->state(), "unlock_failed");
  EXPECT_THAT(asked_.ops, Contains("audit:pin_unlock.reset=unconfirmed"));
}

TEST_F(PinUnlock, TheAppointmentsQrCodeChecksItIn) {
  run(flow_->start());
  send(Event::tap("scan"));
  ASSERT_EQ(flow_->state(), "scanning");
  EXPECT_EQ(asked_.ops.back(), "camera:scan_qr");
  send(Event::camera(camera_ops::kScanQr, "ok", {{"text", "https://example.com/"}}));
  ASSERT_EQ(flow_->state(), "appointment");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "pin_unlock.not_appointment_code");
  send(Event::tap("scan"));
  send(Event::camera(camera_ops::kScanQr, "no_code"));
  EXPECT_EQ(asked_.view.texts.at("problem").key, "pin_unlock.no_code");
  send(Event::tap("scan"));
  send(Event::camera(camera_ops::kScanQr, "ok", {{"text", "mynakiosk:appointment:20260001"}}));
  ASSERT_EQ(flow_->state(), "checking_in");
  EXPECT_EQ(asked_.center_args["number"], "20260001");
}

TEST_F(PinUnlock, WithoutACameraThereIsNoQrButton) {
  flow_ = std::make_unique<PinUnlockFlow>(Language::en, false);
  run(flow_->start());
  EXPECT_THAT(asked_.action_ids(), Not(Contains("scan")));
  send(Event::tap("scan"));
  EXPECT_EQ(flow_->state(), "appointment");
}

TEST_F(PinUnlock, AMistypedNumberIsNotSentAndAnUnknownOneIsTypedAgain) {
  run(flow_->start());
  type("number", "2026001");
  EXPECT_EQ(flow_->state(), "appointment");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "pin_unlock.number_format");
  EXPECT_THAT(asked_.ops, Not(Contains("center:appointment_check_in")));
  type("number", "99999999");
  send(Event::center(center_ops::kAppointmentCheckIn, "appointment_not_found"));
  EXPECT_EQ(flow_->state(), "appointment");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "pin_unlock.not_found");
}

TEST_F(PinUnlock, TheCentresRefusalsOfTheAppointmentEachSayWhy) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"appointment_outside_window", "not_open"},
      {"appointment_not_today", "not_open"},
      {"appointment_used", "appointment_refused"},
      {"appointment_locked", "appointment_refused"},
      {"appointment_checked_in", "appointment_refused"},
      {"unavailable", "center_unavailable"}};
  for (const auto& [code, state] : cases) {
    flow_ = std::make_unique<PinUnlockFlow>(Language::ja, true);
    run(flow_->start());
    type("number", "20260001");
    send(Event::center(center_ops::kAppointmentCheckIn, code));
    if (state == "not_open") {
      // When to come: the appointment as booked, its slot said.
      ASSERT_EQ(asked_.ops.back(), "center:appointment") << code;
      send(Event::center(center_ops::kAppointment, "ok", appointment()));
      EXPECT_EQ(asked_.view.texts.at("when").key, "pin_unlock.slot");
      EXPECT_EQ(asked_.view.texts.at("when").params[0].second, "18:00");
      EXPECT_EQ(asked_.view.texts.at("when").params[4].second, "27");
    }
    EXPECT_EQ(flow_->state(), state) << code;
    EXPECT_THAT(asked_.ops, Contains("audit:pin_unlock.check_in=refused")) << code;
  }
  EXPECT_EQ(asked_.view.screen, "pin_unlock.center_unavailable");
}

TEST_F(PinUnlock, AnAppointmentForAnotherProcedureIsNotThisOnes) {
  run(flow_->start());
  type("number", "20260001");
  Fields other = appointment();
  other["kind"] = "eye_test";
  send(Event::center(center_ops::kAppointmentCheckIn, "ok", other));
  EXPECT_EQ(flow_->state(), "appointment_refused");
  EXPECT_EQ(asked_.view.texts.at("body").key, "pin_unlock.appointment_refused.other");
}

TEST_F(PinUnlock, R_LIC_PIN_FORGOT_APinThatIsNotLockedIsNotUnlocked) {
  checked_in();
  send(Event::card(card_ops::kProbeMyNumber, "ok", probe("4")));
  EXPECT_EQ(flow_->state(), "not_locked");
  EXPECT_THAT(asked_.ops, Not(Contains("center:auth_challenge")));
}

TEST_F(PinUnlock, ABlockedAuthenticationPinGoesToTheMunicipalityBeforeAnyPin) {
  checked_in();
  send(Event::card(card_ops::kProbeMyNumber, "ok", probe("0", "0")));
  EXPECT_EQ(flow_->state(), "auth_blocked");
  EXPECT_THAT(asked_.ops, Not(Contains("card:jpki_authenticate")));
}

TEST_F(PinUnlock, AWrongAuthenticationPinSaysTheTriesAndTheLastOneIsWarned) {
  checked_in();
  send(Event::card(card_ops::kProbeMyNumber, "ok", probe()));
  send(Event::center(center_ops::kAuthChallenge, "ok", {{"challenge", std::string(64, 'A')}}));
  type("pin", "12");  // not 4 digits: never sent
  EXPECT_EQ(flow_->state(), "auth_pin");
  EXPECT_THAT(asked_.ops, Not(Contains("card:jpki_authenticate")));
  type("pin", "1111");
  send(Event::card(card_ops::kJpkiAuthenticate, "wrong_pin", {{"tries", "1"}}));
  ASSERT_EQ(flow_->state(), "auth_pin");
  EXPECT_EQ(asked_.view.texts.at("tries").key, "pin_unlock.last_try");
  type("pin", "1112");
  send(Event::card(card_ops::kJpkiAuthenticate, "wrong_pin", {{"tries", "0"}}));
  EXPECT_EQ(flow_->state(), "auth_blocked");
}

TEST_F(PinUnlock, TheIdentityRequestCarriesTheSignedChallengeAndThePhotoWhichIsNotKept) {
  photographed();
  EXPECT_EQ(asked_.center_args["number"], "20260001");
  EXPECT_EQ(asked_.center_args["card_id"], kCard);
  EXPECT_EQ(asked_.center_args["certificate"], "3082AA");
  EXPECT_EQ(asked_.center_args["signature"], "5151");
  send(Event::center(center_ops::kAppointmentIdentity, "face_not_found"));
  // No face: nothing counted, the same signed challenge goes again with a new photo.
  ASSERT_EQ(flow_->state(), "photo_ready");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "pin_unlock.face_not_found");
  send(Event::tap("take"));
  Event photo = Event::camera(camera_ops::kTakePhoto, "ok");
  photo.blob = {0xFF, 0xD8};
  send(std::move(photo));
  EXPECT_EQ(asked_.center_args["signature"], "5151");
}

TEST_F(PinUnlock, AFaceThatDoesNotMatchMayTryAgainWithANewChallengeUntilLocked) {
  photographed();
  send(Event::center(center_ops::kAppointmentIdentity, "face_mismatch"));
  ASSERT_EQ(flow_->state(), "face_mismatch");
  send(Event::tap("retry"));
  ASSERT_EQ(flow_->state(), "challenging");
  EXPECT_EQ(asked_.ops.back(), "center:auth_challenge");
  send(Event::center(center_ops::kAuthChallenge, "ok", {{"challenge", std::string(64, 'B')}}));
  type("pin", "2468");
  send(Event::card(card_ops::kJpkiAuthenticate, "ok",
                   {{"certificate", "3082AA"}, {"signature", "5252"}}));
  send(Event::tap("take"));
  Event photo = Event::camera(camera_ops::kTakePhoto, "ok");
  photo.blob = {0xFF, 0xD8};
  send(std::move(photo));
  send(Event::center(center_ops::kAppointmentIdentity, "appointment_locked"));
  EXPECT_EQ(flow_->state(), "locked");
  EXPECT_THAT(asked_.ops, Not(Contains("center:issuer_open")));
}

TEST_F(PinUnlock, ABadSignatureOrASpentChallengeAsksThePinAgainWithANewChallenge) {
  photographed();
  send(Event::center(center_ops::kAppointmentIdentity, "signature_invalid"));
  ASSERT_EQ(flow_->state(), "check_again");
  send(Event::tap("retry"));
  EXPECT_EQ(asked_.ops.back(), "center:auth_challenge");
}

TEST_F(PinUnlock, AnIdentityAnswerForAnotherAppointmentIsNotTrusted) {
  photographed();
  send(Event::center(center_ops::kAppointmentIdentity, "ok",
                     {{"number", "20269999"}, {"status", "verified"}}));
  EXPECT_EQ(flow_->state(), "identity_failed");
  EXPECT_THAT(asked_.ops, Not(Contains("center:issuer_open")));
}

TEST_F(PinUnlock, ALateAnswerOfAnotherCameraRequestIsNotThePhoto) {
  authenticated();
  send(Event::tap("take"));
  send(Event::camera(camera_ops::kScanQr, "no_code"));  // a scan left behind
  EXPECT_EQ(flow_->state(), "taking_photo");
  Event photo = Event::camera(camera_ops::kTakePhoto, "ok");
  photo.blob = {0xFF, 0xD8};
  send(std::move(photo));
  EXPECT_EQ(flow_->state(), "verifying");
}

TEST_F(PinUnlock, AnIssuerThatGivesUpIsForStaffWithItsReason) {
  verified();
  type("pin", "1357");
  type("pin", "1357");
  send(Event::center(center_ops::kIssuerOpen, "not_eligible"));
  ASSERT_EQ(flow_->state(), "unlock_failed");
  EXPECT_THAT(asked_.ops, Contains("audit:pin_unlock.reset=failed"));
  EXPECT_EQ(asked_.view.texts.at("note").key, "pin_unlock.failed_code");
  EXPECT_FALSE(asked_.view.texts.at("note").params.at(0).second.empty());
}

TEST_F(PinUnlock, SomeoneElsesCardIsRefusedAndAnotherCardMayBePlaced) {
  photographed();
  send(Event::center(center_ops::kAppointmentIdentity, "appointment_holder_mismatch"));
  ASSERT_EQ(flow_->state(), "wrong_person");
  send(Event::tap("retry"));
  EXPECT_EQ(flow_->state(), "place_card");
}

TEST_F(PinUnlock, NoCameraAnswerIsForStaff) {
  authenticated();
  send(Event::tap("take"));
  send(Event::camera(camera_ops::kTakePhoto, "no_camera"));
  EXPECT_EQ(flow_->state(), "camera_failed");
  EXPECT_THAT(asked_.ops, Not(Contains("center:appointment_identity")));
}

TEST_F(PinUnlock, R_LIC_PIN_TheNewPinIsTypedTwiceAndAnEasyOneIsWarned) {
  verified();
  type("pin", "1234");
  type("pin", "1243");
  ASSERT_EQ(flow_->state(), "new_pin");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "license_pin.mismatch");
  type("pin", "1234");
  type("pin", "1234");
  ASSERT_EQ(flow_->state(), "pin_warning");
  EXPECT_EQ(asked_.view.texts.at("body").key, "license_pin.warning.sequence");
  EXPECT_THAT(asked_.action_ids(), ElementsAre("change", "keep"));
  send(Event::tap("keep"));
  EXPECT_EQ(flow_->state(), "issuer_opening");
  EXPECT_EQ(asked_.pin, "1234");
}

TEST_F(PinUnlock, APulledCardDuringTheResetIsFinishedOnlyOnTheSameCard) {
  verified();
  type("pin", "1357");
  type("pin", "1357");
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S1"}, {"phase", "license_ap"}, {"apdus", "00A4"}}));
  send(Event::removed());
  ASSERT_EQ(flow_->state(), "unlock_interrupted");
  send(Event::tap("retry"));
  send(Event::card(card_ops::kProbeMyNumber, "ok",
                   {{"card_id", std::string(64, 'd')}, {"license_tries", "0"}}));
  ASSERT_EQ(flow_->state(), "unlock_interrupted");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "pin_unlock.other_card");
  send(Event::tap("retry"));
  send(Event::card(card_ops::kProbeMyNumber, "ok", probe()));
  EXPECT_EQ(flow_->state(), "issuer_opening");
  EXPECT_EQ(asked_.pin, "1357") << "the PIN typed in this procedure, not a new guess";
}

TEST_F(PinUnlock, EveryWayOutWipesWhatItHeld) {
  authenticated();
  send(Event::cancel());
  EXPECT_TRUE(flow_->finished());
  EXPECT_THAT(asked_.ops, Contains("wipe"));
}

TEST(PinUnlockRules, TheAppointmentsQrCodeAndNumber) {
  EXPECT_EQ(appointment_number_from_qr("mynakiosk:appointment:20260001"), "20260001");
  EXPECT_FALSE(appointment_number_from_qr("mynakiosk:appointment:2026000"));
  EXPECT_FALSE(appointment_number_from_qr("mynakiosk:appointment:20260001x"));
  EXPECT_FALSE(appointment_number_from_qr("https://myna.go.jp/"));
  EXPECT_TRUE(is_appointment_number("00000000"));
  EXPECT_FALSE(is_appointment_number("0000000a"));
}

TEST(PinUnlockRules, TheSlotIsTodayBetweenItsStartAndItsEnd) {
  const char* start = "2026-11-27T18:00:00+09:00";
  const char* end = "2026-11-27T18:30:00+09:00";
  EXPECT_EQ(appointment_timing(start, end, "2026-11-27T18:00:00+09:00"), AppointmentTiming::open);
  EXPECT_EQ(appointment_timing(start, end, "2026-11-27T18:30:00+09:00"), AppointmentTiming::open);
  EXPECT_EQ(appointment_timing(start, end, "2026-11-27T17:59:59+09:00"), AppointmentTiming::early);
  EXPECT_EQ(appointment_timing(start, end, "2026-11-27T18:30:01+09:00"), AppointmentTiming::late);
  EXPECT_EQ(appointment_timing(start, end, "2026-11-28T18:10:00+09:00"),
            AppointmentTiming::other_day);
  EXPECT_EQ(appointment_timing(start, end, "2026-11-27T09:10:00Z"), AppointmentTiming::invalid);
  EXPECT_EQ(appointment_timing(end, start, "2026-11-27T18:10:00+09:00"),
            AppointmentTiming::invalid);
}

}  // namespace
}  // namespace mk::flows
