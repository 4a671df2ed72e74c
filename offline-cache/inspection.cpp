#include "offline-cache/inspection.hpp"

#include "offline-cache/connection.hpp"
#include "offline-cache/store.hpp"

namespace mk::offline_cache {

namespace fs = std::filesystem;

StoreInspection inspect_store(const fs::path& directory, TimePoint now) {
  StoreInspection out;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".corrupt-") != std::string::npos && !name.ends_with("-wal") &&
        !name.ends_with("-shm") && !name.ends_with(".salvaged")) {
      out.moved_aside.push_back(entry.path());
    } else if (name.starts_with("set-aside-") && entry.is_directory()) {
      out.set_aside.push_back(entry.path());
    }
  }
  const fs::path cache = directory / Store::kCacheFile;
  out.cache_present = fs::exists(cache, error);
  if (out.cache_present) {
    try {
      auto db = open_database_read_only(cache);
      const std::string check = db.query_text("PRAGMA quick_check");
      if (check != "ok") {
        out.cache_problem = "quick_check: " + check;
      }
      out.pending = db.query_int("SELECT count(*) FROM outbox WHERE state = 'pending'");
      out.dead_letters = db.query_int("SELECT count(*) FROM dead_letter");
      out.undecryptable = db.query_int(
          "SELECT count(*) FROM dead_letter WHERE reason LIKE 'payload did not decrypt%'");
      auto oldest = db.prepare("SELECT min(created_at) FROM outbox WHERE state = 'pending'");
      if (oldest.step() && !oldest.is_null(0)) {
        out.oldest_pending_age = Milliseconds(to_millis(now) - oldest.column_int(0));
      }
    } catch (const StoreError& e) {
      out.cache_problem = e.what();
    }
  }
  const fs::path audit = directory / Store::kAuditFile;
  out.audit_present = fs::exists(audit, error);
  if (out.audit_present) {
    try {
      Connection connection;
      connection.db = open_database_read_only(audit);
      AuditLog log(connection, [now] { return now; });
      out.audit_head = log.head_seq();
      out.audit_uploaded_through = log.uploaded_through();
      out.audit_chain = log.verify_all();
      auto codes = connection.db.prepare(
          "SELECT action, count(*) FROM audit_log WHERE actor = 'system' AND action LIKE 'MK-%' "
          "GROUP BY action");
      while (codes.step()) {
        out.problems[codes.column_text(0)] = codes.column_int(1);
      }
    } catch (const StoreError& e) {
      out.audit_problem = e.what();
    }
  }
  return out;
}

DayReport read_day_report(const fs::path& directory, std::string_view day) {
  const fs::path cache = directory / Store::kCacheFile;
  std::error_code error;
  if (!fs::exists(cache, error)) {
    DayReport none;
    none.day = std::string(day);
    return none;
  }
  Connection connection;
  connection.db = open_database_read_only(cache);
  try {
    if (connection.db.query_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name "
                                "= 'day_procedures'") == 0) {
      DayReport none;  // a store from before the day's counts: nothing was counted
      none.day = std::string(day);
      return none;
    }
    return DayCounts(connection).report(day);
  } catch (const base::sqlite::Error& e) {
    throw StoreError(StoreErrorKind::io, std::string("the day's counts: ") + e.what());
  }
}

}  // namespace mk::offline_cache
