// The kiosk's centre link (CenterClient + CenterApi, libcurl) against the real centre simulator
// over loopback mutual TLS: each resource's happy path, each failure the simulator can play, and
// each side refusing a peer it does not trust.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/pin_verifier.hpp"
#include "center/client/center_api.hpp"
#include "center/client/center_client.hpp"
#include "tests/center/center_sim_support.hpp"

namespace mk::center::client {
namespace {

using sim::Fault;
using sim::testing::CenterWorld;
using ::testing::HasSubstr;

CenterLinkConfig link_config(const CenterWorld& world, bool rogue_client = false) {
  CenterLinkConfig c;
  c.base_url = "https://localhost:" + std::to_string(world.port());
  c.ca_file = world.tls().ca_cert;
  c.client_cert_file = rogue_client ? world.tls().rogue_client_cert : world.tls().client_cert;
  c.client_key_file = rogue_client ? world.tls().rogue_client_key : world.tls().client_key;
  c.terminal_id = sim::kTestTerminalId;
  c.connect_timeout = std::chrono::milliseconds(2000);
  c.total_timeout = std::chrono::milliseconds(3000);
  c.retry.max_attempts = 3;
  c.retry.base_delay = std::chrono::milliseconds(20);
  c.retry.max_delay = std::chrono::milliseconds(100);
  return c;
}

api::HolderLookupRequest yamada() {
  return {"301234567890", "1985-04-12", "山田　太郎", "東京都千代田区霞が関二丁目１番２号", ""};
}

class ClientOnSim : public ::testing::Test {
 protected:
  CenterWorld world_{"client"};
  CenterClient link_{link_config(world_)};
  CenterApi api_{link_};
  int keys_ = 0;
  std::string key() { return "test-key-" + std::to_string(++keys_); }

