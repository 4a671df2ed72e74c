// The holding-form change flow (保有形態の変更) driven through every path with scripted card and
// centre answers: return the conventional licence, ask for one again, erase the card's licence
// (with a pulled card and another person's card in the middle), and the refusals.
#include "flows/holding_form/holding_form_flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::ElementsAre;

const Fields kRecordedCard = {{"basic4_tries", "3"},
                              {"has_license_ap", "1"},
                              {"record_state", "02"},
                              {"license_tries", "10"},
                              {"card_id", "C0FFEE"}};

class HoldingForm : public ::testing::Test {
 protected:
  void run(const Effects& effects) { asked_.record(effects); }
  void send(Event e) { run(flow_.dispatch(std::move(e))); }
  void type_pin(const std::string& pin) { send(Event::typed("pin", base::SecretBytes(pin))); }
  std::vector<std::string> action_ids() const { return asked_.action_ids(); }

  // Card, both PINs, the centre's record with `form`: the choice of changes.
  void identify(const char* form, Fields card = kRecordedCard, const char* home = "1") {
    run(flow_.start());
    send(Event::card(card_ops::kProbeMyNumber, "ok", std::move(card)));
    ASSERT_EQ(flow_.state(), "license_pin");
    type_pin("4821");
    EXPECT_EQ(asked_.pin, "4821");
    send(Event::card(card_ops::kReadLicense, "ok",
                     {{"number", "301234567890"}, {"signature", "valid"}}));
    ASSERT_EQ(flow_.state(), "basic4_pin");
    type_pin("1234");
    send(
        Event::card(card_ops::kReadBasic4, "ok",
                    {{"name", "山田　太郎"}, {"birth_date", "1985-04-12"}, {"address", "東京都"}}));
    EXPECT_EQ(asked_.ops.back(), "center:lookup_holder");
    EXPECT_EQ(asked_.center_args["license_number"], "301234567890");  // from the card's own record
    send(Event::center(center_ops::kLookupHolder, "ok",
                       {{"holder_ref", "H-1"},
                        {"holding_form", form},
                        {"license_ap_recorded", "1"},
                        {"at_home_centre", home}}));
  }
  // "Erase" confirmed: the card on the reader is looked at first (the one identified, 免許AP
  // there).
  void confirm_erase(const Fields& card = kRecordedCard) {
    send(Event::tap("confirm"));
    EXPECT_EQ(asked_.ops.back(), "card:probe_mynumber");
    send(Event::card(card_ops::kProbeMyNumber, "ok", card));
  }
  void erase_session(const char* session) {
    EXPECT_EQ(asked_.ops.back(), "center:issuer_open");
    EXPECT_EQ(asked_.center_args["operation"], "delete");
    EXPECT_EQ(asked_.pin, "");  // a delete carries no PIN
    send(Event::center(center_ops::kIssuerOpen, "ok",
                       {{"session", session}, {"phase", "isd"}, {"apdus", "00A4\n8050"}}));
    send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\nAABB9000"}}));
    send(Event::center(center_ops::kIssuerPhaseOpen, "ok", {{"apdus", "8482\n84E4"}}));
    send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\n9000"}}));
  }

  HoldingFormFlow flow_{Language::ja};
  testing::Asked asked_;
};

TEST_F(HoldingForm, R_FORM_DROP_ReturnTheConventionalLicenceGoesThroughTheOutbox) {
  identify("both");
  EXPECT_EQ(flow_.state(), "choose_change");
  EXPECT_THAT(action_ids(), ElementsAre("cancel", "return_conventional", "erase_from_card"));
  EXPECT_EQ(asked_.view.details.at(0).key, "holding_form.form.both");
  send(Event::tap("return_conventional"));
  EXPECT_EQ(flow_.state(), "confirm_return");
  send(Event::tap("confirm"));
  ASSERT_TRUE(asked_.outbox);
  EXPECT_EQ(asked_.outbox->kind, "holding-form");
  EXPECT_EQ(asked_.outbox->payload.at("action"), "return_conventional");
  EXPECT_EQ(asked_.outbox->payload.at("holder_ref"), "H-1");
  EXPECT_TRUE(asked_.outbox->idempotency_key.empty()) << "a new submission: the runtime names it";
  EXPECT_EQ(flow_.state(), "committing");  // not "done" before the outbox has it
  send(Event::store("outbox", "ok"));
  EXPECT_EQ(flow_.state(), "done");
  EXPECT_EQ(asked_.view.texts.at("body").key, "holding_form.done.return_conventional");
  send(Event::tap("done"));
  EXPECT_TRUE(flow_.finished());
  EXPECT_THAT(std::vector<std::string>(asked_.ops.end() - 3, asked_.ops.end()),
              ElementsAre("wipe", "release_card", "ended"));
}

