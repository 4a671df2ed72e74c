// "What a person may ask" (MyStatusFlow) with scripted card and centre answers: the consent, the
// linkage's time and the online lecture's eligibility, period and fees, from the centre's status.
#include "flows/my_status/my_status_flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::Contains;
using ::testing::Not;

constexpr CivilDate kToday{2026, 11, 27};

Fields card() {
  return {{"basic4_tries", "3"},   {"has_license_ap", "1"}, {"record_state", "02"},
          {"license_tries", "10"}, {"sign_tries", "5"},     {"card_id", "C0FFEE"}};
}

// A Myna-only 優良 driver born 1990-12-20 whose licence ends 2027-01-20: in the renewal period
// on kToday (from 20 November 2026).
Fields status(Fields changes = {}) {
  Fields f = {{"as_of", "2026-11-27T11:00:00+09:00"},
              {"holding_form", "myna_only"},
              {"category", "優良"},
              {"birth_date", "1990-12-20"},
              {"expiry", "2027-01-20"},
              {"suspended", "0"},
              {"consent_status", ""},
              {"consent_items", ""},
              {"consent_valid_until", ""},
              {"linkage_available_from", ""}};
  for (auto& [k, v] : changes) {
    f[k] = v;
  }
  return f;
}

std::vector<std::string> keys(const ViewModel& vm) {
  std::vector<std::string> out;
  for (const auto& d : vm.details) {
    out.push_back(d.key);
  }
  return out;
}

class MyStatus : public ::testing::Test {
 protected:
  void run(const Effects& effects) { asked_.record(effects); }
  void send(Event e) { run(flow_.dispatch(std::move(e))); }
  void type_pin(const std::string& pin) { send(Event::typed("pin", base::SecretBytes(pin))); }

  const ViewModel& ask(Fields answer) {
    run(flow_.start());
    send(Event::card(card_ops::kProbeMyNumber, "ok", card()));
    type_pin("1357");
    send(Event::card(card_ops::kReadLicense, "ok",
                     {{"number", "451234567893"}, {"signature", "valid"}}));
    type_pin("2580");
    send(Event::card(card_ops::kReadBasic4, "ok", {{"name", "加藤　美咲"}}));
    send(Event::center(center_ops::kLookupHolder, "ok", {{"holder_ref", "H-9"}}));
    EXPECT_EQ(asked_.ops.back(), "center:holder_status");
    EXPECT_EQ(asked_.center_args["holder_ref"], "H-9");
    send(Event::center(center_ops::kHolderStatus, "ok", std::move(answer)));
    EXPECT_EQ(flow_.state(), "status");
    return asked_.view;
  }

  MyStatusFlow flow_{Language::ja, kToday};
  testing::Asked asked_;
};

TEST_F(MyStatus, R_LECTURE_InThePeriodButNotLinkedSaysWhyAndWhen) {
  const ViewModel& vm = ask(status());
  EXPECT_THAT(keys(vm), Contains("my_status.one_stop.none"));
  EXPECT_THAT(keys(vm), Contains("my_status.linkage.none"));
  EXPECT_THAT(keys(vm), Contains("my_status.lecture.not_eligible"));
  EXPECT_THAT(keys(vm), Contains("my_status.lecture.why.not_linked"));
  EXPECT_THAT(keys(vm), Not(Contains("my_status.lecture.why.outside_period")));
  EXPECT_THAT(asked_.ops, Not(Contains("outbox:portal-linkage"))) << "it only reads";
}

TEST_F(MyStatus, R_LECTURE_LinkedAnHourAgoMayTakeItOnlineForTwoHundredYen) {
  const ViewModel& vm = ask(status({{"linkage_available_from", "2026-11-27T09:30:00+09:00"}}));
  EXPECT_THAT(keys(vm), Contains("my_status.linkage.open"));
  ASSERT_THAT(keys(vm), Contains("my_status.lecture.eligible"));
  for (const auto& d : vm.details) {
    if (d.key == "my_status.lecture.eligible") {
      EXPECT_THAT(d.params, Contains(std::pair<std::string, std::string>{"online_fee", "200"}));
      EXPECT_THAT(d.params, Contains(std::pair<std::string, std::string>{"fee", "500"}));
      EXPECT_THAT(d.params, Contains(std::pair<std::string, std::string>{"until", "2027-01-20"}));
    }
  }
}

