// The one-stop service start (住所変更ワンストップサービス等) driven through its paths with
// scripted card and centre answers: eligibility before any signing PIN, the terms and the items in
// the FAQ's order, the signing PIN down to its last try, the certificate's day, the centre's
// answers and the outbox when it is out of reach.
#include "flows/one_stop/one_stop_flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/one_stop/one_stop_cancel_flow.hpp"
#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

constexpr CivilDate kToday{2026, 11, 27};
const std::string kNonce(64, 'A');

Fields card(const char* sign_tries = "5") {
  return {{"basic4_tries", "3"},   {"has_license_ap", "1"},    {"record_state", "02"},
          {"license_tries", "10"}, {"sign_tries", sign_tries}, {"card_id", "C0FFEE"}};
}

Fields record(const char* form = "myna_only") {
  return {{"holder_ref", "H-1"},   {"holding_form", form},  {"license_ap_recorded", "1"},
          {"at_home_centre", "1"}, {"record_card", "this"}, {"kind", "license"}};
}

class OneStop : public ::testing::Test {
 protected:
  void run(const Effects& effects) { asked_.record(effects); }
  void send(Event e) { run(flow_.dispatch(std::move(e))); }
  void type_pin(const std::string& pin) { send(Event::typed("pin", base::SecretBytes(pin))); }
  std::vector<std::string> action_ids() const { return asked_.action_ids(); }
  bool enabled(const std::string& id) const {
    for (const auto& a : asked_.view.actions) {
      if (a.id == id) {
        return a.enabled;
      }
    }
    return false;
  }

  // The card, both 4-digit PINs, the centre's record.
  void identify(Fields probe = card(), Fields centre = record()) {
    run(flow_.start());
    send(Event::card(card_ops::kProbeMyNumber, "ok", std::move(probe)));
    ASSERT_EQ(flow_.state(), "license_pin");
    type_pin("4821");
    send(Event::card(card_ops::kReadLicense, "ok",
                     {{"number", "451234567893"}, {"signature", "valid"}}));
    type_pin("1234");
    send(
        Event::card(card_ops::kReadBasic4, "ok",
                    {{"name", "加藤　美咲"}, {"birth_date", "1990-07-31"}, {"address", "東京都"}}));
    ASSERT_EQ(asked_.ops.back(), "center:lookup_holder");
    send(Event::center(center_ops::kLookupHolder, "ok", std::move(centre)));
  }
  // Identified, the terms accepted page by page, `items` chosen, the centre's nonce: the notice
  // before the signing PIN.
  void up_to_the_signing_pin(const std::vector<std::string>& items = {"address"}) {
    identify();
    ASSERT_EQ(flow_.state(), "terms_1");
    send(Event::tap("next"));
    send(Event::tap("next"));
    ASSERT_EQ(flow_.state(), "terms_3");
    send(Event::tap("accept"));
    ASSERT_EQ(flow_.state(), "choose_items");
    for (const auto& item : items) {
      send(Event::tap("item:" + item));
    }
    send(Event::tap("next"));
    ASSERT_EQ(asked_.ops.back(), "center:signing_nonce");
    send(Event::center(center_ops::kSigningNonce, "ok",
                       {{"nonce", kNonce}, {"issued_at", "2026-11-27T10:15:00+09:00"}}));
    ASSERT_EQ(flow_.state(), "sign_notice");
  }
  void signed_ok(const char* not_before = "2025-03-24", const char* not_after = "2030-04-12") {
    send(Event::card(card_ops::kJpkiSign, "ok",
                     {{"certificate", "3082"},
                      {"signature", "AB"},
                      {"not_before", not_before},
                      {"not_after", not_after}}));
  }

  OneStopFlow flow_{Language::ja, kToday, "KIOSK-TEST-0001"};
  testing::Asked asked_;
};

