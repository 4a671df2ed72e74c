#include "offline-cache/day_counts.hpp"

#include <algorithm>

#include "offline-cache/store_error.hpp"

namespace mk::offline_cache {

namespace {

bool is_day(std::string_view day) {
  return day.size() == 10 && day[4] == '-' && day[7] == '-' &&
         std::all_of(day.begin(), day.end(),
                     [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
}

// What a name may hold: the report carries names the code gives, never free text.
bool is_name(std::string_view name, bool upper) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [upper](char c) {
           return (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                  (upper ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z'));
         });
}

void require(bool ok, const char* what) {
  if (!ok) {
    throw StoreError(StoreErrorKind::invalid_argument, std::string("day counts: ") + what);
  }
}

}  // namespace

void DayCounts::add_procedure(std::string_view day, std::string_view procedure,
                              std::string_view outcome, int64_t duration_ms) {
  require(is_day(day), "the day is not YYYY-MM-DD");
  require(is_name(procedure, false) && is_name(outcome, false), "a name is not [a-z0-9_-]");
  const int64_t ms = std::max<int64_t>(0, duration_ms);
  std::lock_guard lock(connection_.mutex);
  auto upsert = connection_.db.prepare(
      "INSERT INTO day_procedures (day, procedure, outcome, count, total_ms, max_ms) "
      "VALUES (?1, ?2, ?3, 1, ?4, ?4) ON CONFLICT (day, procedure, outcome) DO UPDATE SET "
      "count = count + 1, total_ms = total_ms + excluded.total_ms, "
      "max_ms = max(max_ms, excluded.max_ms)");
  upsert.bind(1, day).bind(2, procedure).bind(3, outcome).bind(4, ms).run();
}

void DayCounts::add_code(std::string_view day, std::string_view code) {
  require(is_day(day), "the day is not YYYY-MM-DD");
  require(code.starts_with("MK-") && is_name(code, true), "not a diagnostic code");
  std::lock_guard lock(connection_.mutex);
  auto upsert = connection_.db.prepare(
      "INSERT INTO day_codes (day, code, count) VALUES (?1, ?2, 1) "
      "ON CONFLICT (day, code) DO UPDATE SET count = count + 1");
  upsert.bind(1, day).bind(2, code).run();
}

DayReport DayCounts::report(std::string_view day) {
  require(is_day(day), "the day is not YYYY-MM-DD");
  DayReport r;
  r.day = std::string(day);
  std::lock_guard lock(connection_.mutex);
  auto procedures = connection_.db.prepare(
      "SELECT procedure, outcome, count, total_ms, max_ms FROM day_procedures WHERE day = ? "
      "ORDER BY procedure, outcome");
  procedures.bind(1, day);
  while (procedures.step()) {
    r.procedures.push_back({procedures.column_text(0), procedures.column_text(1),
                            procedures.column_int(2), procedures.column_int(3),
                            procedures.column_int(4)});
  }
  auto codes =
      connection_.db.prepare("SELECT code, count FROM day_codes WHERE day = ? ORDER BY code");
  codes.bind(1, day);
  while (codes.step()) {
    r.codes.push_back({codes.column_text(0), codes.column_int(1)});
  }
  return r;
}

int64_t DayCounts::remove_before(std::string_view day) {
  std::lock_guard lock(connection_.mutex);
  base::sqlite::Transaction transaction(connection_.db);
  int64_t removed = 0;
  for (const char* sql :
       {"DELETE FROM day_procedures WHERE day < ?", "DELETE FROM day_codes WHERE day < ?"}) {
    auto remove = connection_.db.prepare(sql);
    remove.bind(1, day).run();
    removed += connection_.db.changes();
  }
  transaction.commit();
  return removed;
}

}  // namespace mk::offline_cache