TEST_F(MyStatus, R_PL_WAIT_ALinkageNotOpenYetSaysFromWhen) {
  const ViewModel& vm = ask(status({{"linkage_available_from", "2026-11-27T11:20:00+09:00"}}));
  EXPECT_THAT(keys(vm), Contains("my_status.linkage.waiting"));
  EXPECT_THAT(keys(vm), Contains("my_status.lecture.why.linked_too_recently"));
}

TEST_F(MyStatus, R_OS_VALIDITY_AnActiveConsentShowsItsItemsAndEnd) {
  const ViewModel& vm = ask(status({{"consent_status", "active"},
                                    {"consent_items", "address name"},
                                    {"consent_valid_until", "2036-11-27"}}));
  EXPECT_THAT(keys(vm), Contains("my_status.one_stop.active"));
  EXPECT_THAT(keys(vm), Contains("one_stop.item.address"));
  EXPECT_THAT(keys(vm), Contains("one_stop.item.name"));
  EXPECT_THAT(keys(vm), Not(Contains("one_stop.item.birth_date")));
}

TEST_F(MyStatus, R_LECTURE_AViolatorSuspendedElderlyHolderHearsEveryReason) {
  const ViewModel& vm = ask(status({{"category", "違反"},
                                    {"suspended", "1"},
                                    {"birth_date", "1950-12-20"},
                                    {"linkage_available_from", "2026-11-01T10:00:00+09:00"}}));
  for (const char* why : {"category", "suspended", "elderly_lecture"}) {
    EXPECT_THAT(keys(vm), Contains(std::string("my_status.lecture.why.") + why));
  }
  // R-NO-VIOLATIONS: the category's own word is never shown.
  for (const auto& d : vm.details) {
    for (const auto& [name, value] : d.params) {
      EXPECT_NE(value, "違反") << d.key;
    }
  }
}

TEST_F(MyStatus, ADrivingHistoryHolderHasNoLecture) {
  const ViewModel& vm = ask(status({{"expiry", ""}}));
  EXPECT_THAT(keys(vm), Contains("my_status.lecture.no_licence"));
}

TEST_F(MyStatus, TheCentreAwayIsSaidAndNothingIsKept) {
  run(flow_.start());
  send(Event::card(card_ops::kProbeMyNumber, "ok", card()));
  type_pin("1357");
  send(Event::card(card_ops::kReadLicense, "ok", {{"number", "451"}, {"signature", "valid"}}));
  type_pin("2580");
  send(Event::card(card_ops::kReadBasic4, "ok", {{"name", "x"}}));
  send(Event::center(center_ops::kLookupHolder, "ok", {{"holder_ref", "H-9"}}));
  send(Event::center(center_ops::kHolderStatus, center_ops::kUnavailable));
  EXPECT_EQ(flow_.state(), "center_unavailable");
  send(Event::tap("retry"));
  EXPECT_EQ(flow_.state(), "looking_up");
}

TEST(MinutesBetween, InstantsInAnyOffset) {
  EXPECT_EQ(minutes_between("2026-11-27T10:15:00+09:00", "2026-11-27T10:45:30+09:00"), 30);
  EXPECT_EQ(minutes_between("2026-11-27T23:50:00+09:00", "2026-11-28T00:20:00+09:00"), 30);
  EXPECT_EQ(minutes_between("2026-11-27T01:00:00Z", "2026-11-27T10:00:00+09:00"), 0);
  EXPECT_EQ(minutes_between("2026-11-27T10:45:00+09:00", "2026-11-27T10:15:00+09:00"), -30);
  EXPECT_FALSE(minutes_between("soon", "2026-11-27T10:15:00+09:00"));
  EXPECT_FALSE(minutes_between("2026-11-27T25:00:00+09:00", "2026-11-27T10:15:00+09:00"));
  EXPECT_FALSE(minutes_between("2026-11-27T10:15:00", "2026-11-27T10:15:00+09:00"));
}

}  // namespace
}  // namespace mk::flows
