// The record flow (マイナ免許証を作る) driven through every path with scripted card and centre
// answers: the happy path for both holding forms, wrong and mismatched PINs, a card pulled in the
// middle of the write and resumed, a torn record found at the start, and the centre's refusals.
#include "flows/record/record_flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::ElementsAre;

using testing::Asked;

// What each card says of yamada-taro (the licence spells his name with an ASCII space).
const Fields kDlYamada = {
    {"license_number", "301234567890"}, {"name", "山田 太郎"}, {"birth_date", "1985-04-12"}};
const Fields kBasic4Yamada = {
    {"name", "山田　太郎"}, {"birth_date", "1985-04-12"}, {"address", "東京都"}};

class Record : public ::testing::Test {
 protected:
  void run(const Effects& effects) { asked_.record(effects); }
  void send(Event e) { run(flow_.dispatch(std::move(e))); }
  void type_pin(const std::string& pin) { send(Event::typed("pin", base::SecretBytes(pin))); }
  const std::string& last_op() const { return asked_.ops.back(); }

  // choose a form .. the record confirmed; the card had no 免許AP (or `record_state`).
  void identify(const char* form = "form_both", const char* record_state = "") {
    run(flow_.start());
    send(Event::tap(form));
    send(Event::card(card_ops::kProbeDl, "ok", {{"tries", "3"}}));
    type_pin("1111");
    send(Event::card(card_ops::kReadDl, "ok", kDlYamada));
    Fields probe = {{"basic4_tries", "3"}, {"has_license_ap", "0"}, {"card_id", "C0FFEE"}};
    if (*record_state != 0) {
      probe["has_license_ap"] = "1";
      probe["record_state"] = record_state;
    }
    send(Event::card(card_ops::kProbeMyNumber, "ok", probe));
    type_pin("1234");
    send(
        Event::card(card_ops::kReadBasic4, "ok",
                    {{"name", "山田　太郎"}, {"birth_date", "1985-04-12"}, {"address", "東京都"}}));
    send(Event::center(center_ops::kLookupHolder, "ok",
                       {{"holder_ref", "H-1"},
                        {"license_number", "301234567890"},
                        {"at_home_centre", "1"},
                        {"expiry", "2029-05-12"}}));
  }
  void set_pin(const std::string& pin = "4821") {
    send(Event::tap("confirm"));
    type_pin(pin);
    type_pin(pin);
  }
  // One phase: INITIALIZE UPDATE relayed, commands fetched and relayed, answers reported.
  void phase(bool last) {
    send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\nAABBCC9000"}}));
    EXPECT_EQ(asked_.args["answer"], "AABBCC9000");  // the INITIALIZE UPDATE answer
    send(Event::center(center_ops::kIssuerPhaseOpen, "ok", {{"apdus", "84820000\n84E60C00"}}));
    EXPECT_EQ(asked_.args["apdus"], "84820000\n84E60C00");
    send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\n11229000"}}));
    EXPECT_EQ(asked_.args["answers"], "9000\n11229000");
    Fields verdict = {{"complete", "1"}, {"done", last ? "1" : "0"}};
    if (!last) {
      verdict["phase"] = "license_ap";
      verdict["apdus"] = "00A4040C\n80503000";
    }
    send(Event::center(center_ops::kIssuerPhaseAnswers, "ok", verdict));
  }
  void read_back_ok() {
    send(Event::card(card_ops::kReadLicense, "ok",
                     {{"kind", "license"}, {"number", "301234567890"}, {"signature", "valid"}}));
  }

  RecordFlow flow_{Language::ja, CivilDate{2026, 11, 27}};
  Asked asked_;
};

