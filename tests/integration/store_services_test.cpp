// Where the kiosk's store meets the centre (kiosk/runtime/store_services.hpp), against the real
// centre simulator: the outbox's delivery function answers acknowledged / rejected / retry as
// the centre does, and CenterSync caches reference data by version and uploads the audit chain.
#include "kiosk/runtime/store_services.hpp"

#include <gtest/gtest.h>

#include "center/client/center_api.hpp"
#include "offline-cache/store.hpp"
#include "tests/center/center_sim_support.hpp"
#include "tests/offline_cache/cache_support.hpp"

namespace mk::kiosk {
namespace {

namespace oc = offline_cache;
using center::sim::testing::CenterWorld;
using Outcome = oc::DeliveryResult::Outcome;

center::client::CenterLinkConfig link_config(const CenterWorld& world) {
  center::client::CenterLinkConfig c;
  c.base_url = "https://localhost:" + std::to_string(world.port());
  c.ca_file = world.tls().ca_cert;
  c.client_cert_file = world.tls().client_cert;
  c.client_key_file = world.tls().client_key;
  c.terminal_id = center::sim::kTestTerminalId;
  c.retry.max_attempts = 1;
  return c;
}

oc::OutboxItem item(const std::string& kind, const std::string& key, const std::string& json) {
  oc::OutboxItem i;
  i.kind = kind;
  i.idempotency_key = key;
  i.payload = oc::SecretBytes(json);
  return i;
}

class StoreServices : public ::testing::Test {
 protected:
  CenterWorld world_{"store-services"};
  center::client::CenterClient link_{link_config(world_)};
  center::client::CenterApi api_{link_};
  test::TempDir dir_;
  std::unique_ptr<oc::Store> store_ =
      oc::Store::open(dir_ / "store", oc::KeyFile::create(dir_ / "k"));
};

TEST_F(StoreServices, DeliveryAnswersAsTheCentreDoes) {
  const std::string yamada = world_.sim().holder_ref("yamada-taro");
  const std::string body = R"({"holder_ref":")" + yamada + R"(","action":"return_conventional"})";
  EXPECT_EQ(deliver_to_center(api_, item("holding-form", "k-1", body)).outcome,
            Outcome::acknowledged);
  // The same key again (a re-send after a crash): the stored answer, acknowledged.
  EXPECT_EQ(deliver_to_center(api_, item("holding-form", "k-1", body)).outcome,
            Outcome::acknowledged);
  EXPECT_EQ(world_.sim().count_rows("holding_form_changes"), 1);
  // A new submission the centre refuses for good (already Myna only): a dead letter for staff.
  EXPECT_EQ(deliver_to_center(api_, item("holding-form", "k-2", body)).outcome,
            Outcome::rejected_permanently);
  // Every action the holding-form flow queues is one the centre knows (R-FORM-ADD-CONV): yamada
  // is Myna only now and asks for the conventional licence again.
  const std::string add = R"({"holder_ref":")" + yamada + R"(","action":"add_conventional"})";
  EXPECT_EQ(deliver_to_center(api_, item("holding-form", "k-6", add)).outcome,
            Outcome::acknowledged);
  EXPECT_EQ(world_.sim().count_rows("holding_form_changes"), 2);
  const std::string unknown = R"({"holder_ref":")" + yamada + R"(","action":"issue_conventional"})";
  EXPECT_EQ(deliver_to_center(api_, item("holding-form", "k-7", unknown)).outcome,
            Outcome::rejected_permanently);
  EXPECT_EQ(deliver_to_center(api_, item("carrier-pigeon", "k-3", "{}")).outcome,
            Outcome::rejected_permanently);
  EXPECT_EQ(deliver_to_center(api_, item("holding-form", "k-4", "not json")).outcome,
            Outcome::rejected_permanently);
  // A centre that is down: later.
  world_.sim().stop();
  const auto later = deliver_to_center(api_, item("holding-form", "k-5", body));
  EXPECT_EQ(later.outcome, Outcome::retry_later);
  EXPECT_EQ(later.error.find(yamada), std::string::npos);  // no personal data in the reason
}

// Issue 15, defect 1: a 200 that is not the centre's answer (a captive portal, a proxy's page)
// once marked the row delivered and deleted its payload while the centre recorded nothing.
TEST_F(StoreServices, A200ThatIsNotTheCentresAnswerKeepsTheSubmission) {
  const std::string yamada = world_.sim().holder_ref("yamada-taro");
  const std::string body = R"({"holder_ref":")" + yamada + R"(","action":"return_conventional"})";
  auto& outbox = store_->outbox();
  outbox.enqueue("holding-form", "k-portal", oc::SecretBytes(body));
  const auto deliver = [this](const oc::OutboxItem& i) { return deliver_to_center(api_, i); };
  world_.sim().set_fault({center::sim::Fault::Mode::garbage, 0, 0});
  auto report = outbox.deliver_due(oc::system_now() + std::chrono::hours(1), deliver);
  EXPECT_EQ(report.acknowledged, 0);
  EXPECT_EQ(report.retried, 1);
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_NE(report.problems[0].text.find("text/html"), std::string::npos)
      << report.problems[0].text;
  EXPECT_EQ(outbox.state_of("k-portal"), oc::OutboxState::pending);
  EXPECT_EQ(world_.sim().count_rows("holding_form_changes"), 0);
  // The centre back: delivered once, acknowledged by its own answer.
  world_.sim().set_fault({});
  report = outbox.deliver_due(oc::system_now() + std::chrono::hours(2), deliver);
  EXPECT_EQ(report.acknowledged, 1);
  EXPECT_EQ(outbox.state_of("k-portal"), oc::OutboxState::acknowledged);
  EXPECT_EQ(world_.sim().count_rows("holding_form_changes"), 1);
}

TEST_F(StoreServices, ReferenceDataIsCachedByVersion) {
  CenterSync sync(store_->audit(), store_->reference(), api_, center::sim::kTestTerminalId,
                  std::chrono::hours(1));
  EXPECT_TRUE(sync.refresh_reference());
  const auto cached = store_->reference().get(CenterSync::kReferenceName);
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->version, 2026112701);
  EXPECT_NE(cached->text.find("lecture_online"), std::string::npos);
  EXPECT_FALSE(sync.refresh_reference());  // 304: nothing newer
  // Offline, the cached version is still there.
  world_.sim().stop();
  EXPECT_THROW(sync.refresh_reference(), center::client::CenterError);
  EXPECT_TRUE(store_->reference().get(CenterSync::kReferenceName));
}

TEST_F(StoreServices, TheAuditChainIsUploadedOnceInOrder) {
  CenterSync sync(store_->audit(), store_->reference(), api_, center::sim::kTestTerminalId,
                  std::chrono::hours(1));
  for (int i = 0; i < 3; ++i) {
    store_->audit().append({"holder", "record.write", "started", "T", "", {}, {}});
  }
  EXPECT_EQ(sync.upload_pending(), 3);
  EXPECT_EQ(world_.sim().count_rows("audit_rows"), 3);
  EXPECT_EQ(sync.upload_pending(), 0);
  store_->audit().append({"holder", "record.write", "complete", "T", "", {}, {}});
  EXPECT_EQ(sync.upload_pending(), 1);
  EXPECT_EQ(world_.sim().count_rows("audit_rows"), 4);
  EXPECT_EQ(store_->audit().uploaded_through(), 4);
}

}  // namespace
}  // namespace mk::kiosk
