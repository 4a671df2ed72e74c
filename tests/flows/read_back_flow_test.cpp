// The read-back flow (R-READ, R-LIC-PIN, R-LIC-PIN-LOCK): every path from a card on the reader
// to the record on screen, and every way it can go wrong.
#include "flows/read_back/read_back_flow.hpp"

#include <stdexcept>
#include <tuple>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::ElementsAre;

using testing::card_request;
using testing::find_card_request;
using testing::names;
using testing::shown;

Event probe(const std::string& record_state, const std::string& tries) {
  return Event::card(card_ops::kProbeLicenseAp, "ok",
                     {{"has_license_ap", "1"}, {"record_state", record_state}, {"tries", tries}});
}

Event read_ok() {
  Event e = Event::card(card_ops::kReadLicense, "ok",
                        {{"number", "301234567890"},
                         {"expiry", "2029-05-12"},
                         {"color", "優良"},
                         {"signature", "valid"}});
  e.blob = {0xFF, 0x4F, 0xFF, 0x51};
  return e;
}

class ReadBack : public ::testing::Test {
 protected:
  Effects start() { return flow_.start(); }
  Effects to_pin(const std::string& tries = "10") {
    start();
    return flow_.dispatch(probe("02", tries));
  }
  ReadBackFlow flow_{Language::ja};
};

TEST_F(ReadBack, R_READ_HappyPathShowsTheRecordAndCleansUp) {
  const Effects first = start();
  ASSERT_NE(find_card_request(first), nullptr);
  EXPECT_EQ(card_request(first).op, card_ops::kProbeLicenseAp);
  EXPECT_TRUE(card_request(first).pin.empty());  // the probe carries no PIN

  const Effects pin_screen = flow_.dispatch(probe("02", "10"));
  EXPECT_EQ(shown(pin_screen).screen, "read_back.enter_pin");
  EXPECT_EQ(shown(pin_screen).texts.at("tries").params.at(0).second, "10");
  ASSERT_TRUE(shown(pin_screen).pin_pad);
  EXPECT_EQ(shown(pin_screen).pin_pad->submit_action, "pin");
  EXPECT_EQ(shown(pin_screen).pin_pad->max_length, 4);

  const Effects reading = flow_.dispatch(Event::typed("pin", base::SecretBytes("4321")));
  ASSERT_NE(find_card_request(reading), nullptr);
  EXPECT_EQ(card_request(reading).op, card_ops::kReadLicense);
  EXPECT_EQ(card_request(reading).pin.reveal(), "4321");

  const Effects showing = flow_.dispatch(read_ok());
  EXPECT_EQ(shown(showing).screen, "read_back.showing");
  ASSERT_EQ(shown(showing).details.size(), 8U);
  EXPECT_EQ(shown(showing).details[0].key, "read_back.field.number");
  EXPECT_EQ(shown(showing).details[0].params.at(0).second, "301234567890");
  EXPECT_EQ(shown(showing).details[7].key, "read_back.field.signature_valid");

  EXPECT_THAT(names(flow_.dispatch(Event::tap("done"))),
              ElementsAre("wipe", "release_card", "ended"));
  EXPECT_EQ(flow_.state(), "finished");
}

// R-LOST: a card that was replaced still reads as correctly signed; the centre knows the record
// moved to the new card, and says so. Without the centre the signed record is shown as read.
TEST_F(ReadBack, R_LOST_AReplacedCardSaysTheRecordMoved) {
  for (const auto& [outcome, record_card, screen] :
       {std::tuple{"ok", "another", "read_back.moved"},
        std::tuple{"ok", "this", "read_back.showing"},
        std::tuple{"unavailable", "", "read_back.showing"}}) {
    ReadBackFlow flow(Language::ja);
    flow.start();
    Event p = probe("02", "10");
    p.fields["card_id"] = "AB12";
    flow.dispatch(std::move(p));
    // A wrong PIN first: the card's identity stays what the probe read.
    flow.dispatch(Event::typed("pin", base::SecretBytes("1111")));
    flow.dispatch(Event::card(card_ops::kReadLicense, "wrong_pin", {{"tries", "9"}}));
    flow.dispatch(Event::typed("pin", base::SecretBytes("4321")));
    const Effects asking = flow.dispatch(read_ok());
    const CenterRequest* ask = nullptr;
    for (const auto& e : asking) {
      if (const auto* c = std::get_if<CenterRequest>(&e)) {
        ask = c;
      }
    }
    ASSERT_NE(ask, nullptr);
    EXPECT_EQ(ask->op, center_ops::kCardStatus);
    EXPECT_EQ(ask->args.at("card_id"), "AB12");
    EXPECT_EQ(ask->args.at("license_number"), "301234567890");
    const Effects answer = flow.dispatch(
        Event::center(center_ops::kCardStatus, outcome, {{"record_card", record_card}}));
    EXPECT_EQ(shown(answer).screen, screen) << outcome << " " << record_card;
  }
}