TEST_F(Record, R_FORMS_MynaOnlyHappyPathReturnsTheConventionalLicence) {
  identify("form_myna_only");
  EXPECT_EQ(asked_.screen, "record.confirm_record");
  set_pin();
  EXPECT_EQ(last_op(), "center:issuer_open");
  EXPECT_EQ(asked_.pin, "4821");
  EXPECT_EQ(asked_.args["resume"], "0");
  EXPECT_EQ(asked_.args["holder_ref"], "H-1");
  EXPECT_EQ(asked_.args["holding_form"], "myna_only");
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S-9"}, {"phase", "isd"}, {"apdus", "00A4040C\n80503000"}}));
  EXPECT_EQ(last_op(), "card:relay");
  phase(false);
  EXPECT_EQ(asked_.args["apdus"], "00A4040C\n80503000");  // the next phase's SELECT, INIT UPDATE
  phase(true);
  EXPECT_EQ(last_op(), "card:read_license");
  EXPECT_EQ(asked_.pin, "4821");  // read back with the PIN just set
  read_back_ok();
  // The return of the conventional licence went with the issuer session (holding_form above):
  // no separate submission that a stopped kiosk could lose between the write and the outbox.
  EXPECT_FALSE(asked_.outbox);
  EXPECT_EQ(asked_.screen, "record.done");
  EXPECT_EQ(asked_.view.texts.at("body").key, "record.done.body_myna_only");
  send(Event::tap("done"));
  EXPECT_TRUE(flow_.finished());
  EXPECT_THAT(std::vector<std::string>(asked_.ops.end() - 3, asked_.ops.end()),
              ElementsAre("wipe", "release_card", "ended"));
}

TEST_F(Record, R_FORMS_BothKeepsTheConventionalLicence) {
  identify("form_both");
  set_pin();
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S-1"}, {"phase", "license_ap"}, {"apdus", "00A4\n8050"}}));
  phase(true);
  read_back_ok();
  EXPECT_FALSE(asked_.outbox);  // nothing to hand back: the issuer session told the centre
  EXPECT_EQ(flow_.state(), "done");
  EXPECT_EQ(asked_.view.texts.at("body").key, "record.done.body_both");
}

TEST_F(Record, R_LIC_PIN_MismatchAndEasyPins) {
  identify();
  send(Event::tap("confirm"));
  type_pin("482");
  EXPECT_EQ(flow_.state(), "new_pin");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "license_pin.format");
  type_pin("4821");
  type_pin("4812");
  EXPECT_EQ(flow_.state(), "new_pin");
  EXPECT_EQ(asked_.view.texts.at("problem").key, "license_pin.mismatch");
  type_pin("1234");
  type_pin("1234");
  EXPECT_EQ(flow_.state(), "pin_warning");
  EXPECT_EQ(asked_.view.texts.at("body").key, "license_pin.warning.sequence");
  send(Event::tap("change"));
  type_pin("7777");
  type_pin("7777");
  EXPECT_EQ(asked_.view.texts.at("body").key, "license_pin.warning.all_same");
  send(Event::tap("keep"));
  EXPECT_EQ(last_op(), "center:issuer_open");
  EXPECT_EQ(asked_.pin, "7777");
}

TEST_F(Record, APulledCardMidWriteResumesWithTheSamePin) {
  identify("form_myna_only");
  set_pin();
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S-2"}, {"phase", "license_ap"}, {"apdus", "00A4\n8050"}}));
  send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\nAA9000"}}));
  send(Event::center(center_ops::kIssuerPhaseOpen, "ok", {{"apdus", "8482\n84D6"}}));
  EXPECT_TRUE(flow_.dispatch(Event::cancel()).empty());  // cancel waits while the card is written
  send(Event::removed());
  EXPECT_EQ(flow_.state(), "write_interrupted");
  send(Event::tap("retry"));
  EXPECT_EQ(last_op(), "card:probe_mynumber");
  send(Event::card(card_ops::kProbeMyNumber, "ok",
                   {{"basic4_tries", "3"},
                    {"has_license_ap", "1"},
                    {"record_state", "01"},
                    {"card_id", "C0FFEE"}}));
  EXPECT_EQ(last_op(), "center:issuer_open");
  EXPECT_EQ(asked_.args["resume"], "1");
  EXPECT_EQ(asked_.pin, "4821");
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S-3"}, {"phase", "license_ap"}, {"apdus", "00A4\n8050"}}));
  phase(true);
  read_back_ok();
  EXPECT_EQ(flow_.state(), "done");
  EXPECT_FALSE(asked_.outbox.has_value());  // the form travelled with the issuer session
}

