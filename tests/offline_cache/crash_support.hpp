#pragma once

// The kill -9 harness shared by the outbox crash tests: start the crash child (crash_child.cpp)
// with a receiver spec, kill it at a random moment or let it kill itself at a commit point, and
// read back what it promised.
#include <chrono>
#include <csignal>
#include <map>
#include <optional>
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
  auto db = oc::sqlite::Database::open(path, false);
  return db.query_text("PRAGMA integrity_check");
}

}  // namespace mk::test::crash
