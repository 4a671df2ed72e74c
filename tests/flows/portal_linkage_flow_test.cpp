// The portal linkage submission (マイナポータル連携, FAQ 5) driven through its paths with scripted
// card, centre and printer answers: who may submit it, what the card signs, the hand-over with the
// time the portal step may start, the printed slip (nothing personal on it), and the outbox when
// the centre is out of reach.
#include "flows/portal_linkage/portal_linkage_flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::Contains;
using ::testing::Not;
using ::testing::Pair;

constexpr CivilDate kToday{2026, 11, 27};
const std::string kNonce(64, 'B');

std::string param_of(const TextRef& ref, const std::string& name) {
  for (const auto& [key, value] : ref.params) {
    if (key == name) {
      return value;
    }
  }
  return "";
}

Fields card(const char* sign_tries = "5") {
  return {{"basic4_tries", "3"},   {"has_license_ap", "1"},    {"record_state", "02"},
          {"license_tries", "10"}, {"sign_tries", sign_tries}, {"card_id", "C0FFEE"}};
}

Fields record(const char* form = "both", const char* kind = "license", const char* home = "1") {
  return {{"holder_ref", "H-7"},    {"holding_form", form},  {"license_ap_recorded", "1"},
          {"at_home_centre", home}, {"record_card", "this"}, {"kind", kind}};
}

class PortalLinkage : public ::testing::Test {
 protected:
  void run(const Effects& effects) { asked_.record(effects); }
  void send(Event e) { run(flow_->dispatch(std::move(e))); }
  void type_pin(const std::string& pin) { send(Event::typed("pin", base::SecretBytes(pin))); }

  void identify(Fields probe = card(), Fields centre = record()) {
    run(flow_->start());
    send(Event::card(card_ops::kProbeMyNumber, "ok", std::move(probe)));
    ASSERT_EQ(flow_->state(), "license_pin");
    type_pin("4821");
    send(Event::card(card_ops::kReadLicense, "ok",
                     {{"number", "301234567890"}, {"signature", "valid"}}));
    type_pin("1234");
    send(
        Event::card(card_ops::kReadBasic4, "ok",
                    {{"name", "山田　太郎"}, {"birth_date", "1985-04-12"}, {"address", "東京都"}}));
    ASSERT_EQ(asked_.ops.back(), "center:lookup_holder");
    send(Event::center(center_ops::kLookupHolder, "ok", std::move(centre)));
  }
  // Identified, the explanation read, the centre's nonce, the signing PIN typed and the card's
  // signature: the request on its way to the centre.
  void signed_and_sent(Fields centre = record()) {
    identify(card(), std::move(centre));
    ASSERT_EQ(flow_->state(), "explain");
    send(Event::tap("next"));
    ASSERT_EQ(asked_.ops.back(), "center:signing_nonce");
    EXPECT_EQ(asked_.center_args["purpose"], "portal_linkage");
    send(Event::center(center_ops::kSigningNonce, "ok",
                       {{"nonce", kNonce}, {"issued_at", "2026-11-27T10:15:00+09:00"}}));
    send(Event::tap("next"));
    ASSERT_EQ(flow_->state(), "sign_pin");
    type_pin("YAMADA85");
    ASSERT_EQ(asked_.ops.back(), "card:jpki_sign");
    // A certificate issued today is fine for the linkage (only the one-stop start waits).
    send(Event::card(card_ops::kJpkiSign, "ok",
                     {{"certificate", "3082"},
                      {"signature", "AB"},
                      {"not_before", "2026-11-27"},
                      {"not_after", "2030-04-12"}}));
    ASSERT_EQ(asked_.ops.back(), "center:submit_linkage");
  }
  std::string param(const std::string& role, const std::string& name) const {
    return param_of(asked_.view.texts.at(role), name);
  }
  // Whether the last view's action `id` is on; nullopt when it has no such action.
  std::optional<bool> enabled(const std::string& id) const {
    for (const auto& a : asked_.view.actions) {
      if (a.id == id) {
        return a.enabled;
      }
    }
    return std::nullopt;
  }

  std::unique_ptr<PortalLinkageFlow> flow_ =
      std::make_unique<PortalLinkageFlow>(Language::ja, kToday, "KIOSK-TEST-0001", true);
  testing::Asked asked_;
};