TEST_F(Record, ACardThatLooksCompleteIsReadBackOnlyIfTheCentreSawTheWholeWrite) {
  identify();
  set_pin();
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S-2"}, {"phase", "license_ap"}, {"apdus", "00A4\n8050"}}));
  send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\nAABB9000"}}));
  send(Event::center(center_ops::kIssuerPhaseOpen, "ok", {{"apdus", "8482\n84D6"}}));
  send(Event::removed());  // the commands may or may not have reached the card
  send(Event::tap("retry"));
  const Fields complete = {{"basic4_tries", "3"},
                           {"has_license_ap", "1"},
                           {"record_state", "02"},
                           {"card_id", "C0FFEE"}};
  send(Event::card(card_ops::kProbeMyNumber, "ok", complete));
  // The centre never said "done": the card's 02 may be an earlier write with another PIN. A VERIFY
  // with the new one could cost a try: the record is written again instead.
  EXPECT_EQ(last_op(), "center:issuer_open");
  EXPECT_EQ(asked_.args["resume"], "1");
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S-3"}, {"phase", "license_ap"}, {"apdus", "00A4\n8050"}}));
  phase(true);  // the centre saw every answer
  EXPECT_EQ(last_op(), "card:read_license");
  send(Event::removed());  // pulled during the read-back
  send(Event::tap("retry"));
  send(Event::card(card_ops::kProbeMyNumber, "ok", complete));
  EXPECT_EQ(last_op(), "card:read_license") << "now only the read-back is left";
  EXPECT_EQ(asked_.pin, "4821");
}

TEST_F(Record, AnotherCardPlacedAfterAPullIsNeverWrittenWithThisLicence) {
  identify();
  set_pin();
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S-2"}, {"phase", "license_ap"}, {"apdus", "00A4\n8050"}}));
  send(Event::removed());
  send(Event::tap("retry"));
  const size_t asked_before = asked_.ops.size();
  // Someone else's card, half written too; then a card whose identity cannot be read.
  for (const char* other : {"BADCAFE", ""}) {
    send(Event::card(card_ops::kProbeMyNumber, "ok",
                     {{"basic4_tries", "3"},
                      {"has_license_ap", "1"},
                      {"record_state", "01"},
                      {"card_id", other}}));
    EXPECT_EQ(flow_.state(), "other_card") << other;
    send(Event::tap("retry"));
  }
  EXPECT_THAT(std::vector(asked_.ops.begin() + static_cast<long>(asked_before), asked_.ops.end()),
              ElementsAre("card:probe_mynumber", "card:probe_mynumber"));
  send(Event::card(card_ops::kProbeMyNumber, "ok",
                   {{"basic4_tries", "3"},
                    {"has_license_ap", "1"},
                    {"record_state", "01"},
                    {"card_id", "C0FFEE"}}));
  EXPECT_EQ(last_op(), "center:issuer_open");
}

// Up to the centre's answer, with the card's 免許AP as `record_state` says ("" = none).
void identify_until_lookup(RecordFlow& flow, const char* record_state) {
  flow.start();
  flow.dispatch(Event::tap("form_both"));
  flow.dispatch(Event::card(card_ops::kProbeDl, "ok", {{"tries", "3"}}));
  flow.dispatch(Event::typed("pin", base::SecretBytes("1111")));
  flow.dispatch(Event::card(card_ops::kReadDl, "ok", kDlYamada));
  Fields probe = {{"basic4_tries", "3"}, {"has_license_ap", "0"}, {"card_id", "C0FFEE"}};
  if (*record_state != 0) {
    probe["has_license_ap"] = "1";
    probe["record_state"] = record_state;
  }
  flow.dispatch(Event::card(card_ops::kProbeMyNumber, "ok", probe));
  flow.dispatch(Event::typed("pin", base::SecretBytes("1234")));
  flow.dispatch(Event::card(card_ops::kReadBasic4, "ok", kBasic4Yamada));
}

