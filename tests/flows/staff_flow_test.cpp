// The staff layer (StaffFlow) with scripted centre answers: masked pads, the PIN only in the
// centre request, audit rows with the staff ID as actor, the refusals, the desk's idle timeout and
// sign-out.
#include "flows/staff/staff_flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/center_ops.hpp"
#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

constexpr int kIdleMs = 60'000;

class Staff : public ::testing::Test {
 protected:
  void run(const Effects& effects) {
    asked_.record(effects);
    for (const auto& e : effects) {
      if (const auto* a = std::get_if<AuditEntry>(&e)) {
        actors_.push_back(a->actor);
      } else if (const auto* t = std::get_if<StartTimer>(&e)) {
        timers_.push_back(t->id + "=" + std::to_string(t->milliseconds));
      }
    }
  }
  void send(Event e) { run(flow_.dispatch(std::move(e))); }
  void type(const std::string& action, const std::string& digits) {
    send(Event::typed(action, base::SecretBytes(digits)));
  }
  // Opens the layer and types an ID and a PIN: the centre is asked.
  void sign_in(const std::string& id = "100001", const std::string& pin = "246810") {
    if (flow_.state().empty() || flow_.state() == "enter_id") {
      run(flow_.start());
    }
    type("staff_id", id);
    type("staff_pin", pin);
  }
  void answer(const std::string& outcome, Fields fields = {}) {
    send(Event::center(center_ops::kStaffSignIn, outcome, std::move(fields)));
  }

  StaffFlow flow_{Language::ja, kIdleMs};
  testing::Asked asked_;
  std::vector<std::string> actors_;
  std::vector<std::string> timers_;
};

TEST_F(Staff, BothPadsAreMaskedAndThePinGoesOnlyToTheCentre) {
  run(flow_.start());
  EXPECT_EQ(asked_.screen, "staff.enter_id");
  ASSERT_TRUE(asked_.view.pin_pad);
  EXPECT_TRUE(asked_.view.pin_pad->masked);
  EXPECT_EQ(asked_.view.pin_pad->submit_action, "staff_id");
  EXPECT_EQ(asked_.view.pin_pad->min_length, 4);
  EXPECT_EQ(asked_.view.pin_pad->max_length, 8);
  type("staff_id", "100001");
  EXPECT_EQ(asked_.screen, "staff.enter_pin");
  ASSERT_TRUE(asked_.view.pin_pad);
  EXPECT_TRUE(asked_.view.pin_pad->masked);
  EXPECT_EQ(asked_.view.pin_pad->submit_action, "staff_pin");
  type("staff_pin", "246810");
  EXPECT_EQ(asked_.screen, "staff.checking");
  EXPECT_THAT(asked_.ops, Contains("center:staff_sign_in"));
  EXPECT_EQ(asked_.pin, "246810");
  EXPECT_EQ(asked_.center_args, (Fields{{"staff_id", "100001"}}));
}

TEST_F(Staff, SignedInAtTheDeskShowsOnlyTheIdsEndAndTheRole) {
  sign_in();
  answer("ok", {{"staff_id", "100001"}, {"role", "supervisor"}, {"checked_by", "center"}});
  EXPECT_EQ(asked_.screen, "staff.desk");
  EXPECT_THAT(asked_.ops, Contains("audit:staff.sign_in=ok"));
  EXPECT_THAT(actors_, ElementsAre("staff:100001"));
  EXPECT_THAT(timers_, ElementsAre("staff_idle=60000"));
  const TextRef& body = asked_.view.texts.at("body");
  EXPECT_EQ(body.params, (decltype(body.params){{"id_end", "01"}}));
  ASSERT_EQ(asked_.view.details.size(), 1U);
  EXPECT_EQ(asked_.view.details[0].key, "staff.desk.role_supervisor");
  EXPECT_EQ(asked_.action_ids(), std::vector<std::string>{"sign_out"});
}