TEST_F(ReadBack, R_HISTORY_ADrivingHistoryReadsAsOneNotAsALicence) {
  to_pin();
  flow_.dispatch(Event::typed("pin", base::SecretBytes("2684")));
  const Effects showing =
      flow_.dispatch(Event::card(card_ops::kReadLicense, "ok",
                                 {{"kind", "history"},
                                  {"number", "304400123456"},
                                  {"expiry", "2024-09-30"},
                                  {"history", "令和６年９月３０日申請による取消"},
                                  {"signature", "valid"}}));
  const ViewModel& vm = shown(showing);
  EXPECT_EQ(vm.texts.at("title").key, "read_back.showing_history.title");
  std::vector<std::string> keys;
  for (const auto& d : vm.details) {
    keys.push_back(d.key);
  }
  EXPECT_EQ(keys.front(), "history.field.number");
  EXPECT_THAT(keys, ::testing::Contains("read_back.field.history"));
  EXPECT_THAT(keys, ::testing::Not(::testing::Contains("read_back.field.expiry")))
      << "a driving history has no period of validity";
}

TEST_F(ReadBack, R_LIC_PIN_AMalformedPinNeverReachesTheCard) {
  to_pin();
  for (const char* bad : {"432", "43210", "43a1", ""}) {
    const Effects e = flow_.dispatch(Event::typed("pin", base::SecretBytes(bad)));
    EXPECT_EQ(find_card_request(e), nullptr) << bad;
    EXPECT_EQ(shown(e).texts.at("problem").key, "read_back.pin_format");
    EXPECT_EQ(flow_.state(), "enter_pin");
  }
}

TEST_F(ReadBack, R_LIC_PIN_LOCK_WrongPinsCountDownThenBlock) {
  to_pin("2");
  flow_.dispatch(Event::typed("pin", base::SecretBytes("1111")));
  Effects e = flow_.dispatch(Event::card(card_ops::kReadLicense, "wrong_pin", {{"tries", "1"}}));
  EXPECT_EQ(flow_.state(), "enter_pin");
  EXPECT_EQ(shown(e).texts.at("tries").params.at(0).second, "1");
  EXPECT_EQ(shown(e).texts.at("problem").key, "read_back.pin_wrong");
  flow_.dispatch(Event::typed("pin", base::SecretBytes("2222")));
  e = flow_.dispatch(Event::card(card_ops::kReadLicense, "wrong_pin", {{"tries", "0"}}));
  EXPECT_EQ(flow_.state(), "blocked");
  EXPECT_EQ(shown(e).screen, "read_back.blocked");
}

TEST_F(ReadBack, R_LIC_PIN_LOCK_ABlockedPinIsSeenBeforeAnyTry) {
  start();
  const Effects e = flow_.dispatch(probe("02", "0"));
  EXPECT_EQ(flow_.state(), "blocked");
  EXPECT_EQ(find_card_request(e), nullptr);
}

TEST_F(ReadBack, WhatTheProbeFindsDecidesTheScreen) {
  struct Case {
    Event event;
    const char* state;
  };
  std::vector<Case> cases;
  cases.push_back(
      {Event::card(card_ops::kProbeLicenseAp, "ok", {{"has_license_ap", "0"}}), "no_record"});
  cases.push_back({probe("00", "10"), "no_record"});
  cases.push_back({probe("01", "10"), "torn_record"});
  cases.push_back({Event::card(card_ops::kProbeLicenseAp, "not_my_number_card"), "wrong_card"});
  cases.push_back({Event::card(card_ops::kProbeLicenseAp, "error"), "card_error"});
  // A hostile or broken answer: tries that are not a number, or more than a card can have.
  cases.push_back({probe("02", "abc"), "card_error"});
  cases.push_back({probe("02", "11"), "card_error"});
  cases.push_back({probe("02", ""), "card_error"});
  for (auto& c : cases) {
    ReadBackFlow flow(Language::en);
    flow.start();
    const std::string label = c.event.label();
    flow.dispatch(std::move(c.event));
    EXPECT_EQ(flow.state(), c.state) << label;
  }
}

TEST_F(ReadBack, APulledCardIsToldApartFromAWrongPin) {
  to_pin();
  flow_.dispatch(Event::typed("pin", base::SecretBytes("4321")));
  const Effects e = flow_.dispatch(Event::removed());
  EXPECT_EQ(flow_.state(), "card_pulled");
  EXPECT_EQ(shown(e).screen, "read_back.card_pulled");
  // Placing it again starts over with a fresh probe.
  const Effects again = flow_.dispatch(Event::tap("retry"));
  ASSERT_NE(find_card_request(again), nullptr);
  EXPECT_EQ(card_request(again).op, card_ops::kProbeLicenseAp);
}

TEST_F(ReadBack, CancelWaitsWhileTheCardIsBeingReadAndIdleEndsTheShowing) {
  to_pin();
  flow_.dispatch(Event::typed("pin", base::SecretBytes("4321")));
  EXPECT_TRUE(flow_.dispatch(Event::cancel()).empty());
  EXPECT_EQ(flow_.state(), "reading");
  flow_.dispatch(read_ok());
  EXPECT_THAT(names(flow_.dispatch(Event::idle())), ElementsAre("wipe", "release_card", "ended"));
}

TEST_F(ReadBack, TheOnScreenCancelButtonCancels) {
  to_pin();
  EXPECT_THAT(names(flow_.dispatch(Event::tap("cancel"))),
              ElementsAre("wipe", "release_card", "ended"));
  EXPECT_EQ(flow_.state(), "cancelled");
}

TEST_F(ReadBack, TheTableHoldsTogether) {
  EXPECT_NO_THROW(ReadBackFlow::definition().validate());
  EXPECT_THAT(to_mermaid(ReadBackFlow::definition()),
              ::testing::HasSubstr("reading --> blocked : pin_locked"));
}

}  // namespace
}  // namespace mk::flows
