#pragma once

// The kill -9 harness shared by the outbox crash tests: start the crash child (crash_child.cpp)
// with a receiver spec, kill it at a random moment or let it kill itself at a commit point, and
// read back what it promised.
#include <array>
#include <chrono>
#include <csignal>
#include <map>
#include <optional>
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

extern char** environ;

namespace mk::test::crash {

namespace oc = mk::offline_cache;
namespace fs = std::filesystem;

inline const std::vector<std::string> kPoints = {
    "outbox.enqueue.before_commit", "outbox.enqueue.after_commit", "outbox.ack.before_commit",
    "outbox.ack.after_commit",      "audit.append.before_commit",  "audit.append.after_commit",
    "receiver.before_commit",       "receiver.after_commit",
};

struct ChildExit {
  bool killed = false;  // by SIGKILL
  int exit_code = -1;
};

struct Paths {
  fs::path store, key, journal, log;
  std::string receiver;  // the child's receiver spec: "sqlite:<file>" or "center:..."
};

// Starts the child; when `kill_after` is set, SIGKILLs it after that delay (if still running).
inline ChildExit run_child(const Paths& paths, int run, int count, const std::string& crash_point,
                           int crash_hit, std::optional<std::chrono::microseconds> kill_after) {
  std::vector<std::string> args = {
      MK_CACHE_CRASH_CHILD,   paths.store.string(), paths.key.string(),   paths.receiver,
      paths.journal.string(), std::to_string(run),  std::to_string(count)};
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
inline std::set<std::string> journal_keys(const fs::path& journal) {
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

inline std::string integrity(const fs::path& path) {
  auto db = oc::open_database(path, false);
  return db.query_text("PRAGMA integrity_check");
}

// Runs the child `runs` times: even runs are SIGKILLed after a random delay (up to
// `max_delay_us`), odd runs kill themselves at each commit point of kPoints in turn (1st, 2nd or
// 3rd time it is passed). Every point must be reached, and a run that was not killed must have
// drained (exit 0). Returns how many runs the random kills caught before they finished.
inline int kill_repeatedly(const Paths& paths, int runs, int enqueues_per_run, int max_delay_us,
                           uint32_t seed) {
  std::mt19937 random(seed);
  std::map<std::string, int> killed_at_point;
  int random_kills = 0;
  for (int run = 0; run < runs; ++run) {
    ChildExit exit;
    if (run % 2 == 0) {
      const auto delay =
          std::chrono::microseconds(std::uniform_int_distribution<int>(0, max_delay_us)(random));
      exit = run_child(paths, run, enqueues_per_run, "", 0, delay);
      random_kills += exit.killed ? 1 : 0;
    } else {
      const auto& point = kPoints[static_cast<size_t>(run / 2) % kPoints.size()];
      const int hit = 1 + (run / 2 / static_cast<int>(kPoints.size())) % 3;
      exit = run_child(paths, run, enqueues_per_run, point, hit, std::nullopt);
      EXPECT_TRUE(exit.killed) << "run " << run << ": " << point << " #" << hit
                               << " was not reached (exit " << exit.exit_code << ")";
      ++killed_at_point[point];
    }
    EXPECT_TRUE(exit.killed || exit.exit_code == 0)
        << "run " << run << " exited with " << exit.exit_code << "; see " << paths.log;
  }
  for (const auto& point : kPoints) {
    EXPECT_GT(killed_at_point[point], 0) << point;
  }
  return random_kills;
}

// Leaves rows pending (a run killed right before its first acknowledgement), then opens a copy
// of the store with a wrong key: none of them may decrypt, and none may be handed to delivery.
inline void expect_wrong_key_sends_nothing(const Paths& paths, const fs::path& scratch, int run,
                                           int enqueues_per_run) {
  ASSERT_TRUE(
      run_child(paths, run, enqueues_per_run, "outbox.ack.before_commit", 1, std::nullopt).killed);
  fs::copy(paths.store, scratch);
  std::array<uint8_t, 32> wrong{};
  wrong.fill(0x5A);
  // A wrong key is refused when the store opens: nothing is sent, no row touched.
  try {
    oc::Store::open(scratch, oc::KeyFile::from_bytes(wrong));
    ADD_FAILURE() << "a wrong key opened the store";
  } catch (const oc::StoreError& e) {
    EXPECT_EQ(e.kind(), oc::StoreErrorKind::key_file) << e.what();
  }
  auto store = oc::Store::open(scratch, oc::KeyFile::load(paths.key));
  EXPECT_GT(store->outbox().pending_count(), 0) << "the rows wait for the right key";
  EXPECT_EQ(store->outbox().dead_letter_count(), 0);
}

// The whole crash sequence both crash tests run over their own receiver: a new key, `runs` killed
// runs, the wrong-key check on a copy of the store in `scratch`, and a last run that must drain.
// `random_kills`: how many runs the random kills caught before they finished.
inline void kill_then_drain(const Paths& paths, const fs::path& scratch, int runs,
                            int enqueues_per_run, int max_delay_us, uint32_t seed,
                            int& random_kills) {
  oc::KeyFile::create(paths.key);
  random_kills = kill_repeatedly(paths, runs, enqueues_per_run, max_delay_us, seed);
  EXPECT_GT(random_kills, 0);
  expect_wrong_key_sends_nothing(paths, scratch, runs, enqueues_per_run);
  const auto last = run_child(paths, runs + 1, 0, "", 0, std::nullopt);
  ASSERT_FALSE(last.killed);
  ASSERT_EQ(last.exit_code, 0) << "see " << paths.log;
}

}  // namespace mk::test::crash
