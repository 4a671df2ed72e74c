#include "offline-cache/store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <iterator>
#include <optional>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hex.hpp"
#include "offline-cache/crypto.hpp"
#include "offline-cache/salvage.hpp"
#include "offline-cache/schema.hpp"

namespace mk::offline_cache {
namespace fs = std::filesystem;

std::string_view to_string(StoreErrorKind kind) {
  switch (kind) {
    case StoreErrorKind::corrupt:
      return "corrupt";
    case StoreErrorKind::locked:
      return "locked";
    case StoreErrorKind::schema_too_new:
      return "schema_too_new";
    case StoreErrorKind::key_file:
      return "key_file";
    case StoreErrorKind::decrypt_failed:
      return "decrypt_failed";
    case StoreErrorKind::sensitive_data:
      return "sensitive_data";
    case StoreErrorKind::invalid_argument:
      return "invalid_argument";
    case StoreErrorKind::not_found:
      return "not_found";
    case StoreErrorKind::disk_full:
      return "disk_full";
    case StoreErrorKind::io:
      return "io";
    case StoreErrorKind::internal:
      return "internal";
  }
  return "unknown";
}

namespace {

void sync_directory(const fs::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Renames `path` (and its -wal, -shm) to `<name>.corrupt-<UTC time>[-n]`; returns the new
// name. The files are kept for staff and for recovery tools; nothing is deleted.
fs::path move_aside(const fs::path& path, TimePoint now) {
  const std::string base = path.string() + ".corrupt-" + utc_stamp(now);
  fs::path target = base;
  for (int n = 1; fs::exists(target); ++n) {
    target = base + "-" + std::to_string(n);
  }
  std::error_code error;
  fs::rename(path, target, error);
  if (error) {
    throw StoreError(StoreErrorKind::io,
                     "cannot move the damaged " + path.string() + " aside: " + error.message());
  }
  for (const char* suffix : {"-wal", "-shm"}) {
    const fs::path side = path.string() + suffix;
    if (fs::exists(side)) {
      fs::rename(side, target.string() + suffix, error);
      if (error) {
        throw StoreError(StoreErrorKind::io,
                         "cannot move " + side.string() + " aside: " + error.message());
      }
    }
  }
  sync_directory(path.parent_path());
  return target;
}

// Damaged cache.db files moved aside (`cache.db.corrupt-*`) whose salvage has not finished (no
// `<file>.salvaged` beside them), oldest first.
std::vector<fs::path> unsalvaged_cache_files(const fs::path& directory) {
  std::vector<fs::path> files;
  std::error_code error;
  const std::string prefix = std::string(Store::kCacheFile) + ".corrupt-";
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && !name.ends_with("-wal") && !name.ends_with("-shm") &&
        !name.ends_with(".salvaged") && !fs::exists(entry.path().string() + ".salvaged")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void mark_salvaged(const fs::path& file) {
  const fs::path marker = file.string() + ".salvaged";
  const int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  sync_directory(file.parent_path());
}

// The store key's proof: a constant sealed with it when the store is made. A key that does not
// open it is not this store's key (a stale backup, another kiosk's): refused before any row is
// turned into an undecryptable dead letter.
constexpr std::string_view kKeyCheck = "MynaKiosk store key check v1";

void check_key(base::sqlite::Database& db, const KeyFile& key, bool new_key) {
  const auto aad = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(kKeyCheck.data()),
                                            kKeyCheck.size());
  if (new_key) {
    db.exec("DELETE FROM key_check");
  }
  auto select = db.prepare("SELECT nonce, sealed FROM key_check WHERE id = 1");
  if (select.step()) {
    try {
      crypto::open(key.bytes(), select.column_blob(0), aad, select.column_blob(1));
    } catch (const StoreError&) {
      throw StoreError(StoreErrorKind::key_file,
                       "the store key does not open the store in " +
                           db.path().parent_path().string() +
                           " (another store's key, or an old one); nothing was changed");
    }
    return;
  }
  const auto sealed = crypto::seal(key.bytes(), aad, aad);
  auto insert = db.prepare("INSERT INTO key_check (id, nonce, sealed) VALUES (1, ?, ?)");
  insert.bind(1, std::span<const uint8_t>(sealed.nonce))
      .bind(2, std::span<const uint8_t>(sealed.ciphertext))
      .run();
}

void set_pragmas(base::sqlite::Database& db, Milliseconds busy_timeout) {
  sqlite3_busy_timeout(db.handle(), static_cast<int>(busy_timeout.count()));
  const std::string mode = db.query_text("PRAGMA journal_mode = WAL");
  if (mode != "wal") {
    throw StoreError(StoreErrorKind::io,
                     "cannot switch " + db.path().string() + " to WAL mode (got '" + mode + "')");
  }
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // Deleted and overwritten content (acknowledged payloads) is zeroed, not left in free pages.
  db.exec("PRAGMA secure_delete = ON");
}

std::string quick_check(base::sqlite::Database& db) {
  auto select = db.prepare("PRAGMA quick_check");
  std::string result;
  while (select.step()) {
    if (!result.empty()) {
      result += "; ";
    }
    result += select.column_text(0);
    if (result.size() > 300) {
      break;
    }
  }
  return result;
}

// Opens one file with its checks; throws StoreError(corrupt) for damage, other kinds for what
// moving aside would not cure.
base::sqlite::Database open_checked(const fs::path& path, Milliseconds busy_timeout,
                                    int known_version, bool run_quick_check, const char* what,
                                    int& version_before,
                                    const std::function<void(base::sqlite::Database&)>& migrate) {
  auto db = open_database(path);
  // Only the kiosk's user may read it (SQLite gives its -wal and -shm the same mode).
  ::chmod(path.c_str(), 0600);
  // Until the file has passed its checks, closing must not checkpoint: that would copy a
  // damaged WAL into the file, or delete the -wal we are about to move aside with it.
  sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_busy_timeout(db.handle(), static_cast<int>(busy_timeout.count()));
  // Reads first: a newer or damaged file is refused before anything writes to it.
  version_before = schema::read_version(db, known_version, what);
  if (run_quick_check) {
    const std::string check = quick_check(db);
    if (check != "ok") {
      throw StoreError(StoreErrorKind::corrupt, "quick_check: " + check);
    }
  }
  set_pragmas(db, busy_timeout);
  migrate(db);
  sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
  return db;
}

}  // namespace

std::string OpenReport::summary() const {
  std::string text = "store opened";
  text += cache_created ? ", new cache.db"
                        : ", cache.db schema " + std::to_string(cache_version_before);
  text += audit_created ? ", new audit.db"
                        : ", audit.db schema " + std::to_string(audit_version_before);
  for (const auto& moved : moved_aside) {
    text += "; DAMAGED " + moved.original.filename().string() + " moved aside to " +
            moved.moved_to.filename().string() + " (" + moved.reason + ")";
    if (moved.salvage) {
      text += "; " + moved.salvage->summary();
    }
  }
  if (audit_restarted) {
    text += "; AUDIT CHAIN RESTARTED: " + *audit_restarted;
  }
  return text;
}

std::unique_ptr<Store> Store::open(const fs::path& directory, KeyFile key, StoreOptions options) {
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) {
    throw StoreError(StoreErrorKind::io, "cannot create the store directory " + directory.string() +
                                             ": " + error.message());
  }
  ::chmod(directory.c_str(), 0700);
  std::unique_ptr<Store> store(new Store(std::move(key)));
  store->directory_ = directory;
  store->options_ = std::move(options);
  auto& report = store->report_;

