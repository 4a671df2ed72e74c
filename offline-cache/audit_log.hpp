#pragma once

// The audit log: who did what, when, with what result, at which terminal. Never a PIN, a My
// Number or a payload. Rows are hash-chained (hash = SHA-256(prev_hash || canonical row)), the
// head (last seq and hash) is stored apart, so a changed, removed, reordered or cut-off row is
// found by verify(). It lives in its own file (audit.db) so nothing at start reads it row by
// row: opening the store costs the same with 0 or 100,000 rows.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "offline-cache/connection.hpp"
#include "offline-cache/crypto.hpp"
#include "offline-cache/time.hpp"

namespace mk::offline_cache {

struct AuditEntry {
  std::string actor;            // "holder", "staff:tanaka", "system", ...
  std::string action;           // "onestop.submit", "outbox.delivered", ...
  std::string result;           // "ok", "refused", "error:timeout", ...
  std::string terminal;         // the kiosk's id
  std::string detail;           // short, non-personal
  std::optional<TimePoint> at;  // default: the store's clock
  // Values the caller knows are secret (the PIN just typed, the card's My Number): a row that
  // contains any of them is refused. The values are only compared, never stored.
  std::vector<std::string_view> must_not_contain;
};

struct AuditRow {
  int64_t seq = 0;
  TimePoint at;
  std::string actor;
  std::string action;
  std::string result;
  std::string terminal;
  std::string detail;
  crypto::Sha256 prev_hash{};
  crypto::Sha256 hash{};
};

// A point of the chain: a row's seq and hash (seq 0 with the genesis hash: before the first row).
struct AuditCheckpoint {
  int64_t seq = 0;
  crypto::Sha256 hash{};
};

// The action of the row that starts a new chain after the old one was lost or damaged
// (docs/center-api.md, "Restarting a lost chain"); its detail names the checkpoint it continues.
inline constexpr const char* kAuditChainRestarted = "audit.chain_restarted";

struct AuditVerifyResult {
  bool ok = true;
  std::optional<int64_t> first_bad_seq;
  std::string problem;           // English; empty when ok
  int64_t verified_through = 0;  // last seq known good after this run
  int64_t rows_checked = 0;
};

class AuditLog {
 public:
  AuditLog(Connection& connection, Clock clock);

  // The hash before the first row: SHA-256 of "MynaKiosk audit log genesis v1".
  static crypto::Sha256 genesis_hash();
  // SHA-256(prev_hash || encoding of seq, at, actor, action, result, terminal, detail).
  static crypto::Sha256 row_hash(const crypto::Sha256& prev_hash, int64_t seq, int64_t at,
                                 std::string_view actor, std::string_view action,
                                 std::string_view result, std::string_view terminal,
                                 std::string_view detail);

  // Appends and commits one row; returns its seq. Throws StoreError(sensitive_data) when a
  // field holds a 12-digit number with a valid My Number check digit or a must_not_contain
  // value, and invalid_argument when actor or action is empty.
  int64_t append(const AuditEntry& entry);
  // Several rows in one commit (a batch of events, or filling a test store); returns the last
  // seq. All or none are written.
  int64_t append_batch(std::span<const AuditEntry> entries);

  // Verifies the rows after the stored checkpoint (cheap, incremental) and moves the checkpoint
  // forward when they are good.
  AuditVerifyResult verify();
  // Verifies the whole chain from the first kept row (after the pruning anchor).
  AuditVerifyResult verify_all();
  // Verifies the rows the centre has not acknowledged yet, from the last uploaded row, every
  // time (a row verified once and edited before its upload must not leave as it is); what the
  // uploader may send is up to verified_through.
  AuditVerifyResult verify_not_uploaded();

  std::vector<AuditRow> batch_for_upload(int64_t after_seq, size_t limit);
  void mark_uploaded(int64_t through_seq);
  int64_t uploaded_through();
  // The last row the centre acknowledged, with its hash: what the kiosk keeps apart from
  // audit.db (Store::remember_audit_checkpoint) so a lost chain can be restarted from it.
  AuditCheckpoint uploaded_checkpoint();

  // On an empty log only (a new audit.db): the chain continues from `from` (the centre's last
  // acknowledged row; nothing: from the genesis, seq 1) with `restart` as its first row, which
  // says what was lost. Throws StoreError(invalid_argument) when the log has rows.
  int64_t start_new_chain(const std::optional<AuditCheckpoint>& from, const AuditEntry& restart);
  // Deletes rows already uploaded whose time is before `horizon`, after verifying them; the
  // last deleted row's seq and hash become the anchor the chain continues from. Returns how
  // many rows went; 0 (and nothing deleted) when verification failed.
  int64_t prune_uploaded_before(TimePoint horizon);

  int64_t head_seq();
  int64_t row_count();
  // Full PRAGMA integrity_check of audit.db ("ok" when sound). O(file size): on demand only.
  std::string integrity_check();

 private:
  struct Mark {
    int64_t seq = 0;
    crypto::Sha256 hash{};
  };
  Mark read_mark(std::string_view name);
  void write_mark(std::string_view name, const Mark& mark);
  int64_t append_locked(const AuditEntry& entry, Mark& head);
  AuditVerifyResult walk(const Mark& start, std::optional<int64_t> stop_after);

  Connection& connection_;
  Clock clock_;
};

}  // namespace mk::offline_cache