TEST_F(Record, R_LOST_ACardThatReplacedALostOneGetsTheRecordAfterTheHolderConfirms) {
  for (const char* state : {"", "01"}) {  // a new card, or one whose earlier write stopped
    RecordFlow flow(Language::ja, CivilDate{2026, 11, 27});
    identify_until_lookup(flow, state);
    flow.dispatch(Event::center(center_ops::kLookupHolder, "ok",
                                {{"holder_ref", "H-1"},
                                 {"license_ap_recorded", "1"},
                                 {"at_home_centre", "1"},
                                 {"expiry", "2029-05-12"}}));
    if (*state == 0) {
      EXPECT_EQ(flow.state(), "replaced_card");
      flow.dispatch(Event::tap("continue"));
    }
    // A half-written 免許AP is this card's own stopped write (a rewrite, say): finished, without
    // the lost-card words.
    EXPECT_EQ(flow.state(), "confirm_record") << state;
    flow.dispatch(Event::tap("confirm"));
    flow.dispatch(Event::typed("pin", base::SecretBytes("4821")));
    Effects effects = flow.dispatch(Event::typed("pin", base::SecretBytes("4821")));
    const CenterRequest* open = nullptr;
    for (const auto& e : effects) {
      if (const auto* c = std::get_if<CenterRequest>(&e)) {
        open = c;
      }
    }
    ASSERT_NE(open, nullptr);
    EXPECT_EQ(open->args.at("replace_card"), *state == 0 ? "1" : "0");
    EXPECT_EQ(open->args.at("resume"), *state != 0 ? "1" : "0");
  }
}

TEST_F(Record, R_VIA_NoNewMynaLicenceAwayFromTheHomeCentre) {
  for (const char* recorded : {"0", "1"}) {
    RecordFlow flow(Language::ja, CivilDate{2026, 11, 27});
    identify_until_lookup(flow, "");
    flow.dispatch(Event::center(
        center_ops::kLookupHolder, "ok",
        {{"holder_ref", "H-1"}, {"license_ap_recorded", recorded}, {"at_home_centre", "0"}}));
    EXPECT_EQ(flow.state(), "not_home_centre") << "recorded " << recorded;
  }
}

TEST_F(Record, ATornRecordFoundAtTheStartIsFinishedNotRefused) {
  identify("form_both", "01");
  EXPECT_EQ(flow_.state(), "confirm_record");
  set_pin("5831");
  EXPECT_EQ(asked_.args["resume"], "1");
}

TEST_F(Record, AnInstalledButEmptyApplicationIsNotInstalledAgain) {
  identify("form_both", "00");  // the write stopped between INSTALL and the first write
  set_pin("5831");
  EXPECT_EQ(asked_.args["resume"], "1");
}

TEST_F(Record, ACompleteRecordTheCentreKnowsIsAlreadyRecorded) {
  run(flow_.start());
  send(Event::tap("form_both"));
  send(Event::card(card_ops::kProbeDl, "ok", {{"tries", "3"}}));
  type_pin("1111");
  send(Event::card(card_ops::kReadDl, "ok", kDlYamada));
  send(Event::card(card_ops::kProbeMyNumber, "ok",
                   {{"basic4_tries", "3"}, {"has_license_ap", "1"}, {"record_state", "02"}}));
  type_pin("1234");
  send(Event::card(card_ops::kReadBasic4, "ok", kBasic4Yamada));
  send(Event::center(
      center_ops::kLookupHolder, "ok",
      {{"holder_ref", "H-1"}, {"license_ap_recorded", "1"}, {"at_home_centre", "1"}}));
  EXPECT_EQ(flow_.state(), "already_recorded");
}

TEST_F(Record, ACompleteCardTheCentreNeverHeardAboutIsWrittenAgain) {
  // The kiosk was stopped after the card's last write, before the centre heard the answers: the
  // card says 02, the centre has no record. A new session writes it again (resume, no install).
  identify("form_myna_only", "02");
  EXPECT_EQ(flow_.state(), "confirm_record");
  set_pin("5831");
  EXPECT_EQ(last_op(), "center:issuer_open");
  EXPECT_EQ(asked_.args["resume"], "1");
  EXPECT_EQ(asked_.args["holding_form"], "myna_only");
}