  // Opens `file`; a corrupt one is moved aside and replaced by a fresh one (once).
  const auto open_or_replace = [&](const char* file, int known, bool check, const char* what,
                                   int& version_before, bool& created,
                                   const std::function<void(base::sqlite::Database&)>& migrate) {
    const fs::path path = directory / file;
    created = !fs::exists(path);
    try {
      return open_checked(path, store->options_.busy_timeout, known, check, what, version_before,
                          migrate);
    } catch (const StoreError& failure) {
      if (failure.kind() != StoreErrorKind::corrupt) {
        throw;
      }
      report.moved_aside.push_back(
          {path, move_aside(path, store->options_.clock()), failure.what(), std::nullopt});
    }
    created = true;
    return open_checked(path, store->options_.busy_timeout, known, check, what, version_before,
                        migrate);
  };

  auto cache = std::make_unique<Connection>();
  cache->hook = store->options_.commit_hook;
  cache->db = open_or_replace(kCacheFile, schema::kCacheVersion, true, "cache database",
                              report.cache_version_before, report.cache_created,
                              [](base::sqlite::Database& db) { schema::migrate_cache(db); });
  // A damaged cache.db still holds most of its rows: every one that can be read goes into the
  // fresh file before anything else touches it. A marker file says a salvage finished, so one
  // that was cut short (a crash, a full disk) is done again at the next start.
  for (const auto& leftover : unsalvaged_cache_files(directory)) {
    auto moved = std::find_if(report.moved_aside.begin(), report.moved_aside.end(),
                              [&](const MovedAside& m) { return m.moved_to == leftover; });
    if (moved == report.moved_aside.end()) {
      report.moved_aside.push_back({directory / kCacheFile, leftover,
                                    "moved aside at an earlier start whose salvage did not finish",
                                    std::nullopt});
      moved = std::prev(report.moved_aside.end());
    }
    moved->salvage = salvage_cache(leftover, *cache, store->key_);
    mark_salvaged(leftover);
  }
  auto audit = std::make_unique<Connection>();
  audit->hook = store->options_.commit_hook;
  // audit.db gets no quick_check here (it is O(rows)): its header, schema and head mark are
  // read, which catches a file that is not a database; AuditLog::integrity_check() and
  // verify_all() do the rest on demand.
  audit->db = open_or_replace(kAuditFile, schema::kAuditVersion, false, "audit database",
                              report.audit_version_before, report.audit_created,
                              [](base::sqlite::Database& db) {
                                schema::migrate_audit(db);
                                db.query_int("SELECT seq FROM audit_meta WHERE name = 'head'");
                              });