TEST_F(PortalLinkage, R_PL_STEPS_TheCardSignsTheCanonicalRequestAndTheCentreSaysWhen) {
  signed_and_sent();
  const auto bytes = base::from_hex(asked_.args["document"]);
  ASSERT_TRUE(bytes);
  const auto doc = parse_linkage_document(std::string(bytes->begin(), bytes->end()));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->holder_ref, "H-7");
  EXPECT_EQ(doc->terminal, "KIOSK-TEST-0001");
  EXPECT_EQ(doc->time, "2026-11-27T10:15:00+09:00");
  EXPECT_EQ(doc->nonce_hex, kNonce);
  EXPECT_EQ(asked_.center_args["holder_ref"], "H-7");
  EXPECT_EQ(asked_.center_key, "linkage-" + kNonce.substr(0, 32));
  send(Event::center(
      center_ops::kSubmitLinkage, "ok",
      {{"linkage_id", "L1"}, {"portal_available_from", "2026-11-27T10:45:12+09:00"}}));
  ASSERT_EQ(flow_->state(), "done");
  // R-PL-WAIT: the time the portal step may start, the portal's steps, the QR code to the portal.
  EXPECT_EQ(asked_.view.texts.at("when").key, "portal_linkage.when");
  EXPECT_EQ(param("when", "time"), "10:45");
  EXPECT_EQ(param("when", "minutes"), "30");
  ASSERT_EQ(asked_.view.details.size(), 4U);
  EXPECT_EQ(asked_.view.details[0].key, "portal_linkage.step.login");
  EXPECT_EQ(asked_.view.qr_code, kMynaPortalUrl);
  EXPECT_THAT(asked_.ops, Contains("audit:portal_linkage.submit=accepted"));
  EXPECT_EQ(enabled("print"), true);
}

TEST_F(PortalLinkage, R_PL_WAIT_AfterMidnightTheDateIsSaid) {
  signed_and_sent();
  send(Event::center(center_ops::kSubmitLinkage, "ok",
                     {{"portal_available_from", "2026-11-28T00:05:00+09:00"}}));
  EXPECT_EQ(asked_.view.texts.at("when").key, "portal_linkage.when_date");
  EXPECT_EQ(param("when", "day"), "28");
  EXPECT_EQ(param("when", "time"), "00:05");
}

TEST_F(PortalLinkage, AnAnswerWithoutAUsableTimeSaysAboutThirtyMinutes) {
  signed_and_sent();
  send(Event::center(center_ops::kSubmitLinkage, "ok", {{"portal_available_from", "soon"}}));
  EXPECT_EQ(flow_->state(), "done");
  EXPECT_EQ(asked_.view.texts.at("when").key, "portal_linkage.when_about");
}

TEST_F(PortalLinkage, TheSlipCarriesTheStepsAndNothingPersonal) {
  signed_and_sent();
  send(Event::center(center_ops::kSubmitLinkage, "ok",
                     {{"portal_available_from", "2026-11-27T10:45:00+09:00"}}));
  send(Event::tap("print"));
  ASSERT_EQ(flow_->state(), "printing");
  ASSERT_TRUE(asked_.printed);
  const ViewModel& slip = asked_.printed->document;
  EXPECT_EQ(slip.screen, "portal_linkage.slip");
  EXPECT_EQ(slip.qr_code, kMynaPortalUrl);
  EXPECT_EQ(param_of(slip.texts.at("when"), "time"), "10:45");
  EXPECT_EQ(slip.details.size(), 4U);
  // No holder, name, licence number or card on it: only the kiosk and the day.
  for (const auto& [role, ref] : slip.texts) {
    for (const auto& [name, value] : ref.params) {
      EXPECT_THAT(value, Not(::testing::HasSubstr("H-7"))) << role;
      EXPECT_THAT(value, Not(::testing::HasSubstr("山田"))) << role;
      EXPECT_THAT(value, Not(::testing::HasSubstr("301234567890"))) << role;
    }
  }
  EXPECT_EQ(param_of(slip.texts.at("footer"), "terminal"), "KIOSK-TEST-0001");
  EXPECT_TRUE(slip.photo.empty());
  // Printed only when the spooler said so; then the button is off (one slip).
  send(Event::printed("slip", "ok"));
  EXPECT_EQ(flow_->state(), "done");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "portal_linkage.printed");
  EXPECT_EQ(enabled("print"), false);
  EXPECT_THAT(asked_.ops, Contains("audit:portal_linkage.slip=printed"));
  const auto prints = std::count(asked_.ops.begin(), asked_.ops.end(), "print:slip");
  send(Event::tap("print"));
  EXPECT_EQ(std::count(asked_.ops.begin(), asked_.ops.end(), "print:slip"), prints);
  send(Event::tap("done"));
  EXPECT_TRUE(flow_->finished());
}

TEST_F(PortalLinkage, APrinterThatFailsIsSaidAndMayBeTriedAgain) {
  signed_and_sent();
  send(Event::center(center_ops::kSubmitLinkage, "ok",
                     {{"portal_available_from", "2026-11-27T10:45:00+09:00"}}));
  send(Event::tap("print"));
  send(Event::printed("slip", "timeout"));
  EXPECT_EQ(flow_->state(), "done");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "portal_linkage.print_failed");
  EXPECT_EQ(enabled("print"), true);
  EXPECT_EQ(asked_.view.qr_code, kMynaPortalUrl) << "the QR code is still there";
  EXPECT_THAT(asked_.ops, Contains("audit:portal_linkage.slip=failed"));
}