TEST_F(Record, WrongPinsCountDownAndAMalformedPinCostsNothing) {
  run(flow_.start());
  send(Event::tap("form_both"));
  send(Event::card(card_ops::kProbeDl, "ok", {{"tries", "2"}}));
  const size_t asked_before = asked_.ops.size();
  type_pin("11a1");
  EXPECT_EQ(asked_.ops.size(), asked_before);  // nothing went to the card
  type_pin("1111");
  send(Event::card(card_ops::kReadDl, "wrong_pin", {{"tries", "1"}}));
  EXPECT_EQ(flow_.state(), "dl_pin");
  EXPECT_EQ(asked_.view.texts.at("tries").params[0].second, "1");
  type_pin("2222");
  send(Event::card(card_ops::kReadDl, "wrong_pin", {{"tries", "0"}}));
  EXPECT_EQ(flow_.state(), "dl_blocked");
}

TEST_F(Record, TheCentresAnswersDecide) {
  struct Case {
    const char* outcome;
    const char* state;
  };
  for (const Case c : {Case{"holder_not_found", "not_found"}, Case{"holder_mismatch", "not_found"},
                       Case{"unavailable", "center_unavailable"}}) {
    RecordFlow flow(Language::en, CivilDate{2026, 11, 27});
    flow.start();
    flow.dispatch(Event::tap("form_both"));
    flow.dispatch(Event::card(card_ops::kProbeDl, "ok", {{"tries", "3"}}));
    flow.dispatch(Event::typed("pin", base::SecretBytes("1111")));
    flow.dispatch(Event::card(card_ops::kReadDl, "ok", kDlYamada));
    flow.dispatch(Event::card(card_ops::kProbeMyNumber, "ok", {{"basic4_tries", "3"}}));
    flow.dispatch(Event::typed("pin", base::SecretBytes("1234")));
    flow.dispatch(Event::card(card_ops::kReadBasic4, "ok", kBasic4Yamada));
    flow.dispatch(Event::center(center_ops::kLookupHolder, c.outcome));
    EXPECT_EQ(flow.state(), c.state) << c.outcome;
  }
}

// The card's last day comes from the centre's answer about the person's card (J-LIS), never from
// reading the My Number; the basic 4 info has none.
TEST_F(Record, R_CARD_EXPIRY_NearAndPastTheCardsEnd) {
  for (const auto& [expiry, state] :
       {std::pair{"2027-01-31", "expiry_warning"}, std::pair{"2026-11-26", "card_expired"},
        std::pair{"2030-01-01", "confirm_record"}, std::pair{"", "confirm_record"}}) {
    RecordFlow flow(Language::ja, CivilDate{2026, 11, 27});
    flow.start();
    flow.dispatch(Event::tap("form_both"));
    flow.dispatch(Event::card(card_ops::kProbeDl, "ok", {{"tries", "3"}}));
    flow.dispatch(Event::typed("pin", base::SecretBytes("1111")));
    flow.dispatch(Event::card(card_ops::kReadDl, "ok", kDlYamada));
    flow.dispatch(Event::card(card_ops::kProbeMyNumber, "ok", {{"basic4_tries", "3"}}));
    flow.dispatch(Event::typed("pin", base::SecretBytes("1234")));
    Fields basic4 = kBasic4Yamada;
    basic4["card_expiry"] = "2000-01-01";  // (not where the card's last day comes from)
    flow.dispatch(Event::card(card_ops::kReadBasic4, "ok", basic4));
    flow.dispatch(Event::center(center_ops::kLookupHolder, "ok",
                                {{"holder_ref", "H"},
                                 {"at_home_centre", "1"},
                                 {"expiry", "2029-05-12"},
                                 {"card_expiry", expiry}}));
    EXPECT_EQ(flow.state(), state) << expiry;
  }
}

// Licences past their last day are not recorded; the last day itself still counts.
TEST_F(Record, AnExpiredLicenceIsNotRecorded) {
  for (const auto& [expiry, state] :
       {std::pair{"2026-11-26", "license_expired"}, std::pair{"2026-11-27", "confirm_record"},
        std::pair{"", "license_expired"}}) {
    RecordFlow flow(Language::ja, CivilDate{2026, 11, 27});
    identify_until_lookup(flow, "");
    flow.dispatch(Event::center(center_ops::kLookupHolder, "ok",
                                {{"holder_ref", "H"},
                                 {"at_home_centre", "1"},
                                 {"expiry", expiry},
                                 {"card_expiry", "2033-01-01"}}));
    EXPECT_EQ(flow.state(), state) << expiry;
  }
}

