// The renewal rewrite flow (更新の書き換え, R-RENEW-REWRITE, R-VIA) driven with scripted card and
// centre answers: at home and through 経由申請, every refusal reason, the period, the read-back of
// the new expiry with the PIN typed at the start, and a pulled card.
#include "flows/renewal/renewal_flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::ElementsAre;

const Fields kCard = {{"basic4_tries", "3"},
                      {"has_license_ap", "1"},
                      {"record_state", "02"},
                      {"license_tries", "10"},
                      {"card_id", "C0FFEE"}};

// yamada-taro: born 1985-04-12, valid until 2029-05-12: the period is 2029-03-12 .. 2029-05-12.
// `category`: the centre's driver category; the band the card gets follows it.
Fields offer(const char* via, const char* category = "優良", const char* conditions = "眼鏡等",
             const char* form = "both", const char* relapsed = "0") {
  return {{"current_expiry", "2029-05-12"},
          {"new_expiry", "2034-05-12"},
          {"color", std::string(category) == "優良" ? "優良" : "一般"},
          {"category", category},
          {"conditions", conditions},
          {"birth_date", "1985-04-12"},
          {"relapsed_at_last_renewal", relapsed},
          {"via", via},
          {"holding_form", form}};
}

class Renewal : public ::testing::Test {
 protected:
  void run(const Effects& effects) { asked_.record(effects); }
  void send(Event e) { run(flow_->dispatch(std::move(e))); }
  void type_pin(const std::string& pin) { send(Event::typed("pin", base::SecretBytes(pin))); }

  // Card, both PINs, the centre's record, then the renewal offer.
  void identify(Fields renewal, CivilDate today = {2029, 4, 20}) {
    flow_ = std::make_unique<RenewalFlow>(Language::ja, today);
    run(flow_->start());
    send(Event::card(card_ops::kProbeMyNumber, "ok", kCard));
    type_pin("4321");
    send(Event::card(
        card_ops::kReadLicense, "ok",
        {{"number", "109876543210"}, {"expiry", "2029-05-12"}, {"signature", "valid"}}));
    type_pin("1234");
    send(Event::card(card_ops::kReadBasic4, "ok", {{"name", "山田　太郎"}}));
    send(Event::center(center_ops::kLookupHolder, "ok",
                       {{"holder_ref", "H-1"}, {"license_ap_recorded", "1"}}));
    EXPECT_EQ(asked_.ops.back(), "center:renewal_offer");
    EXPECT_EQ(asked_.center_args["holder_ref"], "H-1");
    send(Event::center(center_ops::kRenewalOffer, "ok", std::move(renewal)));
  }
  void rewrite_session() {
    send(Event::tap("confirm"));
    EXPECT_EQ(asked_.ops.back(), "center:issuer_open");
    EXPECT_EQ(asked_.center_args["operation"], "rewrite");
    EXPECT_EQ(asked_.pin, "") << "a rewrite keeps the PIN: none is sent";
    send(Event::center(center_ops::kIssuerOpen, "ok",
                       {{"session", "S-1"}, {"phase", "license_ap"}, {"apdus", "00A4\n8050"}}));
    send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\nAABB9000"}}));
    send(Event::center(center_ops::kIssuerPhaseOpen, "ok", {{"apdus", "8482\n84D6"}}));
    send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\n9000"}}));
    send(Event::center(center_ops::kIssuerPhaseAnswers, "ok", {{"complete", "1"}, {"done", "1"}}));
  }

  std::unique_ptr<RenewalFlow> flow_;
  testing::Asked asked_;
};

TEST_F(Renewal, R_RENEW_REWRITE_TheSameCardGetsTheRenewedRecordAndKeepsItsPin) {
  identify(offer("0"));
  ASSERT_EQ(flow_->state(), "confirm_renewal");
  EXPECT_EQ(asked_.view.details.at(0).key, "renewal.field.expiry");
  EXPECT_EQ(asked_.view.details.at(1).key, "renewal.field.home");
  EXPECT_EQ(asked_.view.texts.at("note").key, "renewal.note.both_home");
  rewrite_session();
  EXPECT_EQ(asked_.ops.back(), "card:read_license");
  EXPECT_EQ(asked_.pin, "4321") << "read back with the PIN typed at the start of this procedure";
  send(Event::card(card_ops::kReadLicense, "ok",
                   {{"number", "109876543210"}, {"expiry", "2034-05-12"}, {"signature", "valid"}}));
  EXPECT_EQ(flow_->state(), "done");
  send(Event::tap("done"));
  EXPECT_THAT(std::vector<std::string>(asked_.ops.end() - 3, asked_.ops.end()),
              ElementsAre("wipe", "release_card", "ended"));
}