TEST_F(Staff, ASignInCheckedByTheKioskCopySaysSo) {
  sign_in();
  answer("ok", {{"staff_id", "100001"}, {"role", "staff"}, {"checked_by", "kiosk"}});
  ASSERT_EQ(asked_.view.details.size(), 2U);
  EXPECT_EQ(asked_.view.details[0].key, "staff.desk.role_staff");
  EXPECT_EQ(asked_.view.details[1].key, "staff.desk.checked_by_kiosk");
}

TEST_F(Staff, ARefusalIsAuditedAndTriedAgainFromTheId) {
  sign_in("100001", "111111");
  answer("staff_sign_in_refused");
  EXPECT_EQ(asked_.screen, "staff.refused");
  EXPECT_THAT(asked_.ops, Contains("audit:staff.sign_in=refused"));
  EXPECT_THAT(actors_, ElementsAre("staff:100001"));
  send(Event::tap("retry"));
  EXPECT_EQ(asked_.screen, "staff.enter_id");
  sign_in("100001", "246810");
  answer("ok", {{"staff_id", "100001"}, {"role", "staff"}, {"checked_by", "center"}});
  EXPECT_EQ(asked_.screen, "staff.desk");
}

TEST_F(Staff, ALockedIdEndsTheLayerWithItsCode) {
  sign_in("100003", "111111");
  answer("staff_locked");
  EXPECT_EQ(asked_.screen, "staff.locked");
  EXPECT_EQ(flow_.diagnostic(), "MK-STAFF-LOCKED");
  EXPECT_THAT(asked_.ops, Contains("audit:staff.sign_in=locked"));
  EXPECT_EQ(asked_.action_ids(), std::vector<std::string>{"close"});
  send(Event::tap("close"));
  EXPECT_TRUE(flow_.finished());
  EXPECT_EQ(flow_.state(), "closed");
}

TEST_F(Staff, NoCentreAndNoCopyIsNotASignIn) {
  sign_in();
  answer(center_ops::kUnavailable);
  EXPECT_EQ(asked_.screen, "staff.center_away");
  EXPECT_EQ(flow_.diagnostic(), "MK-CENTER-UNREACHABLE");
  EXPECT_THAT(asked_.ops, Not(Contains("audit:staff.sign_in=ok")));
  send(Event::tap("retry"));
  EXPECT_EQ(asked_.screen, "staff.enter_id");  // the PIN is typed again, never re-sent
}

TEST_F(Staff, TheDesksIdleTimeoutSignsOut) {
  sign_in();
  answer("ok", {{"staff_id", "100001"}, {"role", "staff"}, {"checked_by", "center"}});
  send(Event::tap("anything"));  // a touch starts the idle time again
  EXPECT_THAT(timers_, ElementsAre("staff_idle=60000", "staff_idle=60000"));
  send(Event::timer(StaffFlow::kIdleTimer));
  EXPECT_TRUE(flow_.finished());
  EXPECT_EQ(flow_.state(), "signed_out");
  EXPECT_THAT(asked_.ops, Contains("audit:staff.sign_out=idle"));
  EXPECT_THAT(actors_, ElementsAre("staff:100001", "staff:100001"));
}

TEST_F(Staff, SigningOutOrLeavingIsAudited) {
  sign_in();
  answer("ok", {{"staff_id", "100001"}, {"role", "staff"}, {"checked_by", "center"}});
  send(Event::tap("sign_out"));
  EXPECT_EQ(flow_.state(), "signed_out");
  EXPECT_THAT(asked_.ops, Contains("audit:staff.sign_out=ok"));
  EXPECT_THAT(asked_.ops, Contains("wipe"));
}

TEST_F(Staff, TheKiosksIdleTimeoutClosesASignInHalfTyped) {
  run(flow_.start());
  type("staff_id", "100001");
  send(Event::idle());
  EXPECT_EQ(flow_.state(), "closed");
  EXPECT_TRUE(actors_.empty());  // nobody signed in: nothing to audit
}

TEST_F(Staff, BackFromThePinPadAsksForTheIdAgain) {
  run(flow_.start());
  type("staff_id", "100001");
  send(Event::tap("back"));
  EXPECT_EQ(asked_.screen, "staff.enter_id");
}

}  // namespace
}  // namespace mk::flows
