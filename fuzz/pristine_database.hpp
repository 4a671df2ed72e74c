#pragma once

// One migrated in-memory database for every fuzz input: creating the schema was most of an
// input's time. Each input starts from the state the migration left (its seeded rows, and
// AUTOINCREMENT counters from zero, so an input replays the same way).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "offline-cache/connection.hpp"

namespace mk::fuzz {

// Returns the connection, every table back to its pristine rows. `migrate` runs once.
inline offline_cache::Connection& pristine_database(
    const std::function<void(base::sqlite::Database&)>& migrate) {
  struct Pristine {
    offline_cache::Connection connection;
    std::vector<std::string> tables;
  };
  static Pristine* pristine = [&migrate] {
    // Pages from one fixed buffer, not malloc: under ASan every freed page went to the
    // quarantine and the next was fresh memory, zeroed and faulted in, for each input's reset.
    int header = 0;
    sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &header);
    constexpr int kPages = 512;
    const int slot = 4096 + header;
    static std::vector<uint8_t> page_buffer(static_cast<size_t>(slot) * kPages);
    sqlite3_config(SQLITE_CONFIG_PAGECACHE, page_buffer.data(), slot, kPages);
    auto* p = new Pristine();  // NOLINT(cppcoreguidelines-owning-memory): lives to the end
    p->connection.db = offline_cache::open_database(":memory:");
    migrate(p->connection.db);
    auto names = p->connection.db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (names.step()) {
      p->tables.push_back(names.column_text(0));
    }
    for (const auto& t : p->tables) {
      p->connection.db.exec("CREATE TEMP TABLE \"pristine_" + t + "\" AS SELECT * FROM main.\"" +
                            t + "\"");
    }
    return p;
  }();
  auto& db = pristine->connection.db;
  for (const auto& t : pristine->tables) {  // prepared once (the connection keeps them)
    db.prepare("DELETE FROM main.\"" + t + "\"").run();
    db.prepare("INSERT INTO main.\"" + t + "\" SELECT * FROM \"pristine_" + t + "\"").run();
  }
  if (db.query_int("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'") != 0) {
    db.exec("DELETE FROM main.sqlite_sequence");
  }
  return pristine->connection;
}

}  // namespace mk::fuzz