TEST_F(HoldingForm, R_FORM_ADD_CONV_AMynaOnlyHolderMayOnlyAskForTheConventionalLicence) {
  identify("myna_only");
  EXPECT_THAT(action_ids(), ElementsAre("cancel", "issue_conventional"));
  send(Event::tap("erase_from_card"));  // not offered: not taken either
  EXPECT_EQ(flow_.state(), "choose_change");
  send(Event::tap("issue_conventional"));
  send(Event::tap("back"));
  EXPECT_EQ(flow_.state(), "choose_change");
  send(Event::tap("issue_conventional"));
  send(Event::tap("confirm"));
  ASSERT_TRUE(asked_.outbox);
  EXPECT_EQ(asked_.outbox->payload.at("action"), "add_conventional") << "the centre's name for it";
  send(Event::store("outbox", "error"));
  EXPECT_EQ(flow_.state(), "commit_failed");
}

TEST_F(HoldingForm, R_FORM_DROP_EraseRelaysADeleteSessionAndChecksTheCard) {
  identify("both");
  send(Event::tap("erase_from_card"));
  confirm_erase();
  erase_session("S-1");
  send(Event::center(center_ops::kIssuerPhaseAnswers, "ok", {{"complete", "1"}, {"done", "1"}}));
  EXPECT_EQ(flow_.state(), "erase_checking");
  EXPECT_EQ(asked_.ops.back(), "card:probe_mynumber");
  send(Event::card(card_ops::kProbeMyNumber, "ok", {{"has_license_ap", "0"}}));
  EXPECT_EQ(flow_.state(), "done");
  EXPECT_EQ(asked_.view.texts.at("body").key, "holding_form.done.erase_from_card");
  EXPECT_FALSE(asked_.outbox) << "the delete session told the centre";
}

// FAQ 1 and 7: away from home nothing is changed on its own; the return goes only with a 経由申請
// renewal (the renewal flow offers it).
TEST_F(HoldingForm, R_VIA_AwayFromHomeNothingIsChangedOnItsOwn) {
  identify("both", kRecordedCard, "0");
  EXPECT_EQ(flow_.state(), "not_home_centre");
  EXPECT_THAT(action_ids(), ElementsAre("done"));
  send(Event::tap("return_conventional"));
  EXPECT_EQ(flow_.state(), "not_home_centre") << "no return without the renewal";
  EXPECT_FALSE(asked_.outbox);
}