  store->cache_ = std::move(cache);
  store->audit_connection_ = std::move(audit);
  const auto& opts = store->options_;
  check_key(store->cache_->db, store->key_, store->options_.new_key);
  store->outbox_ =
      std::make_unique<Outbox>(*store->cache_, store->key_, opts.clock, opts.random, opts.outbox);
  store->reference_ = std::make_unique<ReferenceCache>(*store->cache_, opts.clock);
  store->appointments_ = std::make_unique<Appointments>(*store->cache_, store->key_, opts.clock);
  store->staff_ = std::make_unique<StaffVerifiers>(*store->cache_, store->key_);
  store->day_counts_ = std::make_unique<DayCounts>(*store->cache_);
  store->audit_ = std::make_unique<AuditLog>(*store->audit_connection_, opts.clock);

  // A chain that was lost (audit.db missing beside a cache.db that knew one, or moved aside) is
  // restarted, never silently begun again: its first row says from where and why.
  const bool audit_moved =
      std::any_of(report.moved_aside.begin(), report.moved_aside.end(),
                  [](const MovedAside& m) { return m.original.filename() == kAuditFile; });
  // Every new chain begins with that row, even on what looks like a new store: a kiosk whose
  // disk was replaced cannot know the centre holds its old chain, and the centre accepts a
  // restart at 1 as the start of a new one (docs/center-api.md, "Restarting a lost chain").
  const auto checkpoint = store->remembered_audit_checkpoint();
  if (report.audit_created) {
    const bool looks_new =
        report.cache_created && !audit_moved && !checkpoint && report.moved_aside.empty();
    const std::string reason = audit_moved ? "audit.db was damaged and moved aside"
                               : looks_new ? "a new store"
                                           : "audit.db was missing";
    const std::string detail =
        reason + "; " +
        (checkpoint ? "continues from the centre's last acknowledged row " +
                          std::to_string(checkpoint->seq) + " (" + base::to_hex(checkpoint->hash) +
                          "); later rows were lost"
                    : std::string("no checkpoint known; the chain starts again at 1"));
    store->audit_->start_new_chain(
        checkpoint, {"system", kAuditChainRestarted, "restarted", opts.terminal, detail, {}, {}});
    if (!looks_new) {
      report.audit_restarted = detail;
    }
  }
  for (const auto& moved : report.moved_aside) {
    AuditEntry entry;
    entry.actor = "system";
    entry.action = "store.moved_aside";
    entry.result = "recovered";
    entry.terminal = opts.terminal;
    entry.detail = moved.original.filename().string() + " -> " + moved.moved_to.filename().string();
    store->audit_->append(entry);
    if (moved.salvage) {
      entry.action = "store.salvaged";
      entry.result = moved.salvage->complete() ? "complete" : "partial";
      entry.detail = moved.salvage->summary();
      store->audit_->append(entry);
    }
  }
  return store;
}

int64_t Store::sealed_rows(const fs::path& directory) {
  const fs::path path = directory / kCacheFile;
  std::error_code error;
  // A damaged cache.db kept aside needs the same key for any later recovery.
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    if (entry.path().filename().string().starts_with(std::string(kCacheFile) + ".corrupt-")) {
      return -1;
    }
  }
  if (!fs::exists(path, error) && !error) {
    return 0;
  }
  try {
    auto db = open_database(path, false);
    sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    if (db.query_int("PRAGMA user_version") == 0) {
      return 0;  // never got its tables
    }
    return db.query_int(
        "SELECT (SELECT count(*) FROM outbox WHERE ciphertext IS NOT NULL) + "
        "(SELECT count(*) FROM dead_letter) + (SELECT count(*) FROM appointments)");
  } catch (const StoreError&) {
    return -1;  // unreadable: it may hold rows
  }
}