TEST_F(OneStop, R_OS_STEPS_TermsItemsSigningPinThenTheCentresConfirmation) {
  up_to_the_signing_pin({"address", "birth_date"});
  send(Event::tap("next"));
  ASSERT_EQ(flow_.state(), "sign_pin");
  EXPECT_TRUE(asked_.view.pin_pad->alphanumeric);
  EXPECT_EQ(asked_.view.pin_pad->min_length, 6);
  EXPECT_EQ(asked_.view.pin_pad->max_length, 16);
  type_pin("KATO1990");
  ASSERT_EQ(asked_.ops.back(), "card:jpki_sign");
  EXPECT_EQ(asked_.pin, "KATO1990");
  // The card signs the canonical consent: this holder, these items, this terminal, the nonce.
  const auto bytes = base::from_hex(asked_.args["document"]);
  ASSERT_TRUE(bytes);
  const auto doc = parse_consent_document(std::string(bytes->begin(), bytes->end()));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->holder_ref, "H-1");
  EXPECT_EQ(consent_item_list(doc->items), "address birth_date");
  EXPECT_EQ(doc->terms_version, kOneStopTermsVersion);
  EXPECT_EQ(doc->terminal, "KIOSK-TEST-0001");
  EXPECT_EQ(doc->time, "2026-11-27T10:15:00+09:00");
  EXPECT_EQ(doc->nonce_hex, kNonce);
  signed_ok();
  ASSERT_EQ(asked_.ops.back(), "center:start_consent");
  EXPECT_EQ(asked_.center_args["items"], "address birth_date");
  EXPECT_EQ(asked_.center_args["document"], asked_.args["document"]);
  EXPECT_EQ(asked_.center_key, "consent-" + kNonce.substr(0, 32));
  send(Event::center(center_ops::kStartConsent, "ok",
                     {{"items", "address birth_date"},
                      {"valid_from", "2026-11-27"},
                      {"valid_until", "2036-11-27"},
                      {"renewed", "0"}}));
  EXPECT_EQ(flow_.state(), "done");
  ASSERT_EQ(asked_.view.details.size(), 2U);  // R-OS-STEPS ④: the items the centre registered
  EXPECT_EQ(asked_.view.details[0].key, "one_stop.item.address");
  EXPECT_EQ(asked_.view.details[1].key, "one_stop.item.birth_date");
  EXPECT_EQ(asked_.view.texts.at("note").key, "one_stop.done.validity");  // R-OS-VALIDITY
  EXPECT_THAT(asked_.view.texts.at("note").params,
              Contains(std::pair<std::string, std::string>{"until", "2036-11-27"}));
  EXPECT_THAT(asked_.ops, Contains("audit:one_stop.consent=started"));
  send(Event::tap("done"));
  EXPECT_TRUE(flow_.finished());
}

TEST_F(OneStop, R_OS_VALIDITY_ASecondStartSaysRenewed) {
  up_to_the_signing_pin();
  send(Event::tap("next"));
  type_pin("KATO1990");
  signed_ok();
  send(Event::center(center_ops::kStartConsent, "ok",
                     {{"items", "address"}, {"valid_until", "2036-11-27"}, {"renewed", "1"}}));
  EXPECT_EQ(asked_.view.texts.at("body").key, "one_stop.done.renewed");
  EXPECT_THAT(asked_.ops, Contains("audit:one_stop.consent=renewed"));
}

TEST_F(OneStop, R_OS_STEPS_R_OS_OPTIONAL_AcceptOnlyOnTheLastPageAndDecliningEndsIt) {
  identify();
  EXPECT_THAT(action_ids(), ElementsAre("cancel", "next"));
  EXPECT_EQ(asked_.view.texts.at("note").params.at(0).second, std::string(kOneStopTermsVersion));
  send(Event::tap("accept"));  // not on this page: ignored
  EXPECT_EQ(flow_.state(), "terms_1");
  send(Event::tap("next"));
  EXPECT_THAT(action_ids(), ElementsAre("back", "next"));
  send(Event::tap("next"));
  EXPECT_THAT(action_ids(), ElementsAre("back", "decline", "accept"));
  send(Event::tap("decline"));
  EXPECT_TRUE(flow_.finished());
  EXPECT_THAT(asked_.ops, Not(Contains("card:jpki_sign")));
}

TEST_F(OneStop, R_OS_UNCONSENTED_AtLeastOneItemAndWhatIsLeftOutIsExplained) {
  identify();
  send(Event::tap("next"));
  send(Event::tap("next"));
  send(Event::tap("accept"));
  EXPECT_FALSE(enabled("next"));
  EXPECT_EQ(asked_.view.details.size(), 3U);  // each item not chosen stays a counter report
  send(Event::tap("next"));
  EXPECT_EQ(flow_.state(), "choose_items");  // nothing chosen: not on
  send(Event::tap("item:name"));
  send(Event::tap("item:address"));
  send(Event::tap("item:name"));  // taken back
  EXPECT_TRUE(enabled("next"));
  ASSERT_EQ(asked_.view.details.size(), 2U);
  EXPECT_EQ(asked_.view.details[0].key, "one_stop.unconsented.name");
  EXPECT_EQ(asked_.view.details[1].key, "one_stop.unconsented.birth_date");
  for (const auto& a : asked_.view.actions) {
    if (a.id.starts_with("item:")) {
      EXPECT_EQ(a.checked, a.id == "item:address") << a.id;
    }
  }
}

TEST_F(OneStop, R_OS_TARGET_OnlyAMynaOnlyHolderAndBeforeTheSigningPin) {
  identify(card(), record("both"));
  EXPECT_EQ(flow_.state(), "not_eligible");
  EXPECT_EQ(asked_.view.texts.at("body").key, "one_stop.not_eligible.not_myna_only");
  EXPECT_THAT(asked_.ops, Not(Contains("card:jpki_sign")));
}