TEST_F(Renewal, AReadBackWithTheOldExpiryIsAFailureNotADone) {
  identify(offer("0"));
  rewrite_session();
  send(Event::card(card_ops::kReadLicense, "ok",
                   {{"number", "109876543210"}, {"expiry", "2029-05-12"}, {"signature", "valid"}}));
  EXPECT_EQ(flow_->state(), "rewrite_failed");
}

TEST_F(Renewal, R_VIA_AnEligibleDriverIsRewrittenAwayFromHome) {
  identify(offer("1"));
  ASSERT_EQ(flow_->state(), "confirm_renewal");
  EXPECT_EQ(asked_.view.details.at(1).key, "renewal.field.via");
  EXPECT_EQ(asked_.view.texts.at("note").key, "renewal.note.both_via")
      << "both: the new conventional card comes later from the home prefecture";
  identify(offer("1", "一般", "", "myna_only"));
  ASSERT_EQ(flow_->state(), "confirm_renewal");
  EXPECT_EQ(asked_.view.texts.at("note").key, "renewal.note.myna_only") << "finished the same day";
}

TEST_F(Renewal, R_VIA_EveryReasonAgainstIsShownAtOnce) {
  identify(offer("1", "違反", "身体障害者用車両に限る", "both", "1"));
  ASSERT_EQ(flow_->state(), "via_refused");
  std::vector<std::string> keys;
  for (const auto& d : asked_.view.details) {
    keys.push_back(d.key);
  }
  EXPECT_THAT(keys,
              ElementsAre("renewal.via_refusal.category", "renewal.via_refusal.physical_condition",
                          "renewal.via_refusal.relapsed_last_time", "renewal.field.period"));
  identify(offer("1"), {2029, 3, 11});  // the day before the period
  ASSERT_EQ(flow_->state(), "via_refused");
  EXPECT_EQ(asked_.view.details.at(0).key, "renewal.via_refusal.before_period");
}

TEST_F(Renewal, AtHomeOnlyThePeriodCounts) {
  identify(offer("0", "違反", "身体障害者用車両に限る"));
  EXPECT_EQ(flow_->state(), "confirm_renewal");
  identify(offer("0"), {2029, 5, 13});  // the day after the expiry
  ASSERT_EQ(flow_->state(), "not_in_period");
  EXPECT_EQ(asked_.view.details.at(0).params.at(0).second, "2029-03-12");
  EXPECT_EQ(asked_.view.details.at(0).params.at(1).second, "2029-05-12");
}

TEST_F(Renewal, R_CARD_EXPIRY_AnExpiredCardIsNotRewritten) {
  flow_ = std::make_unique<RenewalFlow>(Language::ja, CivilDate{2029, 4, 20});
  run(flow_->start());
  send(Event::card(card_ops::kProbeMyNumber, "ok", kCard));
  type_pin("4321");
  send(Event::card(card_ops::kReadLicense, "ok",
                   {{"number", "109876543210"}, {"signature", "valid"}}));
  type_pin("1234");
  send(Event::card(card_ops::kReadBasic4, "ok", {}));
  // The card's last day is the centre's answer about the person's card (never the My Number).
  send(Event::center(
      center_ops::kLookupHolder, "ok",
      {{"holder_ref", "H-1"}, {"license_ap_recorded", "1"}, {"card_expiry", "2029-04-19"}}));
  send(Event::center(center_ops::kRenewalOffer, "ok", offer("0")));
  EXPECT_EQ(flow_->state(), "card_expired");
}

TEST_F(Renewal, R_HISTORY_ADrivingHistoryHasNoRenewal) {
  flow_ = std::make_unique<RenewalFlow>(Language::ja, CivilDate{2029, 4, 20});
  run(flow_->start());
  send(Event::card(card_ops::kProbeMyNumber, "ok", kCard));
  type_pin("4321");
  send(Event::card(card_ops::kReadLicense, "ok",
                   {{"kind", "history"}, {"number", "304400123456"}, {"signature", "valid"}}));
  type_pin("1234");
  send(Event::card(card_ops::kReadBasic4, "ok", {}));
  send(Event::center(center_ops::kLookupHolder, "ok",
                     {{"holder_ref", "H-1"}, {"kind", "history"}, {"license_ap_recorded", "1"}}));
  EXPECT_EQ(flow_->state(), "history_no_renewal");
  EXPECT_EQ(asked_.ops.back(), "center:lookup_holder") << "no renewal asked of the centre";
}