Store::~Store() = default;

void Store::remember_audit_checkpoint(const AuditCheckpoint& checkpoint) {
  std::lock_guard lock(cache_->mutex);
  auto upsert = cache_->db.prepare(
      "INSERT INTO audit_checkpoint (id, seq, hash) VALUES (1, ?, ?) "
      "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash "
      "WHERE excluded.seq > audit_checkpoint.seq");
  upsert.bind(1, checkpoint.seq).bind(2, std::span<const uint8_t>(checkpoint.hash)).run();
}

std::optional<AuditCheckpoint> Store::remembered_audit_checkpoint() {
  std::lock_guard lock(cache_->mutex);
  auto select = cache_->db.prepare("SELECT seq, hash FROM audit_checkpoint WHERE id = 1");
  if (!select.step()) {
    return std::nullopt;
  }
  AuditCheckpoint checkpoint;
  checkpoint.seq = select.column_int(0);
  const auto hash = select.column_blob(1);
  if (hash.size() != checkpoint.hash.size()) {
    return std::nullopt;
  }
  std::copy(hash.begin(), hash.end(), checkpoint.hash.begin());
  return checkpoint;
}

void Store::probe_commit() {
  std::lock_guard lock(cache_->mutex);
  base::sqlite::Transaction transaction(cache_->db);
  // Rewriting the schema version as it is writes page 1 through the WAL: a real commit that
  // changes nothing.
  const int64_t version = cache_->db.query_int("PRAGMA user_version");
  cache_->db.exec("PRAGMA user_version = " + std::to_string(version));
  transaction.commit();
}

std::string Store::check_cache() {
  std::lock_guard lock(cache_->mutex);
  return quick_check(cache_->db);
}

}  // namespace mk::offline_cache
