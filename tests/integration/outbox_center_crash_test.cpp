// kill -9 torture of the outbox delivering to the centre simulator (label slow): the crash child
// (tests/offline_cache/crash_child.cpp) enqueues portal-linkage submissions and delivers them
// with the kiosk's own delivery function over mutual TLS to a simulator running in this process.
// It is SIGKILLed at random moments and at each commit point (before a request, after the centre
// acknowledged but before the outbox knows, inside the store's commits), 200 times, then drains.
// Then every submission whose enqueue returned reached the centre exactly once (one linkage per
// idempotency key), every database passes integrity_check, the audit chain verifies, and the
// payloads do not decrypt with a wrong key.
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "center/api/wire.hpp"
#include "offline-cache/store.hpp"
#include "tests/center/center_sim_support.hpp"
#include "tests/offline_cache/crash_support.hpp"

namespace {

namespace oc = mk::offline_cache;
namespace fs = std::filesystem;
namespace api = mk::center::api;
using namespace mk::test::crash;

constexpr int kRuns = 200;
constexpr int kEnqueuesPerRun = 4;

TEST(OutboxCenterCrash, KillNineAnywhereEverySubmissionReachesTheCentreOnce) {
  mk::center::sim::testing::CenterWorld world("crash");
  mk::test::TempDir dir;

  // A signed linkage request of yamada-taro (a Myna licence holder) for each key a child can
  // enqueue ("r<run>-<i>"; the wrong-key check is run kRuns, the drain kRuns + 1), as his card
  // would sign it: each under its own nonce, which serves one request.
  api::Json payloads = api::Json::object();
  for (int run = 0; run <= kRuns + 1; ++run) {
    for (int i = 0; i < kEnqueuesPerRun; ++i) {
      payloads["r" + std::to_string(run) + "-" + std::to_string(i)] =
          api::Json(world.sim().signed_linkage("yamada-taro", mk::center::sim::kTestTerminalId))
              .dump();
    }
  }
  std::ofstream(dir / "payload.json") << payloads.dump();

  const Paths paths{dir / "store", dir / "store.key", dir / "journal", dir / "children.log",
                    "center:" + std::to_string(world.port()) + ":" + world.tls().dir.string() +
                        ":" + (dir / "payload.json").string()};
  int random_kills = 0;
  ASSERT_NO_FATAL_FAILURE(kill_then_drain(paths, dir / "copy", kRuns, kEnqueuesPerRun, 120'000,
                                          20261127, random_kills));
  world.sim().stop();

  // What the centre holds: one idempotency record per key, one linkage per record.
  std::set<std::string> at_centre;
  int64_t linkages = 0;
  {
    auto db = oc::open_database(world.db_path(), false);
    auto select = db.prepare("SELECT key FROM idempotency WHERE terminal = ?");
    select.bind(1, std::string(mk::center::sim::kTestTerminalId));
    while (select.step()) {
      at_centre.insert(select.column_text(0));
    }
    linkages = db.query_int("SELECT COUNT(*) FROM linkages");
    EXPECT_EQ(db.query_text("PRAGMA integrity_check"), "ok");
  }
  const auto promised = journal_keys(paths.journal);
  EXPECT_GT(promised.size(), static_cast<size_t>(kRuns));
  for (const auto& key : promised) {
    EXPECT_EQ(at_centre.count(key), 1U) << key << " was enqueued but never reached the centre";
  }
  EXPECT_EQ(linkages, static_cast<int64_t>(at_centre.size()))
      << "a submission was carried out twice";

  EXPECT_EQ(integrity(paths.store / "cache.db"), "ok");
  EXPECT_EQ(integrity(paths.store / "audit.db"), "ok");
  auto store = oc::Store::open(paths.store, oc::KeyFile::load(paths.key));
  EXPECT_FALSE(store->open_report().recovered_from_corruption());
  EXPECT_EQ(store->outbox().pending_count(), 0);
  EXPECT_EQ(store->outbox().dead_letter_count(), 0);
  const auto chain = store->audit().verify_all();
  EXPECT_TRUE(chain.ok) << chain.problem;
  std::cout << "runs " << kRuns << ": " << random_kills << " killed at random; " << promised.size()
            << " submissions promised, " << at_centre.size() << " at the centre, " << linkages
            << " linkages\n";
}

}  // namespace