TEST_F(OneStop, TheServiceStartsAtTheHomePrefecturesCentre) {
  Fields away = record();
  away["at_home_centre"] = "0";
  identify(card(), away);
  EXPECT_EQ(asked_.view.texts.at("body").key, "one_stop.not_eligible.not_home_centre");
}

TEST_F(OneStop, R_OS_PIN_LOCK_ALockedSigningPinIsSaidBeforeAnyPin) {
  run(flow_.start());
  send(Event::card(card_ops::kProbeMyNumber, "ok", card("0")));
  EXPECT_EQ(flow_.state(), "sign_blocked");
  EXPECT_EQ(asked_.pin, "");
  EXPECT_THAT(asked_.ops, Not(Contains("card:read_license")));
}

TEST_F(OneStop, R_OS_PIN_LOCK_TheLastTryHasAScreenOfItsOwnAndTheLockEndsIt) {
  up_to_the_signing_pin();
  EXPECT_EQ(asked_.view.texts.at("tries").params.at(0).second, "5");
  send(Event::tap("next"));
  type_pin("WRONG1");
  send(Event::card(card_ops::kJpkiSign, "wrong_pin", {{"tries", "2"}}));
  EXPECT_EQ(flow_.state(), "sign_pin");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "one_stop.sign_pin_wrong");
  type_pin("WRONG2");
  send(Event::card(card_ops::kJpkiSign, "wrong_pin", {{"tries", "1"}}));
  EXPECT_EQ(flow_.state(), "sign_last_try");
  EXPECT_THAT(action_ids(), ElementsAre("cancel", "continue"));
  send(Event::tap("continue"));
  EXPECT_EQ(flow_.state(), "sign_pin");
  type_pin("WRONG3");
  send(Event::card(card_ops::kJpkiSign, "wrong_pin", {{"tries", "0"}}));
  EXPECT_EQ(flow_.state(), "sign_blocked");
}

TEST_F(OneStop, ASigningPinThatCannotBeRightCostsNoTry) {
  up_to_the_signing_pin();
  send(Event::tap("next"));
  for (const char* pin : {"ABC12", "abcdef12", "ABCDEFGHIJ1234567", "ABC-1234"}) {
    type_pin(pin);
    EXPECT_EQ(flow_.state(), "sign_pin") << pin;
    EXPECT_EQ(asked_.view.texts.at("problem").key, "one_stop.sign_pin_format");
  }
  EXPECT_THAT(asked_.ops, Not(Contains("card:jpki_sign")));
}

TEST_F(OneStop, R_OS_SAME_DAY_ACertificateIssuedTodayIsNotSent) {
  up_to_the_signing_pin();
  send(Event::tap("next"));
  type_pin("KATO1990");
  signed_ok("2026-11-27", "2031-11-03");
  EXPECT_EQ(flow_.state(), "same_day");
  EXPECT_THAT(asked_.ops, Not(Contains("center:start_consent")));
}

TEST_F(OneStop, R_CERT_EXPIRY_AnExpiredCertificateIsNotSent) {
  up_to_the_signing_pin();
  send(Event::tap("next"));
  type_pin("KATO1990");
  signed_ok("2021-07-31", "2026-11-26");
  EXPECT_EQ(flow_.state(), "cert_expired");
  EXPECT_THAT(asked_.ops, Not(Contains("center:start_consent")));
}

TEST_F(OneStop, R_OS_REFLECT_ARevokedCertificateSendsThePersonToTheMunicipality) {
  up_to_the_signing_pin();
  send(Event::tap("next"));
  type_pin("KATO1990");
  signed_ok();
  send(Event::center(center_ops::kStartConsent, "certificate_revoked"));
  EXPECT_EQ(flow_.state(), "cert_revoked");
}

TEST_F(OneStop, TheCentreOutOfReachKeepsTheSameRequestInTheOutbox) {
  up_to_the_signing_pin();
  send(Event::tap("next"));
  type_pin("KATO1990");
  signed_ok();
  const Fields sent = asked_.center_args;
  const std::string key = asked_.center_key;
  send(Event::center(center_ops::kStartConsent, center_ops::kUnavailable));
  ASSERT_EQ(asked_.ops.back(), "audit:one_stop.consent=queued");
  ASSERT_TRUE(asked_.outbox);
  EXPECT_EQ(asked_.outbox->kind, "onestop-consent");
  EXPECT_EQ(asked_.outbox->idempotency_key, key);  // one submission at the centre
  EXPECT_EQ(asked_.outbox->payload, sent);
  send(Event::store("outbox", "ok"));
  EXPECT_EQ(flow_.state(), "queued");  // "not registered yet", truthfully
}

