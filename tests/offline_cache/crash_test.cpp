// kill -9 torture test of the outbox (label slow). A child process (crash_child.cpp) enqueues
// and delivers to a receiver that stores each idempotency key once, as the centre does; it is
// SIGKILLed at random moments and, through MK_CACHE_CRASH_POINT, right before or after each kind
// of commit. After every kill it is started again; a last run drains the outbox. Then: every key
// whose enqueue returned before a kill reached the receiver exactly once with the right payload,
// nothing is pending or dead, both databases pass integrity_check, the audit chain verifies,
// and a wrong key decrypts nothing.
#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "offline-cache/database.hpp"
#include "offline-cache/store.hpp"
#include "tests/offline_cache/cache_support.hpp"
#include "tests/offline_cache/crash_support.hpp"

namespace oc = mk::offline_cache;
namespace fs = std::filesystem;
using mk::test::TempDir;
using namespace mk::test::crash;

namespace {

constexpr int kRuns = 240;
constexpr int kEnqueuesPerRun = 6;

}  // namespace

TEST(OutboxCrash, KillNineAnywhereLosesNothingAndDeliversOnce) {
  TempDir dir;
  const fs::path receiver = dir / "receiver.db";
  const Paths paths{dir / "store", dir / "store.key", dir / "journal", dir / "children.log",
                    "sqlite:" + receiver.string()};
  int random_kills = 0;
  ASSERT_NO_FATAL_FAILURE(
      kill_then_drain(paths, dir / "copy", kRuns, kEnqueuesPerRun, 40'000, 20260101, random_kills));

  const auto promised = journal_keys(paths.journal);
  EXPECT_GT(promised.size(), static_cast<size_t>(kRuns));
  std::map<std::string, std::string> received;
  int64_t copies = 0;
  {
    auto db = oc::open_database(receiver, false);
    auto select = db.prepare("SELECT idempotency_key, payload, copies FROM received");
    while (select.step()) {
      const auto payload = select.column_blob(1);
      received[select.column_text(0)] = std::string(payload.begin(), payload.end());
      copies += select.column_int(2);
    }
  }
  for (const auto& key : promised) {
    const auto found = received.find(key);
    ASSERT_NE(found, received.end()) << key << " was enqueued but never delivered";
    EXPECT_EQ(found->second, "PAYLOAD-" + key + "-CRASHMARKER");
  }
  for (const auto& [key, payload] : received) {
    EXPECT_EQ(payload, "PAYLOAD-" + key + "-CRASHMARKER");
  }
  // Kills between the receiver's commit and the outbox's acknowledgement cause re-sends; the
  // key made them harmless (received holds one row per key).
  EXPECT_GT(copies, static_cast<int64_t>(received.size()));

  EXPECT_EQ(integrity(paths.store / "cache.db"), "ok");
  EXPECT_EQ(integrity(paths.store / "audit.db"), "ok");
  EXPECT_EQ(integrity(receiver), "ok");
  auto store = oc::Store::open(paths.store, oc::KeyFile::load(paths.key));
  EXPECT_FALSE(store->open_report().recovered_from_corruption());
  EXPECT_EQ(store->outbox().pending_count(), 0);
  EXPECT_EQ(store->outbox().dead_letter_count(), 0);
  const auto chain = store->audit().verify_all();
  EXPECT_TRUE(chain.ok) << chain.problem;
  EXPECT_GT(chain.rows_checked, kRuns);
  // No plaintext payload in the store's files.
  for (const auto& entry : fs::directory_iterator(paths.store)) {
    EXPECT_FALSE(mk::test::contains(mk::test::read_bytes(entry.path()), "CRASHMARKER"))
        << entry.path();
  }
  std::cout << "runs " << kRuns << ": " << random_kills << " killed at random"
            << "; " << promised.size() << " keys promised, " << received.size() << " received, "
            << copies << " copies sent\n";
}