// R-HISTORY, FAQ 8: a マイナ経歴証明書 holder has the same three forms, in words of the history.
TEST_F(HoldingForm, R_HISTORY_AHistoryHolderReadsOfHisCertificate) {
  HoldingFormFlow flow(Language::ja);
  ViewModel shown;
  const auto play = [&](Effects effects) {
    for (auto& e : effects) {
      if (auto* v = std::get_if<ShowView>(&e)) {
        shown = v->view;
      }
    }
  };
  play(flow.start());
  play(flow.dispatch(Event::card(card_ops::kProbeMyNumber, "ok", kRecordedCard)));
  play(flow.dispatch(Event::typed("pin", base::SecretBytes("4821"))));
  play(flow.dispatch(
      Event::card(card_ops::kReadLicense, "ok", {{"kind", "history"}, {"signature", "valid"}})));
  play(flow.dispatch(Event::typed("pin", base::SecretBytes("1234"))));
  play(flow.dispatch(Event::card(card_ops::kReadBasic4, "ok", {})));
  play(flow.dispatch(Event::center(center_ops::kLookupHolder, "ok",
                                   {{"holder_ref", "H-9"},
                                    {"kind", "history"},
                                    {"holding_form", "both"},
                                    {"license_ap_recorded", "1"},
                                    {"at_home_centre", "1"}})));
  ASSERT_EQ(flow.state(), "choose_change");
  EXPECT_EQ(shown.texts.at("title").key, "holding_form.history.choose_change.title");
  EXPECT_EQ(shown.details.at(0).key, "holding_form.history.form.both");
  for (const auto& a : shown.actions) {
    if (a.id != "cancel") {
      EXPECT_TRUE(a.label.key.starts_with("holding_form.history.change.")) << a.label.key;
    }
  }
  play(flow.dispatch(Event::tap("return_conventional")));
  EXPECT_EQ(shown.texts.at("body").key, "holding_form.history.confirm_return.body");
}

TEST_F(HoldingForm, ACardSwappedBeforeTheEraseIsNeverErased) {
  identify("both");
  send(Event::tap("erase_from_card"));
  send(Event::removed());  // the card may leave while the person reads the screen
  EXPECT_EQ(flow_.state(), "confirm_erase");
  Fields other = kRecordedCard;
  other["card_id"] = "BADCAFE";
  const size_t before = asked_.ops.size();
  confirm_erase(other);
  EXPECT_EQ(flow_.state(), "other_card");
  EXPECT_THAT(
      std::vector<std::string>(asked_.ops.begin() + static_cast<long>(before), asked_.ops.end()),
      ElementsAre("card:probe_mynumber"))
      << "nothing went to the centre's issuer";
}

TEST_F(HoldingForm, APulledCardMidEraseGoesOnOnlyWithTheSameCard) {
  identify("both");
  send(Event::tap("erase_from_card"));
  confirm_erase();
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S-1"}, {"phase", "isd"}, {"apdus", "00A4\n8050"}}));
  EXPECT_TRUE(flow_.dispatch(Event::cancel()).empty());  // cancel waits while the card is changed
  send(Event::removed());
  EXPECT_EQ(flow_.state(), "erase_interrupted");
  send(Event::tap("retry"));
  Fields other = kRecordedCard;
  other["card_id"] = "BADCAFE";
  send(Event::card(card_ops::kProbeMyNumber, "ok", other));
  EXPECT_EQ(flow_.state(), "other_card");
  send(Event::tap("retry"));
  send(Event::card(card_ops::kProbeMyNumber, "ok", kRecordedCard));
  EXPECT_EQ(flow_.state(), IssuerRelay::kOpening);  // the 免許AP is still there: delete again
  erase_session("S-2");
  send(Event::removed());  // pulled again, after the DELETE went through
  send(Event::tap("retry"));
  Fields gone = kRecordedCard;
  gone["has_license_ap"] = "0";
  send(Event::card(card_ops::kProbeMyNumber, "ok", gone));
  // The centre never heard the answer: the kiosk reports the erased card instead of deleting.
  ASSERT_TRUE(asked_.outbox);
  EXPECT_EQ(asked_.outbox->payload.at("action"), "erase_record");
  send(Event::store("outbox", "ok"));
  EXPECT_EQ(flow_.state(), "done");
}

TEST_F(HoldingForm, ARefusedEraseIsRetriedThenHandedToStaff) {
  identify("both");
  send(Event::tap("erase_from_card"));
  confirm_erase();
  for (int attempt = 1; attempt <= IssuerRelay::kAttempts; ++attempt) {
    send(Event::center(center_ops::kIssuerOpen, "unavailable"));
    if (attempt < IssuerRelay::kAttempts) {
      EXPECT_EQ(flow_.state(), "erase_probe");
      send(Event::card(card_ops::kProbeMyNumber, "ok", kRecordedCard));
    }
  }
  EXPECT_EQ(flow_.state(), "erase_failed");
}

