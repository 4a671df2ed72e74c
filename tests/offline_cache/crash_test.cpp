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

#include "offline-cache/sqlite/database.hpp"
#include "offline-cache/store.hpp"
#include "tests/offline_cache/cache_support.hpp"

extern char** environ;

namespace oc = mk::offline_cache;
namespace fs = std::filesystem;
using mk::test::TempDir;

namespace {

constexpr int kRuns = 240;
constexpr int kEnqueuesPerRun = 6;

const std::vector<std::string> kPoints = {
    "outbox.enqueue.before_commit", "outbox.enqueue.after_commit", "outbox.ack.before_commit",
    "outbox.ack.after_commit",      "audit.append.before_commit",  "audit.append.after_commit",
    "receiver.before_commit",       "receiver.after_commit",
};

struct ChildExit {
  bool killed = false;  // by SIGKILL
  int exit_code = -1;
};

struct Paths {
  fs::path store, key, receiver, journal, log;
};

// Starts the child; when `kill_after` is set, SIGKILLs it after that delay (if still running).
ChildExit run_child(const Paths& paths, int run, int count, const std::string& crash_point,
                    int crash_hit, std::optional<std::chrono::microseconds> kill_after) {
  std::vector<std::string> args = {MK_CACHE_CRASH_CHILD,   paths.store.string(),
                                   paths.key.string(),     "sqlite:" + paths.receiver.string(),
                                   paths.journal.string(), std::to_string(run),
                                   std::to_string(count)};
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).rfind("MK_CACHE_CRASH_", 0) != 0) {
      env.emplace_back(*e);
    }
  }
  if (!crash_point.empty()) {
    env.push_back("MK_CACHE_CRASH_POINT=" + crash_point);
    env.push_back("MK_CACHE_CRASH_HIT=" + std::to_string(crash_hit));
  }
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, paths.log.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ADD_FAILURE() << "posix_spawn failed: " << rc;
    return {};
  }
  if (kill_after) {
    std::this_thread::sleep_for(*kill_after);
    ::kill(pid, SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ChildExit exit;
  exit.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  exit.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return exit;
}

// Keys on complete journal lines (a kill may cut the last line).
std::set<std::string> journal_keys(const fs::path& journal) {
  const auto bytes = mk::test::read_bytes(journal);
  const std::string text(bytes.begin(), bytes.end());
  std::set<std::string> keys;
  size_t start = 0;
  for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    keys.insert(text.substr(start, end - start));
    start = end + 1;
  }
  return keys;
}

std::string integrity(const fs::path& path) {
  auto db = oc::sqlite::Database::open(path, false);
  return db.query_text("PRAGMA integrity_check");
}

}  // namespace

TEST(OutboxCrash, KillNineAnywhereLosesNothingAndDeliversOnce) {
  TempDir dir;
  const Paths paths{dir / "store", dir / "store.key", dir / "receiver.db", dir / "journal",
                    dir / "children.log"};
  oc::KeyFile::create(paths.key);

  std::mt19937 random(20260101);
  std::map<std::string, int> killed_at_point;
  int random_kills = 0;
  int random_finished = 0;
  for (int run = 0; run < kRuns; ++run) {
    ChildExit exit;
    if (run % 2 == 0) {
      // Random moment: a run takes some tens of milliseconds.
      const auto delay =
          std::chrono::microseconds(std::uniform_int_distribution<int>(0, 40'000)(random));
      exit = run_child(paths, run, kEnqueuesPerRun, "", 0, delay);
      exit.killed ? ++random_kills : ++random_finished;
    } else {
      const auto& point = kPoints[static_cast<size_t>(run / 2) % kPoints.size()];
      const int hit = 1 + (run / 2 / static_cast<int>(kPoints.size())) % 3;
      exit = run_child(paths, run, kEnqueuesPerRun, point, hit, std::nullopt);
      ASSERT_TRUE(exit.killed) << "run " << run << ": " << point << " #" << hit
                               << " was not reached (exit " << exit.exit_code << ")";
      ++killed_at_point[point];
    }
    ASSERT_TRUE(exit.killed || exit.exit_code == 0)
        << "run " << run << " exited with " << exit.exit_code << "; see " << paths.log;
  }
  EXPECT_GT(random_kills, 0);
  for (const auto& point : kPoints) {
    EXPECT_GT(killed_at_point[point], 0) << point;
  }

  // Leave rows pending for the wrong-key check: kill right before the first acknowledgement.
  ASSERT_TRUE(
      run_child(paths, kRuns, kEnqueuesPerRun, "outbox.ack.before_commit", 1, std::nullopt).killed);
  {
    const fs::path copy = dir / "copy";
    fs::copy(paths.store, copy);
    std::array<uint8_t, 32> wrong{};
    wrong.fill(0x5A);
    auto store = oc::Store::open(copy, oc::KeyFile::from_bytes(wrong));
    const auto pending = store->outbox().pending_count();
    ASSERT_GT(pending, 0);
    int sent = 0;
    const auto report = store->outbox().deliver_due(
        oc::system_now() + std::chrono::hours(1),
        [&](const oc::OutboxItem&) {
          ++sent;
          return oc::DeliveryResult::acknowledged();
        },
        1000);
    EXPECT_EQ(sent, 0);
    EXPECT_EQ(report.undecryptable, pending);
  }

  // The last run drains.
  const auto last = run_child(paths, kRuns + 1, 0, "", 0, std::nullopt);
  ASSERT_FALSE(last.killed);
  ASSERT_EQ(last.exit_code, 0) << "see " << paths.log;

  const auto promised = journal_keys(paths.journal);
  EXPECT_GT(promised.size(), static_cast<size_t>(kRuns));
  std::map<std::string, std::string> received;
  int64_t copies = 0;
  {
    auto db = oc::sqlite::Database::open(paths.receiver, false);
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
  EXPECT_EQ(integrity(paths.receiver), "ok");
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
  std::cout << "runs " << kRuns << ": " << random_kills << " killed at random, " << random_finished
            << " finished first; " << promised.size() << " keys promised, " << received.size()
            << " received, " << copies << " copies sent\n";
}