TEST_F(OneStop, ACentreFailingOnItsSideIsNotARefusal) {
  up_to_the_signing_pin();
  send(Event::tap("next"));
  type_pin("KATO1990");
  signed_ok();
  send(Event::center(center_ops::kStartConsent, "internal"));
  EXPECT_EQ(flow_.state(), "queuing");
  ASSERT_TRUE(asked_.outbox);
  send(Event::center(center_ops::kStartConsent, "signature_invalid"));  // (ignored: not asked)
  send(Event::store("outbox", "ok"));
  EXPECT_EQ(flow_.state(), "queued");
}

TEST_F(OneStop, ARefusalOfThisConsentIsForStaffWithItsCode) {
  up_to_the_signing_pin();
  send(Event::tap("next"));
  type_pin("KATO1990");
  signed_ok();
  send(Event::center(center_ops::kStartConsent, "nonce_used"));
  EXPECT_EQ(flow_.state(), "submit_failed");
  EXPECT_FALSE(asked_.outbox);
  EXPECT_EQ(asked_.view.texts.at("note").params.at(0).second, "nonce_used");
  EXPECT_THAT(asked_.ops, Contains("audit:one_stop.consent=refused"));
}

TEST_F(OneStop, ACardTakenOffAfterIdentificationStartsAgainFromTheCard) {
  up_to_the_signing_pin();
  send(Event::removed());
  EXPECT_EQ(flow_.state(), "card_pulled");
  send(Event::tap("retry"));
  EXPECT_EQ(flow_.state(), "place_card");
  EXPECT_EQ(asked_.ops.back(), "card:probe_mynumber");
}

TEST_F(OneStop, EveryEndWipesWhatTheFlowHeld) {
  up_to_the_signing_pin();
  send(Event::cancel());
  EXPECT_TRUE(flow_.finished());
  EXPECT_THAT(asked_.ops, Contains("wipe"));
  EXPECT_THAT(asked_.ops, Contains("release_card"));
}

}  // namespace
}  // namespace mk::flows

namespace mk::flows {
namespace {

class OneStopCancel : public ::testing::Test {
 protected:
  void run(const Effects& effects) { asked_.record(effects); }
  void send(Event e) { run(flow_.dispatch(std::move(e))); }
  void type_pin(const std::string& pin) { send(Event::typed("pin", base::SecretBytes(pin))); }
  void identify(Fields centre = record()) {
    run(flow_.start());
    send(Event::card(card_ops::kProbeMyNumber, "ok", card()));
    type_pin("1357");
    send(Event::card(card_ops::kReadLicense, "ok",
                     {{"number", "451234567893"}, {"signature", "valid"}}));
    type_pin("2580");
    send(Event::card(
        card_ops::kReadBasic4, "ok",
        {{"name", "加藤　美咲"}, {"birth_date", "1990-07-15"}, {"address", "神奈川県"}}));
    send(Event::center(center_ops::kLookupHolder, "ok", std::move(centre)));
  }

  OneStopCancelFlow flow_{Language::ja};
  testing::Asked asked_;
};

TEST_F(OneStopCancel, R_OS_CANCEL_ConfirmedThenTheCentreSaysWhichConsentEnded) {
  identify();
  ASSERT_EQ(flow_.state(), "confirm_cancel");
  EXPECT_THAT(asked_.ops, Not(Contains("card:jpki_sign")));  // no signing PIN to cancel
  send(Event::tap("confirm"));
  ASSERT_EQ(asked_.ops.back(), "center:cancel_consent");
  EXPECT_EQ(asked_.center_args.at("holder_ref"), "H-1");
  send(Event::center(center_ops::kCancelConsent, "ok", {{"items", "address name"}}));
  EXPECT_EQ(flow_.state(), "done");
  ASSERT_EQ(asked_.view.details.size(), 2U);
  EXPECT_EQ(asked_.view.details[1].key, "one_stop.item.name");
  EXPECT_THAT(asked_.ops, Contains("audit:one_stop.cancel=cancelled"));
}

TEST_F(OneStopCancel, NothingToCancelAndTheCentreAwayAreSaidTruthfully) {
  identify();
  send(Event::tap("confirm"));
  send(Event::center(center_ops::kCancelConsent, center_ops::kUnavailable));
  EXPECT_EQ(flow_.state(), "cancel_unavailable");  // nothing cancelled: try again
  send(Event::tap("retry"));
  EXPECT_EQ(asked_.ops.back(), "center:cancel_consent");
  send(Event::center(center_ops::kCancelConsent, "consent_not_found"));
  EXPECT_EQ(flow_.state(), "no_consent");
}

TEST_F(OneStopCancel, ARecordOnAnotherCardCancelsNothing) {
  Fields elsewhere = record();
  elsewhere["record_card"] = "another";
  identify(elsewhere);
  EXPECT_EQ(flow_.state(), "not_found");
}

}  // namespace
}  // namespace mk::flows