TEST_F(PortalLinkage, WithoutAPrinterThereIsNoPrintButton) {
  flow_ = std::make_unique<PortalLinkageFlow>(Language::ja, kToday, "KIOSK-TEST-0001", false);
  signed_and_sent();
  send(Event::center(center_ops::kSubmitLinkage, "ok",
                     {{"portal_available_from", "2026-11-27T10:45:00+09:00"}}));
  EXPECT_EQ(enabled("print"), std::nullopt);
  send(Event::tap("print"));
  EXPECT_THAT(asked_.ops, Not(Contains("print:slip")));
}

TEST_F(PortalLinkage, TheCentreOutOfReachKeepsTheSameRequestAndSaysSoTruthfully) {
  signed_and_sent();
  const Fields sent = asked_.center_args;
  const std::string key = asked_.center_key;
  send(Event::center(center_ops::kSubmitLinkage, center_ops::kUnavailable));
  ASSERT_TRUE(asked_.outbox);
  EXPECT_EQ(asked_.outbox->kind, "portal-linkage");
  EXPECT_EQ(asked_.outbox->idempotency_key, key);
  EXPECT_EQ(asked_.outbox->payload, sent);
  send(Event::store("outbox", "ok"));
  EXPECT_EQ(flow_->state(), "queued");
  EXPECT_EQ(asked_.view.texts.at("when").key, "portal_linkage.when_queued");
  EXPECT_EQ(asked_.view.qr_code, kMynaPortalUrl);
  send(Event::tap("print"));
  ASSERT_TRUE(asked_.printed);
  EXPECT_EQ(asked_.printed->document.texts.at("when").key, "portal_linkage.when_queued");
}

TEST_F(PortalLinkage, R_PL_TARGET_AMynaLicenceOrHistoryHolderAtHomeOnly) {
  identify(card(), record("myna_only", "history"));
  EXPECT_EQ(flow_->state(), "explain") << "a マイナ経歴証明書 holder may link";
  flow_ = std::make_unique<PortalLinkageFlow>(Language::ja, kToday, "KIOSK-TEST-0001", true);
  identify(card(), record("both", "license", "0"));
  EXPECT_EQ(flow_->state(), "not_eligible");
  EXPECT_EQ(asked_.view.texts.at("body").key, "portal_linkage.not_eligible.not_home_centre");
  flow_ = std::make_unique<PortalLinkageFlow>(Language::ja, kToday, "KIOSK-TEST-0001", true);
  Fields elsewhere = record();
  elsewhere["record_card"] = "another";
  identify(card(), elsewhere);
  EXPECT_EQ(asked_.view.texts.at("body").key, "portal_linkage.not_eligible.record_elsewhere");
  EXPECT_THAT(asked_.ops, Not(Contains("center:signing_nonce")));
}

TEST_F(PortalLinkage, R_OS_PIN_LOCK_ALockedSigningPinIsSaidBeforeAnyPin) {
  run(flow_->start());
  send(Event::card(card_ops::kProbeMyNumber, "ok", card("0")));
  EXPECT_EQ(flow_->state(), "sign_blocked");
  EXPECT_THAT(asked_.ops, Not(Contains("card:read_license")));
}

TEST_F(PortalLinkage, R_CERT_EXPIRY_AnExpiredCertificateEndsBeforeAnythingIsSent) {
  identify();
  send(Event::tap("next"));
  send(Event::center(center_ops::kSigningNonce, "ok",
                     {{"nonce", kNonce}, {"issued_at", "2026-11-27T10:15:00+09:00"}}));
  send(Event::tap("next"));
  type_pin("YAMADA85");
  send(Event::card(card_ops::kJpkiSign, "ok",
                   {{"certificate", "3082"},
                    {"signature", "AB"},
                    {"not_before", "2021-01-01"},
                    {"not_after", "2026-11-26"}}));
  EXPECT_EQ(flow_->state(), "cert_expired");
  EXPECT_THAT(asked_.ops, Not(Contains("center:submit_linkage")));
}

TEST_F(PortalLinkage, ARevokedCertificateIsTheMunicipalitysAndEveryExitWipes) {
  signed_and_sent();
  send(Event::center(center_ops::kSubmitLinkage, "certificate_revoked"));
  EXPECT_EQ(flow_->state(), "cert_revoked");
  send(Event::tap("done"));
  EXPECT_TRUE(flow_->finished());
}

}  // namespace
}  // namespace mk::flows
