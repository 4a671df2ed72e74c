#pragma once

// The kiosk's durable store: two SQLite files in one directory.
//   cache.db  outbox, dead letters, reference data, appointments, staff verifiers, the day's
//             counts (small; quick_check at open)
//   audit.db  the hash-chained audit log (grows; nothing at open reads it row by row)
// See docs/offline-cache.md.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "offline-cache/appointments.hpp"
#include "offline-cache/audit_log.hpp"
#include "offline-cache/connection.hpp"
#include "offline-cache/day_counts.hpp"
#include "offline-cache/key_file.hpp"
#include "offline-cache/outbox.hpp"
#include "offline-cache/reference_cache.hpp"
#include "offline-cache/salvage.hpp"
#include "offline-cache/staff_verifiers.hpp"
#include "offline-cache/store_error.hpp"
#include "offline-cache/time.hpp"

namespace mk::offline_cache {

struct StoreOptions {
  Clock clock = system_now;
  UnitRandom random = system_unit_random;
  Outbox::Options outbox;
  Milliseconds busy_timeout{5'000};
  // The terminal id written into the store's own audit rows (e.g. "store.moved_aside").
  std::string terminal = "kiosk";
  CommitHook commit_hook;  // tests only: see time.hpp
  // The key was just made over a store that holds nothing sealed (Store::sealed_rows() == 0):
  // the store's key check is made anew instead of refusing the new key.
  bool new_key = false;
};

// A damaged file the store moved out of the way at open.
struct MovedAside {
  std::filesystem::path original;
  std::filesystem::path moved_to;  // its -wal and -shm, when there were any, sit beside it
  std::string reason;              // SQLite's or quick_check's words
  // cache.db only: what was read out of the damaged file into the new one.
  std::optional<SalvageReport> salvage;
};

// What open() found and did, for the kiosk's log and, when something was moved aside, for a
// notice to staff. The store works in either case.
struct OpenReport {
  bool cache_created = false;  // no cache.db before (or it was moved aside)
  bool audit_created = false;
  int cache_version_before = 0;
  int audit_version_before = 0;
  std::vector<MovedAside> moved_aside;
  // audit.db was new (lost) or moved aside over a store that had a chain: the new chain starts
  // with an "audit.chain_restarted" row (as every new chain does); this is that row's detail.
  // Empty for a store that looks new.
  std::optional<std::string> audit_restarted;

  bool recovered_from_corruption() const { return !moved_aside.empty(); }
  std::string summary() const;  // one English line
};

class Store {
 public:
  static constexpr const char* kCacheFile = "cache.db";
  static constexpr const char* kAuditFile = "audit.db";

  // Opens or creates the store in `directory` (created when missing, mode 0700). Throws
  // StoreError for what the kiosk cannot work around (schema_too_new, locked, io); a corrupt
  // file is moved aside and reported instead.
  static std::unique_ptr<Store> open(const std::filesystem::path& directory, KeyFile key,
                                     StoreOptions options = {});

  // Rows in `directory`'s cache.db that only the store key opens (outbox payloads, dead
  // letters, appointments), without the key: 0 when there is no cache.db, -1 when it cannot be
  // read (it may hold some). A missing key over a store with such rows must not be replaced.
  static int64_t sealed_rows(const std::filesystem::path& directory);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const OpenReport& open_report() const { return report_; }
  const std::filesystem::path& directory() const { return directory_; }
  Outbox& outbox() { return *outbox_; }
  ReferenceCache& reference() { return *reference_; }
  Appointments& appointments() { return *appointments_; }
  StaffVerifiers& staff() { return *staff_; }
  DayCounts& day_counts() { return *day_counts_; }
  AuditLog& audit() { return *audit_; }

  // The centre's last acknowledged audit row, kept in cache.db apart from the chain itself, so a
  // lost audit.db can be restarted from it (CenterSync writes it after every accepted batch).
  void remember_audit_checkpoint(const AuditCheckpoint& checkpoint);
  std::optional<AuditCheckpoint> remembered_audit_checkpoint();

  // A small real commit to cache.db (page 1 rewritten as it is): throws StoreError when
  // the store cannot take commits (disk_full, io). Tells when a full disk has room again.
  void probe_commit();

  // PRAGMA quick_check of cache.db now ("ok" when sound).
  std::string check_cache();

 private:
  explicit Store(KeyFile key) : key_(std::move(key)) {}

  std::filesystem::path directory_;
  KeyFile key_;
  StoreOptions options_;
  OpenReport report_;
  std::unique_ptr<Connection> cache_;
  std::unique_ptr<Connection> audit_connection_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<ReferenceCache> reference_;
  std::unique_ptr<Appointments> appointments_;
  std::unique_ptr<StaffVerifiers> staff_;
  std::unique_ptr<DayCounts> day_counts_;
  std::unique_ptr<AuditLog> audit_;
};

}  // namespace mk::offline_cache
