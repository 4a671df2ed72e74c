#include "offline-cache/reference_cache.hpp"

#include <nlohmann/json.hpp>

namespace mk::offline_cache {

ReferenceCache::ReferenceCache(Connection& connection, Clock clock)
    : connection_(connection), clock_(std::move(clock)) {}

bool ReferenceCache::put(std::string_view name, int64_t version, std::string_view json_text) {
  if (name.empty()) {
    throw StoreError(StoreErrorKind::invalid_argument, "reference data needs a name");
  }
  if (!nlohmann::json::accept(json_text)) {
    throw StoreError(StoreErrorKind::invalid_argument,
                     "reference data '" + std::string(name) + "' version " +
                         std::to_string(version) + " is not valid JSON; the cached copy is kept");
  }
  std::lock_guard lock(connection_.mutex);
  auto& db = connection_.db;
  base::sqlite::Transaction transaction(db);
  auto current = db.prepare("SELECT version FROM reference_data WHERE name = ?");
  current.bind(1, name);
  if (current.step() && current.column_int(0) > version) {
    return false;
  }
  auto upsert = db.prepare(
      "INSERT INTO reference_data (name, version, body, fetched_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET version = excluded.version, body = excluded.body, "
      "fetched_at = excluded.fetched_at");
  upsert.bind(1, name).bind(2, version).bind(3, json_text).bind(4, to_millis(clock_()));
  upsert.run();
  transaction.commit();
  return true;
}

std::optional<ReferenceEntry> ReferenceCache::get(std::string_view name) {
  std::lock_guard lock(connection_.mutex);
  auto select =
      connection_.db.prepare("SELECT version, body, fetched_at FROM reference_data WHERE name = ?");
  select.bind(1, name);
  if (!select.step()) {
    return std::nullopt;
  }
  return ReferenceEntry{select.column_int(0), select.column_text(1),
                        from_millis(select.column_int(2))};
}

std::optional<int64_t> ReferenceCache::version(std::string_view name) {
  std::lock_guard lock(connection_.mutex);
  auto select = connection_.db.prepare("SELECT version FROM reference_data WHERE name = ?");
  select.bind(1, name);
  if (!select.step()) {
    return std::nullopt;
  }
  return select.column_int(0);
}

std::vector<std::string> ReferenceCache::names() {
  std::lock_guard lock(connection_.mutex);
  auto select = connection_.db.prepare("SELECT name FROM reference_data ORDER BY name");
  std::vector<std::string> result;
  while (select.step()) {
    result.push_back(select.column_text(0));
  }
  return result;
}

}  // namespace mk::offline_cache