TEST_F(HoldingForm, CardsAndRecordsThatCannotBeChanged) {
  struct Case {
    Fields card;
    const char* state;
  };
  Fields no_ap = {{"basic4_tries", "3"}, {"has_license_ap", "0"}};
  Fields torn = kRecordedCard;
  torn["record_state"] = "01";
  Fields locked = kRecordedCard;
  locked["license_tries"] = "0";
  Fields basic4_locked = kRecordedCard;
  basic4_locked["basic4_tries"] = "0";
  Fields hostile = kRecordedCard;
  hostile["license_tries"] = "99";
  for (const auto& c :
       {Case{no_ap, "no_record"}, Case{torn, "incomplete"}, Case{locked, "license_blocked"},
        Case{basic4_locked, "basic4_blocked"}, Case{hostile, "card_error"}}) {
    HoldingFormFlow flow(Language::en);
    flow.start();
    flow.dispatch(Event::card(card_ops::kProbeMyNumber, "ok", c.card));
    EXPECT_EQ(flow.state(), c.state);
  }
  HoldingFormFlow other(Language::en);
  other.start();
  other.dispatch(Event::card(card_ops::kProbeMyNumber, card_ops::kNotMyNumberCard));
  EXPECT_EQ(other.state(), "wrong_card");
}

TEST_F(HoldingForm, ARecordWhoseSignatureFailsChangesNothing) {
  run(flow_.start());
  send(Event::card(card_ops::kProbeMyNumber, "ok", kRecordedCard));
  type_pin("4821");
  send(Event::card(card_ops::kReadLicense, "ok",
                   {{"number", "301234567890"}, {"signature", "invalid"}}));
  EXPECT_EQ(flow_.state(), "card_error");
}

TEST_F(HoldingForm, WrongLicencePinsCountDownFromTen) {
  run(flow_.start());
  send(Event::card(card_ops::kProbeMyNumber, "ok", kRecordedCard));
  EXPECT_EQ(asked_.view.texts.at("tries").params[0].second, "10");
  const size_t before = asked_.ops.size();
  type_pin("48a1");
  EXPECT_EQ(asked_.ops.size(), before) << "a malformed PIN costs no try";
  type_pin("1111");
  send(Event::card(card_ops::kReadLicense, "wrong_pin", {{"tries", "9"}}));
  EXPECT_EQ(flow_.state(), "license_pin");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "holding_form.pin_wrong");
  type_pin("2222");
  send(Event::card(card_ops::kReadLicense, "wrong_pin", {{"tries", "0"}}));
  EXPECT_EQ(flow_.state(), "license_blocked");
}

TEST_F(HoldingForm, TheCentreDecides) {
  for (const auto& [outcome, fields, state] :
       {std::tuple{"holder_mismatch", Fields{}, "not_found"},
        std::tuple{"unavailable", Fields{}, "center_unavailable"},
        std::tuple{
            "ok",
            Fields{{"holding_form", "both"}, {"license_ap_recorded", "0"}, {"at_home_centre", "1"}},
            "incomplete"},
        std::tuple{"ok",
                   Fields{{"holding_form", "conventional_only"}, {"license_ap_recorded", "1"}},
                   "nothing_to_change"}}) {
    HoldingFormFlow flow(Language::en);
    flow.start();
    flow.dispatch(Event::card(card_ops::kProbeMyNumber, "ok", kRecordedCard));
    flow.dispatch(Event::typed("pin", base::SecretBytes("4821")));
    flow.dispatch(Event::card(card_ops::kReadLicense, "ok", {{"signature", "valid"}}));
    flow.dispatch(Event::typed("pin", base::SecretBytes("1234")));
    flow.dispatch(Event::card(card_ops::kReadBasic4, "ok", {}));
    flow.dispatch(Event::center(center_ops::kLookupHolder, outcome, fields));
    EXPECT_EQ(flow.state(), state) << outcome;
  }
}

TEST_F(HoldingForm, TheTableHoldsTogether) {
  EXPECT_NO_THROW(HoldingFormFlow::definition().validate());
}

}  // namespace
}  // namespace mk::flows