// FAQ 7: with both forms, the plastic licence may be handed back together with the 経由申請.
TEST_F(Renewal, R_VIA_ThePlasticLicenceGoesBackWithTheRenewalAwayFromHome) {
  identify(offer("1"));
  ASSERT_EQ(flow_->state(), "confirm_renewal");
  rewrite_session();
  send(Event::card(card_ops::kReadLicense, "ok",
                   {{"number", "109876543210"}, {"expiry", "2034-05-12"}, {"signature", "valid"}}));
  ASSERT_EQ(flow_->state(), "done");
  send(Event::tap("return_conventional"));
  ASSERT_EQ(flow_->state(), "confirm_return");
  send(Event::tap("confirm"));
  EXPECT_EQ(flow_->state(), "committing");
  EXPECT_NE(std::find(asked_.ops.begin(), asked_.ops.end(), "outbox:holding-form"),
            asked_.ops.end())
      << "the return is queued";
  send(Event::store("outbox", "ok"));
  EXPECT_EQ(flow_->state(), "returned");
}

TEST_F(Renewal, NoRenewalAndABrokenOfferRenewNothing) {
  identify({}, {2029, 4, 20});  // fields missing
  EXPECT_EQ(flow_->state(), "not_renewable");
  Fields backwards = offer("0");
  backwards["new_expiry"] = "2024-05-12";
  identify(backwards);
  EXPECT_EQ(flow_->state(), "not_renewable");
}

TEST_F(Renewal, APulledCardMidRewriteGoesOnOnlyWithTheSameCard) {
  identify(offer("0"));
  send(Event::tap("confirm"));
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S-1"}, {"phase", "license_ap"}, {"apdus", "00A4\n8050"}}));
  EXPECT_TRUE(flow_->dispatch(Event::cancel()).empty());  // cancel waits while the card is written
  send(Event::removed());
  EXPECT_EQ(flow_->state(), "rewrite_interrupted");
  send(Event::tap("retry"));
  Fields other = kCard;
  other["card_id"] = "BADCAFE";
  send(Event::card(card_ops::kProbeMyNumber, "ok", other));
  EXPECT_EQ(flow_->state(), "other_card");
  send(Event::tap("retry"));
  Fields torn = kCard;
  torn["record_state"] = "01";
  send(Event::card(card_ops::kProbeMyNumber, "ok", torn));
  EXPECT_EQ(flow_->state(), IssuerRelay::kOpening);
  EXPECT_EQ(asked_.center_args["operation"], "rewrite");
}

TEST_F(Renewal, AWrongLicencePinIsForgottenNotReadBackWith) {
  flow_ = std::make_unique<RenewalFlow>(Language::en, CivilDate{2029, 4, 20});
  run(flow_->start());
  send(Event::card(card_ops::kProbeMyNumber, "ok", kCard));
  type_pin("1111");
  send(Event::card(card_ops::kReadLicense, "wrong_pin", {{"tries", "9"}}));
  EXPECT_EQ(flow_->state(), "license_pin");
  type_pin("4321");
  send(Event::card(card_ops::kReadLicense, "ok",
                   {{"number", "109876543210"}, {"signature", "valid"}}));
  type_pin("1234");
  send(Event::card(card_ops::kReadBasic4, "ok", {}));
  send(Event::center(center_ops::kLookupHolder, "ok",
                     {{"holder_ref", "H-1"}, {"license_ap_recorded", "1"}}));
  send(Event::center(center_ops::kRenewalOffer, "ok", offer("0")));
  send(Event::tap("confirm"));
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S-1"}, {"phase", "license_ap"}, {"apdus", "00A4\n8050"}}));
  send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\nAABB9000"}}));
  send(Event::center(center_ops::kIssuerPhaseOpen, "ok", {{"apdus", "8482"}}));
  send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000"}}));
  send(Event::center(center_ops::kIssuerPhaseAnswers, "ok", {{"complete", "1"}, {"done", "1"}}));
  EXPECT_EQ(asked_.pin, "4321") << "the right one, typed last";
}

TEST_F(Renewal, TheTableHoldsTogether) {
  EXPECT_NO_THROW(RenewalFlow::definition().validate());
}

}  // namespace
}  // namespace mk::flows
