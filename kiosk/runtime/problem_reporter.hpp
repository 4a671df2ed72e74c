#pragma once

// Where every store and audit problem goes (offline-cache/problem.hpp): the log — at error level
// with its stable code when staff must act, a warning when the kiosk copes — the audit log (a
// "system" row whose action is the code, so the centre hears of it too) and a count per code for
// the health view and metrics. Thread-safe: the outbox sender and the audit sync report from
// their own threads.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "offline-cache/audit_log.hpp"
#include "offline-cache/problem.hpp"

namespace mk::kiosk {

class ProblemReporter {
 public:
  // `audit` may be null (before the store is open, and in tests that only count). `sink` is also
  // told of every code, reported or counted (the day's counts in the store), outside the
  // reporter's lock, on the reporting thread.
  using CodeSink = std::function<void(const std::string& code)>;
  ProblemReporter(offline_cache::AuditLog* audit, std::string terminal, CodeSink sink = {});

  void report(const offline_cache::StoreProblem& problem);
  void report(const char* code, bool needs_staff, const std::string& text) {
    report(offline_cache::StoreProblem{code, needs_staff, text});
  }

  // A problem its finder logged itself (a flow's error state, with its flow and state): counted
  // only — the person was told what to do, so neither staff nor the audit log are called.
  void count(const std::string& code);

  // Problems seen since start, by code.
  std::map<std::string, int64_t> counts() const;

  // The last problems (at most kRecent), newest first: when and which code, never their text
  // (the log has it). What staff see at a glance.
  struct Recent {
    std::chrono::system_clock::time_point at;
    std::string code;
  };
  static constexpr size_t kRecent = 8;
  std::vector<Recent> recent() const;

 private:
  void seen(const std::string& code);

  offline_cache::AuditLog* audit_;
  std::string terminal_;
  mutable std::mutex mutex_;
  std::map<std::string, int64_t> counts_;
  std::deque<Recent> recent_;
  CodeSink sink_;
};

}  // namespace mk::kiosk
