#pragma once

// Versioned schemas of the two database files. The version lives in PRAGMA user_version; each
// migration runs in its own transaction that also sets the new version, so a crash leaves the
// file at the old or the new version, never between.

#include "offline-cache/database.hpp"

namespace mk::offline_cache::schema {

// cache.db: outbox, dead letters, reference data, appointments.
//   1: outbox, dead_letter, reference_data
//   2: appointments; index of due outbox rows
//   3: audit_checkpoint (the centre's last acknowledged audit row, kept apart from audit.db)
//   4: key_check (a constant sealed with the store key: a wrong key is refused at open)
inline constexpr int kCacheVersion = 5;
// audit.db: the hash-chained audit log.
//   1: audit_log, audit_meta (head, verified checkpoint, pruning anchor, upload mark)
inline constexpr int kAuditVersion = 1;

// Reads the version; throws StoreError(schema_too_new) when it is newer than `known`, without
// writing anything.
int read_version(base::sqlite::Database& db, int known, std::string_view what);

// Migrates up to `target` (tests migrate to an older target to make an "N-1" file). Returns
// the version found before.
int migrate_cache(base::sqlite::Database& db, int target = kCacheVersion);
int migrate_audit(base::sqlite::Database& db, int target = kAuditVersion);

}  // namespace mk::offline_cache::schema
