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

  void signed_in() {
    sign_in();
    answer("ok", {{"staff_id", "100001"}, {"role", "staff"}, {"checked_by", "center"}});
  }
  std::vector<std::string> detail_keys() const {
    std::vector<std::string> keys;
    for (const auto& d : asked_.view.details) {
      keys.push_back(d.key);
    }
    return keys;
  }

  StaffFlow flow_{Language::ja, kIdleMs, true};
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
  EXPECT_EQ(asked_.action_ids(), (std::vector<std::string>{"status", "report", "dead_letters",
                                                           "end_session", "sign_out"}));
}

TEST_F(Staff, SigningInAnswersThePersonsCallForStaff) {
  sign_in();
  answer("ok", {{"staff_id", "100001"}, {"role", "staff"}, {"checked_by", "center"}});
  EXPECT_THAT(asked_.ops, Contains("kiosk:answer_call"));
  EXPECT_THAT(detail_keys(), Not(Contains("staff.desk.call_answered")));
  send(Event::kiosk("answer_call", "ok", {{"answered", "1"}}));
  EXPECT_THAT(detail_keys(), Contains("staff.desk.call_answered"));
  EXPECT_THAT(asked_.ops, Contains("audit:staff.call=answered"));
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
  // The ID as typed may be anything (a PIN in the wrong pad): not the actor, its end only.
  EXPECT_THAT(actors_, ElementsAre("staff:unverified"));
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

TEST_F(Staff, ACentreThatRefusesTheKioskIsNotCalledUnreachable) {
  sign_in();
  answer("terminal_unknown");
  EXPECT_EQ(asked_.screen, "staff.failed");
  EXPECT_EQ(flow_.diagnostic(), "MK-CENTER-REFUSED");
  send(Event::tap("retry"));
  EXPECT_EQ(asked_.screen, "staff.enter_id");
}

TEST_F(Staff, TheAnswerToTheCallCountsOnWhicheverScreenStaffAre) {
  signed_in();
  send(Event::tap("status"));
  send(Event::kiosk("answer_call", "ok", {{"answered", "1"}}));
  EXPECT_THAT(asked_.ops, Contains("audit:staff.call=answered"));
  EXPECT_EQ(asked_.screen, "staff.status");
  send(Event::tap("back"));
  EXPECT_THAT(detail_keys(), Contains("staff.desk.call_answered"));
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

TEST_F(Staff, TheKioskAtAGlanceFromItsOwnAnswer) {
  signed_in();
  send(Event::tap("status"));
  EXPECT_EQ(asked_.screen, "staff.status");
  EXPECT_THAT(asked_.ops, Contains("kiosk:status"));
  EXPECT_THAT(asked_.ops, Contains("audit:staff.status=viewed"));
  EXPECT_THAT(detail_keys(), ElementsAre("staff.status.loading"));
  send(Event::kiosk("status", "ok",
                    {{"readers", "2"},
                     {"reader.0", "Virtual PCD 00 00"},
                     {"reader.0.card", "1"},
                     {"reader.1", "Virtual PCD 00 01"},
                     {"reader.1.card", "0"},
                     {"camera", "0"},
                     {"center", "reachable"},
                     {"center_ms", "12"},
                     {"cert_days", "-3"},
                     {"outbox", "2"},
                     {"outbox_oldest_min", "61"},
                     {"dead_letters", "1"},
                     {"audit", "broken"},
                     {"audit_unsent", "4"},
                     {"audit_last_upload", ""},
                     {"disk_free_mb", "900"},
                     {"today_procedures", "7"},
                     {"today_codes", "3"},
                     {"problems", "1"},
                     {"problem.0", "18:05"},
                     {"problem.0.code", "MK-CARD-PULLED"}}));
  EXPECT_THAT(detail_keys(),
              ElementsAre("staff.status.reader_card", "staff.status.reader_empty",
                          "staff.status.camera_off", "staff.status.center_reachable",
                          "staff.status.cert_expired", "staff.status.outbox",
                          "staff.status.dead_letters", "staff.status.audit_broken",
                          "staff.status.disk", "staff.status.today", "staff.status.problem"));
  EXPECT_EQ(asked_.view.details[5].params,
            (decltype(asked_.view.details[5].params){{"count", "2"}, {"minutes", "61"}}));
  EXPECT_EQ(asked_.view.details[10].params, (decltype(asked_.view.details[10].params){
                                                {"time", "18:05"}, {"code", "MK-CARD-PULLED"}}));
  send(Event::tap("refresh"));
  EXPECT_THAT(detail_keys(), ElementsAre("staff.status.loading"));  // asked again
  send(Event::kiosk("status", "unavailable"));
  EXPECT_THAT(detail_keys(), ElementsAre("staff.status.unavailable"));
  send(Event::tap("back"));
  EXPECT_EQ(asked_.screen, "staff.desk");
}

TEST_F(Staff, TheDaysReportGroupsOutcomesUnderEachProcedureAndPrints) {
  signed_in();
  send(Event::tap("report"));
  EXPECT_EQ(asked_.screen, "staff.report");
  EXPECT_THAT(asked_.ops, Contains("kiosk:day_report"));
  EXPECT_FALSE(asked_.view.actions.back().enabled);  // print: nothing to print yet
  send(Event::tap("print"));
  EXPECT_THAT(asked_.ops, Not(Contains("print:report")));
  send(Event::kiosk("day_report", "ok",
                    {{"day", "2026-11-27"},
                     {"terminal", "KIOSK-01"},
                     {"procedures", "3"},
                     {"procedure.0", "read_back"},
                     {"procedure.0.outcome", "cancelled"},
                     {"procedure.0.count", "1"},
                     {"procedure.0.mean_s", "20"},
                     {"procedure.0.max_s", "20"},
                     {"procedure.1", "read_back"},
                     {"procedure.1.outcome", "showing"},
                     {"procedure.1.count", "4"},
                     {"procedure.1.mean_s", "41"},
                     {"procedure.1.max_s", "63"},
                     {"procedure.2", "record"},
                     {"procedure.2.outcome", "done"},
                     {"procedure.2.count", "2"},
                     {"procedure.2.mean_s", "95"},
                     {"procedure.2.max_s", "120"},
                     {"codes", "1"},
                     {"code.0", "MK-CARD-PULLED"},
                     {"code.0.count", "2"}}));
  EXPECT_EQ(asked_.view.texts.at("title").params,
            (decltype(asked_.view.texts.at("title").params){{"day", "2026-11-27"}}));
  EXPECT_THAT(
      detail_keys(),
      ElementsAre("menu.read_back", "staff.report.outcome", "staff.report.outcome", "menu.record",
                  "staff.report.outcome", "staff.report.codes", "staff.report.code"));
  ASSERT_TRUE(asked_.view.actions.back().enabled);
  send(Event::tap("print"));
  ASSERT_TRUE(asked_.printed.has_value());
  EXPECT_EQ(
      asked_.printed->document.texts.at("footer").params,
      (decltype(asked_.printed->document.texts.at("footer").params){{"terminal", "KIOSK-01"}}));
  EXPECT_EQ(asked_.printed->document.details.size(), 7U);
  EXPECT_THAT(detail_keys(), Contains("staff.report.printing"));
  send(Event::tap("print"));  // a second job while the first prints: not offered
  send(Event::printed("report", "ok"));
  EXPECT_THAT(detail_keys(), Contains("staff.report.printed"));
  EXPECT_THAT(asked_.ops, Contains("audit:staff.report=printed"));
  EXPECT_EQ(std::count(asked_.ops.begin(), asked_.ops.end(), "print:report"), 1);
}

TEST_F(Staff, WithoutAPrinterTheReportOffersNoPrint) {
  StaffFlow flow(Language::en, kIdleMs, false);
  testing::Asked asked;
  asked.record(flow.start());
  asked.record(flow.dispatch(Event::typed("staff_id", base::SecretBytes("100001"))));
  asked.record(flow.dispatch(Event::typed("staff_pin", base::SecretBytes("246810"))));
  asked.record(flow.dispatch(
      Event::center("staff_sign_in", "ok",
                    {{"staff_id", "100001"}, {"role", "staff"}, {"checked_by", "center"}})));
  asked.record(flow.dispatch(Event::tap("report")));
  EXPECT_EQ(asked.action_ids(), std::vector<std::string>{"back"});
}

TEST_F(Staff, IdleOnTheStatusScreenSignsOutToo) {
  signed_in();
  send(Event::tap("status"));
  send(Event::timer(StaffFlow::kIdleTimer));
  EXPECT_EQ(flow_.state(), "signed_out");
  EXPECT_THAT(asked_.ops, Contains("audit:staff.sign_out=idle"));
}

TEST_F(Staff, ADeadLetterIsSentAgainOnlyWhenListedAndTheListIsAskedAgain) {
  signed_in();
  send(Event::tap("dead_letters"));
  EXPECT_EQ(asked_.screen, "staff.dead_letters");
  EXPECT_THAT(asked_.ops, Contains("kiosk:dead_letters"));
  send(Event::kiosk("dead_letters", "ok",
                    {{"letters", "1"},
                     {"letter.0", "7"},
                     {"letter.0.kind", "portal-linkage"},
                     {"letter.0.dead_at", "2026-11-27 18:05"},
                     {"letter.0.reason", "HTTP 422 certificate_revoked"}}));
  EXPECT_THAT(detail_keys(), ElementsAre("staff.dead_letters.letter"));
  EXPECT_EQ(asked_.action_ids(), (std::vector<std::string>{"requeue:7", "back"}));
  const size_t asked_before = asked_.ops.size();
  send(Event::tap("requeue:8"));  // not listed: refused
  EXPECT_EQ(asked_.ops.size(), asked_before);
  send(Event::tap("requeue:7"));
  EXPECT_THAT(asked_.ops, Contains("kiosk:requeue"));
  send(Event::kiosk("requeue", "ok", {{"id", "7"}}));
  EXPECT_THAT(asked_.ops, Contains("audit:staff.requeue=ok"));
  EXPECT_EQ(std::count(asked_.ops.begin(), asked_.ops.end(), "kiosk:dead_letters"), 2);
  send(Event::kiosk("dead_letters", "ok", {{"letters", "0"}}));
  EXPECT_THAT(detail_keys(), ElementsAre("staff.dead_letters.requeued", "staff.dead_letters.none"));
  EXPECT_EQ(asked_.view.details[0].params, (decltype(asked_.view.details[0].params){{"id", "7"}}));
}

TEST_F(Staff, EndingThePersonsSessionIsConfirmedThenAudited) {
  signed_in();
  send(Event::tap("end_session"));
  EXPECT_EQ(asked_.screen, "staff.confirm_end");
  EXPECT_THAT(asked_.ops, Not(Contains("kiosk:end_session")));
  send(Event::tap("back"));
  EXPECT_EQ(asked_.screen, "staff.desk");
  send(Event::tap("end_session"));
  send(Event::tap("end"));
  EXPECT_EQ(asked_.screen, "staff.session_ended");
  EXPECT_THAT(asked_.ops, Contains("kiosk:end_session"));
  send(Event::kiosk("end_session", "ok", {{"procedure", "read_back"}, {"state", "reading"}}));
  EXPECT_THAT(detail_keys(), ElementsAre("menu.read_back", "staff.session_ended.state"));
  EXPECT_THAT(asked_.ops, Contains("audit:staff.end_session=ended"));
  send(Event::tap("done"));
  EXPECT_EQ(asked_.screen, "staff.desk");
}

}  // namespace
}  // namespace mk::flows
