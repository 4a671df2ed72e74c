#pragma once

// What the kiosk did each day, as counts only (issue 12, the day's report): how many procedures
// ended how, and how long they took; how often each diagnostic code came up. Nothing of a person
// — no holder, no card, no time of a visit finer than the day — so the report can be shown to
// staff, printed and exported as it is. Kept in cache.db; a day is the kiosk's local date
// ("YYYY-MM-DD", Japan).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "offline-cache/connection.hpp"

namespace mk::offline_cache {

struct ProcedureCount {
  std::string procedure;  // the flow's name ("record", "read_back", ...)
  std::string outcome;    // its final state ("finished", "cancelled", ...) or "abandoned"
  int64_t count = 0;
  int64_t total_ms = 0;  // summed durations: the mean is total_ms / count
  int64_t max_ms = 0;
};

struct CodeCount {
  std::string code;  // "MK-CARD-UNREADABLE"
  int64_t count = 0;
};

struct DayReport {
  std::string day;
  std::vector<ProcedureCount> procedures;  // by procedure, then outcome
  std::vector<CodeCount> codes;            // by code
};

class DayCounts {
 public:
  explicit DayCounts(Connection& connection) : connection_(connection) {}

  // A procedure ended (one commit). Refused (invalid_argument) for a day that is not YYYY-MM-DD
  // or a name with characters beyond [a-z0-9_-].
  void add_procedure(std::string_view day, std::string_view procedure, std::string_view outcome,
                     int64_t duration_ms);
  // A diagnostic code came up (MK-...: refused otherwise).
  void add_code(std::string_view day, std::string_view code);
  // Refused (invalid_argument) for a day that is not YYYY-MM-DD.
  DayReport report(std::string_view day);
  // Forgets the days before `day`; returns the rows removed.
  int64_t remove_before(std::string_view day);

 private:
  Connection& connection_;
};

}  // namespace mk::offline_cache
