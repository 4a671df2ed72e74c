#pragma once

// What an operator's health check (`mynakiosk --check`) needs to know of a store, read without
// changing anything — the kiosk may be running: rows waiting and dead, files moved aside, the
// audit chain verified end to end, and the problems the kiosk reported (offline-cache/problem.hpp)
// counted by code from the audit log. Needs no key.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "offline-cache/audit_log.hpp"
#include "offline-cache/day_counts.hpp"
#include "offline-cache/time.hpp"

namespace mk::offline_cache {

struct StoreInspection {
  bool cache_present = false;
  bool audit_present = false;
  std::string cache_problem;  // empty when cache.db opened and passed quick_check
  std::string audit_problem;  // empty when audit.db opened
  int64_t pending = 0;
  int64_t dead_letters = 0;
  int64_t undecryptable = 0;  // of the dead letters: payloads that did not open with the key
  std::optional<Milliseconds> oldest_pending_age;
  std::vector<std::filesystem::path> moved_aside;  // damaged files kept: <name>.corrupt-<time>
  std::vector<std::filesystem::path> set_aside;    // re-keyed stores kept: set-aside-<time>/
  int64_t audit_head = 0;
  int64_t audit_uploaded_through = 0;
  AuditVerifyResult audit_chain;
  std::map<std::string, int64_t> problems;  // reported problems by code
};

StoreInspection inspect_store(const std::filesystem::path& directory, TimePoint now);

// The day's counts in `directory`'s cache.db, read only (safe beside a running kiosk); empty
// when there is no cache.db yet. Throws StoreError when it cannot be read.
DayReport read_day_report(const std::filesystem::path& directory, std::string_view day);

}  // namespace mk::offline_cache