TEST_F(Record, AnAddressTheCentreReportsChangedIsToldBeforeRecording) {
  RecordFlow flow(Language::ja, CivilDate{2026, 11, 27});
  ViewModel shown;
  identify_until_lookup(flow, "");
  for (auto& e : flow.dispatch(Event::center(center_ops::kLookupHolder, "ok",
                                             {{"holder_ref", "H"},
                                              {"at_home_centre", "1"},
                                              {"expiry", "2029-05-12"},
                                              {"address_changed", "1"}}))) {
    if (auto* v = std::get_if<ShowView>(&e)) {
      shown = v->view;
    }
  }
  ASSERT_EQ(shown.screen, "record.confirm_record");
  EXPECT_EQ(shown.texts.at("address").key, "common.address_changed");
}

TEST_F(Record, AReadBackThatDoesNotMatchIsAFailureNotADone) {
  identify();
  set_pin();
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S"}, {"phase", "license_ap"}, {"apdus", "00\n80"}}));
  phase(true);
  send(Event::card(card_ops::kReadLicense, "ok",
                   {{"kind", "license"}, {"number", "301234567890"}, {"signature", "invalid"}}));
  EXPECT_EQ(flow_.state(), "write_failed");
}

TEST_F(Record, ARefusedPhaseIsAFailure) {
  identify();
  set_pin();
  send(Event::center(center_ops::kIssuerOpen, "ok",
                     {{"session", "S"}, {"phase", "isd"}, {"apdus", "00\n80"}}));
  send(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\nAA9000"}}));
  send(Event::center(center_ops::kIssuerPhaseOpen, "card_cryptogram_invalid"));
  // A disturbed card or session: the kiosk looks at the card again and retries by itself, a
  // few times, then calls staff.
  EXPECT_EQ(flow_.state(), "probe_again");
  EXPECT_EQ(last_op(), "card:probe_mynumber");
  for (int attempt = 2; attempt <= 3; ++attempt) {
    send(Event::card(card_ops::kProbeMyNumber, "ok",
                     {{"basic4_tries", "3"},
                      {"has_license_ap", "1"},
                      {"record_state", "01"},
                      {"card_id", "C0FFEE"}}));
    send(Event::center(center_ops::kIssuerOpen, "unavailable"));
  }
  EXPECT_EQ(flow_.state(), "write_failed");
}

TEST_F(Record, R_HISTORY_ADrivingHistoryIsRecordedWithTheMyNumberCardAlone) {
  RecordFlow flow(Language::ja, CivilDate{2026, 11, 27}, RecordKind::driving_history);
  Effects out = flow.start();
  flow.dispatch(Event::tap("form_myna_only"));
  EXPECT_EQ(flow.state(), "place_mynumber") << "no conventional licence to read";
  flow.dispatch(Event::card(card_ops::kProbeMyNumber, "ok",
                            {{"basic4_tries", "3"}, {"has_license_ap", "0"}, {"card_id", "C1"}}));
  flow.dispatch(Event::typed("pin", base::SecretBytes("7531")));
  out = flow.dispatch(Event::card(card_ops::kReadBasic4, "ok",
                                  {{"name", "伊藤　和夫"}, {"birth_date", "1944-06-15"}}));
  const CenterRequest* lookup = nullptr;
  for (const auto& e : out) {
    if (const auto* c = std::get_if<CenterRequest>(&e)) {
      lookup = c;
    }
  }
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(lookup->op, center_ops::kLookupHistory);
  EXPECT_EQ(lookup->args.count("license_number"), 0U);
  EXPECT_EQ(lookup->args.at("name"), "伊藤　和夫");
  flow.dispatch(Event::center(
      center_ops::kLookupHistory, "ok",
      {{"holder_ref", "H-9"}, {"license_number", "304400123456"}, {"at_home_centre", "1"}}));
  EXPECT_EQ(flow.state(), "confirm_record");
  flow.dispatch(Event::tap("confirm"));
  flow.dispatch(Event::typed("pin", base::SecretBytes("4821")));
  flow.dispatch(Event::typed("pin", base::SecretBytes("4821")));
  flow.dispatch(Event::center(center_ops::kIssuerOpen, "ok",
                              {{"session", "S"}, {"phase", "license_ap"}, {"apdus", "00\n80"}}));
  flow.dispatch(Event::card(card_ops::kRelay, "ok", {{"answers", "9000\nAA9000"}}));
  flow.dispatch(Event::center(center_ops::kIssuerPhaseOpen, "ok", {{"apdus", "84"}}));
  flow.dispatch(Event::card(card_ops::kRelay, "ok", {{"answers", "9000"}}));
  flow.dispatch(
      Event::center(center_ops::kIssuerPhaseAnswers, "ok", {{"complete", "1"}, {"done", "1"}}));
  EXPECT_EQ(flow.state(), "verifying");
  // A licence record where a driving history was written is not what was asked for.

  flow.dispatch(
      Event::card(card_ops::kReadLicense, "ok",
                  {{"kind", "history"}, {"number", "304400123456"}, {"signature", "valid"}}));
  EXPECT_EQ(flow.state(), "done");
  EXPECT_EQ(RecordFlow::history_definition().find("place_dl"), nullptr);
}

TEST_F(Record, TheTableHoldsTogether) {
  EXPECT_NO_THROW(RecordFlow::history_definition().validate());
  EXPECT_NO_THROW(RecordFlow::definition().validate());
}

// FAQ 3, 11: a Myna-only holder has no plastic licence; the card names them by a JPKI
// authentication over the centre's challenge, and the record moves to the new card.
TEST_F(Record, AMynaOnlyHolderIsNamedByTheCardAlone) {
  RecordFlow flow(Language::ja, CivilDate{2026, 11, 27});
  std::vector<Effect> last;
  const auto send_to = [&](Event e) { last = flow.dispatch(std::move(e)); };
  flow.start();
  send_to(Event::tap("form_myna_only"));
  send_to(Event::tap("no_dl"));
  EXPECT_EQ(flow.state(), "place_mynumber");
  send_to(Event::card(card_ops::kProbeMyNumber, "ok",
                      {{"basic4_tries", "3"},
                       {"auth_tries", "3"},
                       {"has_license_ap", "0"},
                       {"card_id", "C0FFEE"}}));
  send_to(Event::typed("pin", base::SecretBytes("2580")));
  send_to(Event::card(card_ops::kReadBasic4, "ok",
                      {{"name", "加藤　美咲"}, {"birth_date", "1990-07-15"}, {"address", "横浜"}}));
  EXPECT_EQ(flow.state(), "challenging");
  send_to(Event::center(center_ops::kAuthChallenge, "ok", {{"challenge", "0A0B"}}));
  EXPECT_EQ(flow.state(), "auth_pin");
  send_to(Event::typed("pin", base::SecretBytes("2580")));
  EXPECT_EQ(flow.state(), "authenticating");
  const CardRequest* auth = nullptr;
  for (const auto& e : last) {
    if (const auto* c = std::get_if<CardRequest>(&e)) {
      auth = c;
    }
  }
  ASSERT_NE(auth, nullptr);
  EXPECT_EQ(auth->op, card_ops::kJpkiAuthenticate);
  EXPECT_EQ(auth->args.at("challenge"), "0A0B");
  EXPECT_EQ(auth->pin.reveal(), "2580");
  send_to(Event::card(card_ops::kJpkiAuthenticate, "wrong_pin", {{"tries", "2"}}));
  EXPECT_EQ(flow.state(), "auth_pin") << "a wrong PIN is told, with the tries left";
  send_to(Event::typed("pin", base::SecretBytes("2580")));
  send_to(Event::card(card_ops::kJpkiAuthenticate, "ok",
                      {{"certificate", "3082"}, {"signature", "5A5A"}}));
  const CenterRequest* lookup = nullptr;
  for (const auto& e : last) {
    if (const auto* c = std::get_if<CenterRequest>(&e)) {
      lookup = c;
    }
  }
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(lookup->op, center_ops::kLookupByCard);
  EXPECT_EQ(lookup->args.at("challenge"), "0A0B");
  EXPECT_EQ(lookup->args.at("signature"), "5A5A");
  EXPECT_EQ(lookup->args.at("card_id"), "C0FFEE");
  send_to(Event::center(center_ops::kLookupByCard, "ok",
                        {{"holder_ref", "H-7"},
                         {"license_ap_recorded", "1"},
                         {"at_home_centre", "1"},
                         {"expiry", "2027-08-15"}}));
  EXPECT_EQ(flow.state(), "replaced_card") << "the record moves to this new card";
}

// The challenge is spent by the lookup: after the centre was out of reach, "try again" asks for a
// new one and the PIN again; a refused certificate goes to its own screen, not to a retry loop.
TEST_F(Record, AnUnansweredLookupByCardStartsTheAuthenticationAgain) {
  RecordFlow flow(Language::ja, CivilDate{2026, 11, 27});
  const auto to_lookup = [&] {
    flow.dispatch(Event::center(center_ops::kAuthChallenge, "ok", {{"challenge", "0A0B"}}));
    flow.dispatch(Event::typed("pin", base::SecretBytes("2580")));
    flow.dispatch(Event::card(card_ops::kJpkiAuthenticate, "ok",
                              {{"certificate", "3082"}, {"signature", "5A5A"}}));
  };
  flow.start();
  flow.dispatch(Event::tap("form_myna_only"));
  flow.dispatch(Event::tap("no_dl"));
  flow.dispatch(Event::card(card_ops::kProbeMyNumber, "ok",
                            {{"basic4_tries", "3"}, {"auth_tries", "3"}, {"has_license_ap", "0"}}));
  flow.dispatch(Event::typed("pin", base::SecretBytes("2580")));
  flow.dispatch(Event::card(card_ops::kReadBasic4, "ok", kBasic4Yamada));
  to_lookup();
  flow.dispatch(Event::center(center_ops::kLookupByCard, "unavailable"));
  EXPECT_EQ(flow.state(), "center_unavailable");
  flow.dispatch(Event::tap("retry"));
  EXPECT_EQ(flow.state(), "challenging");
  to_lookup();
  flow.dispatch(Event::center(center_ops::kLookupByCard, "certificate_expired"));
  EXPECT_EQ(flow.state(), "auth_refused");
}

TEST_F(Record, ALockedAuthenticationPinEndsAtTheMunicipality) {
  RecordFlow flow(Language::ja, CivilDate{2026, 11, 27});
  flow.start();
  flow.dispatch(Event::tap("form_myna_only"));
  flow.dispatch(Event::tap("no_dl"));
  flow.dispatch(Event::card(card_ops::kProbeMyNumber, "ok",
                            {{"basic4_tries", "3"}, {"auth_tries", "0"}, {"has_license_ap", "0"}}));
  flow.dispatch(Event::typed("pin", base::SecretBytes("2580")));
  flow.dispatch(Event::card(card_ops::kReadBasic4, "ok", kBasic4Yamada));
  flow.dispatch(Event::center(center_ops::kAuthChallenge, "ok", {{"challenge", "0A0B"}}));
  EXPECT_EQ(flow.state(), "auth_blocked") << "no VERIFY is sent to a locked PIN";
}

TEST_F(Record, R_RECORD_TheTwoCardsMustNameOnePerson) {
  run(flow_.start());
  send(Event::tap("form_both"));
  send(Event::card(card_ops::kProbeDl, "ok", {{"tries", "3"}}));
  type_pin("1111");
  send(Event::card(card_ops::kReadDl, "ok", kDlYamada));
  send(Event::card(card_ops::kProbeMyNumber, "ok",
                   {{"basic4_tries", "3"}, {"has_license_ap", "0"}, {"card_id", "C0FFEE"}}));
  type_pin("1234");
  send(Event::card(card_ops::kReadBasic4, "ok",
                   {{"name", "鈴木　花子"}, {"birth_date", "1992-11-03"}, {"address", "大阪府"}}));
  EXPECT_EQ(flow_.state(), "not_same_person");
  EXPECT_THAT(asked_.ops, ::testing::Not(::testing::Contains("center:lookup_holder")));
  EXPECT_THAT(asked_.ops, ::testing::Contains("audit:record.identity=refused"));
  send(Event::tap("done"));
  EXPECT_TRUE(flow_.finished());
}

}  // namespace
}  // namespace mk::flows
