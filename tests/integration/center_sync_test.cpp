// Where the kiosk's store meets the centre (kiosk/runtime/center_sync.hpp), against the real
// centre simulator: the outbox's delivery function answers acknowledged / rejected / retry as
// the centre does, and CenterSync caches reference data by version and uploads the audit chain.
#include "kiosk/runtime/center_sync.hpp"

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "center/client/center_api.hpp"
#include "offline-cache/database.hpp"
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
  i.payload = base::SecretBytes(json);
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
  outbox.enqueue("holding-form", "k-portal", base::SecretBytes(body));
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
  CenterSync sync(*store_, api_, center::sim::kTestTerminalId, nullptr, std::chrono::hours(1));
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
  CenterSync sync(*store_, api_, center::sim::kTestTerminalId, nullptr, std::chrono::hours(1));
  for (int i = 0; i < 3; ++i) {
    store_->audit().append({"holder", "record.write", "started", "T", "", {}, {}});
  }
  // A new store's chain begins with its audit.chain_restarted row: 1 + 3 rows.
  EXPECT_EQ(sync.upload_pending(), 4);
  EXPECT_EQ(world_.sim().count_rows("audit_rows"), 4);
  EXPECT_EQ(sync.upload_pending(), 0);
  store_->audit().append({"holder", "record.write", "complete", "T", "", {}, {}});
  EXPECT_EQ(sync.upload_pending(), 1);
  EXPECT_EQ(world_.sim().count_rows("audit_rows"), 5);
  EXPECT_EQ(store_->audit().uploaded_through(), 5);
}

// Issue 15, defect 5: a lost audit.db once made the centre refuse every upload forever. The
// store restarts the chain from the centre's last acknowledged row (kept in cache.db) with an
// explicit "chain restarted" row, which the centre accepts and keeps as evidence.
TEST_F(StoreServices, ALostAuditChainIsRestartedAndTheCentreAcceptsIt) {
  {
    CenterSync sync(*store_, api_, center::sim::kTestTerminalId, nullptr, std::chrono::hours(1));
    for (int i = 0; i < 3; ++i) {
      store_->audit().append({"holder", "record.write", "ok", "T", "", {}, {}});
    }
    ASSERT_EQ(sync.upload_pending(), 4);  // the new store's first row and 3
    store_->audit().append({"holder", "record.write", "not uploaded", "T", "", {}, {}});
  }
  store_.reset();
  for (const char* f : {"audit.db", "audit.db-wal", "audit.db-shm"}) {
    std::filesystem::remove(dir_ / "store" / f);
  }
  store_ = oc::Store::open(dir_ / "store", oc::KeyFile::load(dir_ / "k"));
  ASSERT_TRUE(store_->open_report().audit_restarted.has_value());
  EXPECT_NE(store_->open_report().audit_restarted->find("row 4"), std::string::npos)
      << *store_->open_report().audit_restarted;
  EXPECT_EQ(store_->audit().head_seq(), 5) << "continues after the centre's row 4";
  ProblemReporter problems(&store_->audit(), "T");
  CenterSync sync(*store_, api_, center::sim::kTestTerminalId, &problems, std::chrono::hours(1));
  store_->audit().append({"holder", "record.write", "after", "T", "", {}, {}});
  EXPECT_EQ(sync.upload_pending(), 2);
  EXPECT_EQ(world_.sim().count_rows("audit_restarts"), 2) << "the new store's and this one";
  EXPECT_EQ(world_.sim().count_rows("audit_rows"), 6);
  EXPECT_TRUE(problems.counts().empty()) << "nothing refused";
  // The answer to that batch lost: the same rows, restart row included, sent again with more
  // under another key are a re-send, not a second restart.
  store_->audit().append({"holder", "record.write", "later", "T", "", {}, {}});
  center::api::AuditBatch batch;
  batch.terminal = center::sim::kTestTerminalId;
  for (const auto& r : store_->audit().batch_for_upload(4, 100)) {
    batch.rows.push_back({r.seq, "2026-12-05T10:00:00+09:00", r.actor, r.action, r.result, r.detail,
                          base::to_hex(r.hash), base::to_hex(r.prev_hash)});
  }
  EXPECT_EQ(api_.upload_audit(batch, "resend-with-more").accepted_through, 7);
  EXPECT_EQ(world_.sim().count_rows("audit_restarts"), 2);
  EXPECT_EQ(world_.sim().count_rows("audit_rows_superseded"), 0);
}

// The whole store lost (a new disk) while the centre holds the old chain: the new store's chain
// begins with its restart row at 1, which the centre accepts; its old rows are kept as evidence.
TEST_F(StoreServices, ANewStoreOverAnOldChainKeepsTheReplacedRowsAsEvidence) {
  {
    CenterSync sync(*store_, api_, center::sim::kTestTerminalId, nullptr, std::chrono::hours(1));
    for (int i = 0; i < 3; ++i) {
      store_->audit().append({"holder", "record.write", "ok", "T", "", {}, {}});
    }
    ASSERT_EQ(sync.upload_pending(), 4);
  }
  store_.reset();
  std::filesystem::remove_all(dir_ / "store");
  store_ = oc::Store::open(dir_ / "store", oc::KeyFile::load(dir_ / "k"));
  EXPECT_FALSE(store_->open_report().audit_restarted.has_value()) << "it looks new";
  CenterSync sync(*store_, api_, center::sim::kTestTerminalId, nullptr, std::chrono::hours(1));
  store_->audit().append({"holder", "record.write", "on the new disk", "T", "", {}, {}});
  EXPECT_EQ(sync.upload_pending(), 2);
  EXPECT_EQ(world_.sim().count_rows("audit_restarts"), 2);
  EXPECT_EQ(world_.sim().count_rows("audit_rows_superseded"), 4);
  EXPECT_EQ(world_.sim().count_rows("audit_rows"), 2);
}

// An audit row edited on disk is never uploaded as it is: the rows not yet uploaded are verified
// before each batch; rows before the break go, the break is reported once with its code.
TEST_F(StoreServices, AnEditedAuditRowStopsTheUploadAndIsReported) {
  for (int i = 0; i < 3; ++i) {
    store_->audit().append({"holder", "record.write", "ok", "T", "", {}, {}});
  }
  // Verified once already (the checkpoint moved past it), edited before its upload.
  ASSERT_TRUE(store_->audit().verify().ok);
  {
    auto db = oc::open_database(dir_ / "store" / "audit.db", false);
    db.exec("UPDATE audit_log SET result = 'refused' WHERE seq = 3");
  }
  ProblemReporter problems(nullptr, "T");
  CenterSync sync(*store_, api_, center::sim::kTestTerminalId, &problems, std::chrono::hours(1));
  EXPECT_EQ(sync.upload_pending(), 2);  // the restart row and row 2
  EXPECT_EQ(world_.sim().count_rows("audit_rows"), 2);
  EXPECT_EQ(problems.counts()[oc::problem_code::kAuditChainBroken], 1);
  EXPECT_EQ(sync.upload_pending(), 0);
  EXPECT_EQ(problems.counts()[oc::problem_code::kAuditChainBroken], 1) << "reported once";
}

TEST(AuditRestartAction, TheKioskAndTheCentreNameItAlike) {
  EXPECT_STREQ(oc::kAuditChainRestarted, center::api::kAuditChainRestartedAction);
}

}  // namespace
}  // namespace mk::kiosk