  template <typename F>
  CenterError error_of(F&& call) {
    try {
      call();
    } catch (const CenterError& e) {
      return e;
    }
    ADD_FAILURE() << "no error";
    return CenterError(CenterErrorKind::cancelled, "none");
  }
};

TEST_F(ClientOnSim, KioskHealthAndReferenceWithItsVersion) {
  EXPECT_EQ(api_.kiosk().terminal_id, sim::kTestTerminalId);
  EXPECT_EQ(api_.health().status, "ok");
  const auto reference = api_.reference(std::nullopt);
  ASSERT_TRUE(reference);
  EXPECT_FALSE(reference->fees.empty());
  EXPECT_FALSE(api_.reference(reference->version).has_value());  // 304: the cache is current
}

TEST_F(ClientOnSim, LookupThenIdempotentReplayGivesTheSameAnswer) {
  const std::string k = key();
  const api::LicenseRecordView first = api_.lookup_holder(yamada(), k);
  EXPECT_EQ(first.license_number, "301234567890");
  EXPECT_EQ(first.classes.size(), 2U);
  EXPECT_FALSE(first.photo_j2k.empty());
  const api::LicenseRecordView again = api_.lookup_holder(yamada(), k);
  EXPECT_EQ(again.holder_ref, first.holder_ref);
}

TEST_F(ClientOnSim, TheCentresRefusalsArriveAsCodes) {
  auto not_found = yamada();
  not_found.license_number = "999999999999";
  const CenterError e = error_of([&] { api_.lookup_holder(not_found, key()); });
  EXPECT_EQ(e.kind, CenterErrorKind::http_rejected);
  EXPECT_EQ(e.code, api::code::kHolderNotFound);
  EXPECT_FALSE(e.retryable);
  EXPECT_EQ(std::string(user_message_key(e)), "center.error.http_rejected");

  const CenterError reused = error_of([&] {
    const std::string k = key();
    api_.lookup_holder(yamada(), k);
    auto other = yamada();
    other.birth_date = "1985-04-13";
    api_.lookup_holder(other, k);
  });
  EXPECT_EQ(reused.code, api::code::kIdempotencyKeyReused);
}

TEST_F(ClientOnSim, AppointmentsCheckInInsideTheirSlot) {
  const api::Appointment a = api_.appointment(sim::CenterSimulator::kTodayAppointment);
  EXPECT_EQ(a.kind, "pin_unlock");
  world_.set_now(sim::testing::japan_time(17, 0));
  EXPECT_EQ(error_of([&] { api_.check_in(a.number, key()); }).code,
            api::code::kAppointmentOutsideWindow);
  world_.set_now(sim::testing::japan_time(18, 5));
  const std::string k = key();
  EXPECT_EQ(api_.check_in(a.number, k).status, "checked_in");
  EXPECT_EQ(api_.check_in(a.number, k).status, "checked_in");  // the same key: replayed
  EXPECT_EQ(
      error_of([&] { api_.check_in(sim::CenterSimulator::kTomorrowAppointment, key()); }).code,
      api::code::kAppointmentNotToday);
}

TEST_F(ClientOnSim, StaffSignInChecksThePinAndLocksAtTheFifthWrongOne) {
  using sim::CenterSimulator;
  const auto sign_in = [&](const char* id, const char* pin) {
    return api_.staff_sign_in({id, base::SecretBytes(pin)}, key());
  };
  const api::StaffMember m = sign_in(CenterSimulator::kSupervisor, "135791");
  EXPECT_EQ(m.staff_id, CenterSimulator::kSupervisor);
  EXPECT_EQ(m.role, "supervisor");
  // An unknown ID and a wrong PIN are the same refusal.
  EXPECT_EQ(error_of([&] { sign_in("999999", "135791"); }).code, api::code::kStaffSignInRefused);
  for (int i = 1; i <= 4; ++i) {
    const CenterError e = error_of([&] { sign_in(CenterSimulator::kStaffToLock, "111111"); });
    EXPECT_EQ(e.http_status, 401) << i;
    EXPECT_EQ(e.code, api::code::kStaffSignInRefused) << i;
  }
  // The verifiers list every member who may sign in.
  auto listed = [&] {
    std::vector<std::string> ids;
    for (const auto& s : api_.staff_verifiers().staff) {
      EXPECT_TRUE(base::is_pin_verifier(s.verifier));
      ids.push_back(s.staff_id);
    }
    return ids;
  };
  EXPECT_THAT(listed(),
              ::testing::ElementsAre(CenterSimulator::kStaffMember, CenterSimulator::kSupervisor,
                                     CenterSimulator::kStaffToLock));
  const CenterError fifth = error_of([&] { sign_in(CenterSimulator::kStaffToLock, "111111"); });
  EXPECT_EQ(fifth.http_status, 423);
  EXPECT_EQ(fifth.code, api::code::kStaffLocked);
  // Locked: even the right PIN is refused, and the kiosk's copy no longer lists the member.
  EXPECT_EQ(error_of([&] { sign_in(CenterSimulator::kStaffToLock, "975310"); }).code,
            api::code::kStaffLocked);
  EXPECT_THAT(listed(),
              ::testing::ElementsAre(CenterSimulator::kStaffMember, CenterSimulator::kSupervisor));
  // A right PIN starts another member's count again.
  EXPECT_EQ(error_of([&] { sign_in(CenterSimulator::kStaffMember, "000000"); }).code,
            api::code::kStaffSignInRefused);
  EXPECT_EQ(sign_in(CenterSimulator::kStaffMember, "246810").role, "staff");
}

TEST_F(ClientOnSim, AStaffCallIsRaisedThenAnsweredOnce) {
  const api::StaffCall raised = api_.raise_staff_call({"read_back.enter_pin"}, key());
  EXPECT_FALSE(raised.call_id.empty());
  EXPECT_EQ(raised.screen, "read_back.enter_pin");
  EXPECT_TRUE(raised.answered_at.empty());
  auto calls = world_.sim().staff_calls(sim::kTestTerminalId);
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_TRUE(calls[0].staff_id.empty());
  const api::StaffCall answered = api_.answer_staff_call(raised.call_id, {"100001"}, key());
  EXPECT_EQ(answered.staff_id, "100001");
  EXPECT_FALSE(answered.answered_at.empty());
  // A second answer keeps the first.
  EXPECT_EQ(api_.answer_staff_call(raised.call_id, {"100002"}, key()).staff_id, "100001");
  calls = world_.sim().staff_calls(sim::kTestTerminalId);
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_EQ(calls[0].staff_id, "100001");
  EXPECT_EQ(error_of([&] { api_.answer_staff_call("C00", {"100001"}, key()); }).code,
            api::code::kCallNotFound);
  EXPECT_EQ(error_of([&] { api_.raise_staff_call({"Not a screen!"}, key()); }).code,
            api::code::kBadRequest);
}

TEST_F(ClientOnSim, RetryableFailuresAreRetriedWithTheSameKeyAndDoneOnce) {
  world_.sim().set_fault({Fault::Mode::http_503, 0, 2});
  const api::LicenseRecordView r = api_.lookup_holder(yamada(), key());
  EXPECT_EQ(r.license_number, "301234567890");

  // The centre did the work and the answer was lost: the retry gets the stored answer.
  const int64_t stored = world_.sim().count_rows("idempotency");
  world_.sim().set_fault({Fault::Mode::drop_after_commit, 0, 1});
  world_.set_now(sim::testing::japan_time(18, 5));
  const api::Appointment a = api_.check_in(sim::CenterSimulator::kTodayAppointment, key());
  EXPECT_EQ(a.status, "checked_in");
  EXPECT_EQ(world_.sim().count_rows("idempotency"), stored + 1);

  world_.sim().set_fault({Fault::Mode::http_500, 0, 1});
  EXPECT_EQ(api_.kiosk().terminal_id, sim::kTestTerminalId);
}

TEST_F(ClientOnSim, EachFailureModeIsTyped) {
  struct Case {
    Fault fault;
    CenterErrorKind kind;
  };
  const Case cases[] = {
      {{Fault::Mode::garbage, 0, 0}, CenterErrorKind::malformed_reply},
      {{Fault::Mode::http_503, 0, 0}, CenterErrorKind::server_error},
  };
  for (const auto& c : cases) {
    world_.sim().set_fault(c.fault);
    const CenterError e = error_of([&] { api_.kiosk(); });
    EXPECT_EQ(e.kind, c.kind) << e.what();
    if (c.kind == CenterErrorKind::server_error) {
      EXPECT_EQ(e.attempts, 3);  // retried to the policy's limit
      EXPECT_TRUE(e.retryable);
    }
  }
  // A centre slower than the timeout: each attempt gives up, the last one says so.
  CenterLinkConfig impatient = link_config(world_);
  impatient.connect_timeout = std::chrono::milliseconds(300);
  impatient.total_timeout = std::chrono::milliseconds(300);
  impatient.retry.max_attempts = 2;
  CenterClient quick(impatient);
  world_.sim().set_fault({Fault::Mode::slow, 800, 0});
  const CenterError slow = error_of([&] { CenterApi(quick).kiosk(); });
  EXPECT_EQ(slow.kind, CenterErrorKind::timeout) << slow.what();
  EXPECT_EQ(slow.attempts, 2);
  world_.sim().set_fault({Fault::Mode::truncated, 0, 0});
  const CenterError truncated = error_of([&] { api_.kiosk(); });
  EXPECT_TRUE(truncated.kind == CenterErrorKind::malformed_reply ||
              truncated.kind == CenterErrorKind::unreachable)
      << truncated.what();
  world_.sim().set_fault({});
  EXPECT_EQ(api_.health().status, "ok");  // and back
}

TEST_F(ClientOnSim, ACentreThatIsDownIsUnreachable) {
  world_.sim().stop();
  const CenterError e = error_of([&] { api_.health(); });
  EXPECT_EQ(e.kind, CenterErrorKind::unreachable) << e.what();
  EXPECT_TRUE(e.retryable);
  EXPECT_EQ(std::string(user_message_key(e)), "center.error.unreachable");
}

TEST(ClientOnSimTls, TheCentreRefusesAKioskWithTheRogueCertificate) {
  CenterWorld world("client-rogue");
  CenterLinkConfig config = link_config(world, true);
  config.terminal_id = sim::kTestTerminalId;
  CenterClient link(config);
  try {
    CenterApi(link).health();
    FAIL() << "a rogue kiosk was answered";
  } catch (const CenterError& e) {
    EXPECT_EQ(e.kind, CenterErrorKind::tls_client_refused) << e.what();
  }
}

TEST(ClientOnSimTls, TheKioskRefusesACentreWithTheRogueServerCertificate) {
  CenterWorld world("server-rogue", true);
  CenterClient link(link_config(world));
  try {
    CenterApi(link).health();
    FAIL() << "a rogue centre was trusted";
  } catch (const CenterError& e) {
    EXPECT_EQ(e.kind, CenterErrorKind::tls_server_untrusted) << e.what();
    EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("山田")));
  }
}

TEST(ClientPaths, AHolderReferenceCannotRewriteThePath) {
  EXPECT_THROW(path_segment("../admin/faults"), std::invalid_argument);
  EXPECT_THROW(path_segment("a/b"), std::invalid_argument);
  EXPECT_THROW(path_segment(""), std::invalid_argument);
  EXPECT_EQ(path_segment("H-01_x.y"), "H-01_x.y");
}

}  // namespace
}  // namespace mk::center::client
