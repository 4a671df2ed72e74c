#include "offline-cache/schema.hpp"

#include <functional>
#include <string>
#include <vector>

#include "offline-cache/audit_log.hpp"

namespace mk::offline_cache::schema {
namespace {

using Migration = std::function<void(base::sqlite::Database&)>;

const std::vector<Migration>& cache_migrations() {
  static const std::vector<Migration> migrations = {
      // 1
      [](base::sqlite::Database& db) {
        db.exec(R"sql(
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  metadata TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acknowledged')),
  acknowledged_at INTEGER,
  nonce BLOB,
  ciphertext BLOB,
  CHECK ((state = 'pending') = (ciphertext IS NOT NULL))
);
CREATE TABLE dead_letter (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  metadata TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  reason TEXT NOT NULL,
  dead_at INTEGER NOT NULL,
  nonce BLOB NOT NULL,
  ciphertext BLOB NOT NULL
);
CREATE TABLE reference_data (
  name TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  fetched_at INTEGER NOT NULL
);
)sql");
      },
      // 2
      [](base::sqlite::Database& db) {
        db.exec(R"sql(
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE TABLE appointments (
  number TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  slot_start INTEGER NOT NULL,
  slot_end INTEGER NOT NULL,
  checked_in_at INTEGER,
  updated_at INTEGER NOT NULL,
  nonce BLOB NOT NULL,
  personal BLOB NOT NULL
);
CREATE INDEX appointments_slot_end ON appointments (slot_end);
)sql");
      },
      // 3
      [](base::sqlite::Database& db) {
        db.exec(R"sql(
CREATE TABLE audit_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash BLOB NOT NULL
);
)sql");
      },
      // 4
      [](base::sqlite::Database& db) {
        db.exec(R"sql(
CREATE TABLE key_check (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  nonce BLOB NOT NULL,
  sealed BLOB NOT NULL
);
)sql");
      },
      // 5
      [](base::sqlite::Database& db) {
        db.exec(R"sql(
CREATE TABLE staff_verifiers (
  staff_id TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  nonce BLOB NOT NULL,
  sealed BLOB NOT NULL,
  wrong_pins INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE day_procedures (
  day TEXT NOT NULL,
  procedure TEXT NOT NULL,
  outcome TEXT NOT NULL,
  count INTEGER NOT NULL,
  total_ms INTEGER NOT NULL,
  max_ms INTEGER NOT NULL,
  PRIMARY KEY (day, procedure, outcome)
);
CREATE TABLE day_codes (
  day TEXT NOT NULL,
  code TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (day, code)
);
)sql");
      },
  };
  return migrations;
}

const std::vector<Migration>& audit_migrations() {
  static const std::vector<Migration> migrations = {
      // 1
      [](base::sqlite::Database& db) {
        db.exec(R"sql(
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  result TEXT NOT NULL,
  terminal TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL
);
CREATE TABLE audit_meta (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash BLOB NOT NULL
);
)sql");
        const auto genesis = AuditLog::genesis_hash();
        auto insert = db.prepare("INSERT INTO audit_meta (name, seq, hash) VALUES (?, 0, ?)");
        for (const char* name : {"head", "verified", "anchor", "uploaded"}) {
          insert.bind(1, name).bind(2, std::span<const uint8_t>(genesis)).run();
          insert.reset();
        }
      },
  };
  return migrations;
}

int migrate(base::sqlite::Database& db, const std::vector<Migration>& migrations, int target,
            std::string_view what) {
  const int known = static_cast<int>(migrations.size());
  const int before = read_version(db, known, what);
  for (int version = before + 1; version <= target && version <= known; ++version) {
    base::sqlite::Transaction transaction(db);
    // Another process may have migrated while we waited for the write lock.
    if (db.query_int("PRAGMA user_version") >= version) {
      continue;
    }
    migrations[static_cast<size_t>(version - 1)](db);
    db.exec("PRAGMA user_version = " + std::to_string(version));
    transaction.commit();
  }
  return before;
}

}  // namespace

int read_version(base::sqlite::Database& db, int known, std::string_view what) {
  const auto version = static_cast<int>(db.query_int("PRAGMA user_version"));
  if (version > known) {
    throw StoreError(StoreErrorKind::schema_too_new,
                     std::string(what) + " " + db.path().string() + " has schema version " +
                         std::to_string(version) + ", this program knows up to " +
                         std::to_string(known) + "; it was left untouched");
  }
  return version;
}

int migrate_cache(base::sqlite::Database& db, int target) {
  return migrate(db, cache_migrations(), target, "cache database");
}

int migrate_audit(base::sqlite::Database& db, int target) {
  return migrate(db, audit_migrations(), target, "audit database");
}

}  // namespace mk::offline_cache::schema
