#pragma once

// Where the kiosk's durable store meets the centre: the outbox's delivery function (each kind of
// submission to its API call, with the row's own idempotency key, so a re-send after a crash is
// harmless) and the audit log's uploader.

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

#include "base/periodic_worker.hpp"
#include "center/client/center_api.hpp"
#include "kiosk/runtime/problem_reporter.hpp"
#include "offline-cache/audit_log.hpp"
#include "offline-cache/outbox.hpp"
#include "offline-cache/reference_cache.hpp"
#include "offline-cache/store.hpp"

namespace mk::kiosk {

// Outbox kinds and their payloads (JSON):
//   "holding-form"    {"holder_ref","action"}            POST /v1/holders/{ref}/holding-form
//   "portal-linkage"  a SignedSubmission                 POST /v1/portal/linkages
//   "onestop-consent" a ConsentRequest                   POST /v1/onestop/consents
// Acknowledged on success; a refusal the centre calls final (4xx, not retryable) goes to the
// dead letters for staff; anything else (unreachable, timeout, 5xx) is tried again later.
offline_cache::DeliveryResult deliver_to_center(center::client::CenterApi& api,
                                                const offline_cache::OutboxItem& item);

// Keeps the store and the centre in step, on its own thread: at start, soon after new audit rows
// (wake()), and every `period` otherwise it
//   - asks the centre for reference data newer than the cached version and caches it (so the
//     kiosk works offline with the last version it saw),
//   - caches the centre's staff verifiers once a period (so staff can sign in while it is away),
//     and
//   - verifies the audit chain from its checkpoint and sends the rows the centre has not
//     acknowledged yet, in batches — never a row past a break in the chain (an edited or
//     missing row is reported, MK-AUDIT-CHAIN-BROKEN, and stays for staff) — and remembers the
//     centre's last acknowledged row apart from audit.db (Store::remember_audit_checkpoint).
// A failed round is tried again at the next; nothing is lost either way. A refusal by the centre
// is reported (MK-AUDIT-UPLOAD-REFUSED).
class CenterSync {
 public:
  CenterSync(offline_cache::Store& store, center::client::CenterApi& api, std::string terminal,
             ProblemReporter* problems = nullptr,
             std::chrono::milliseconds period = std::chrono::seconds(60));
  ~CenterSync();
  CenterSync(const CenterSync&) = delete;
  CenterSync& operator=(const CenterSync&) = delete;

  void wake();
  // On the caller's thread: verifies, then uploads everything pending up to the first break;
  // returns the rows accepted. Throws CenterError or StoreError.
  int64_t upload_pending();
  // On the caller's thread: true when a newer version was cached. Throws CenterError.
  bool refresh_reference();
  static constexpr const char* kReferenceName = "reference";
  // On the caller's thread: caches the centre's staff verifiers (for a staff sign-in while the
  // centre is away, CachedStaffCheck); true when the list changed. Throws CenterError.
  bool refresh_staff();
  // Whether the centre answered this kiosk's last round (its reference data); nullopt before the
  // first round has ended. A refusal is an answer; no connection, a timeout, an untrusted or
  // broken reply is not.
  std::optional<bool> center_answered() const;

  // What staff see of the link at a glance (issue 12 §5).
  struct Glance {
    std::optional<bool> center_answered;
    std::optional<std::chrono::milliseconds> latency;  // the last answered reference call's
    bool audit_chain_ok = true;                        // as the last round verified it
    std::optional<std::chrono::system_clock::time_point> last_upload;  // the last batch taken
  };
  Glance glance() const;

 private:
  // One round on the worker: the reference data, then the audit rows.
  std::chrono::milliseconds round();

  void report(const char* code, const std::string& text);

  offline_cache::Store& store_;
  offline_cache::AuditLog& log_;
  offline_cache::ReferenceCache& reference_;
  ProblemReporter* problems_;
  std::optional<int64_t> reported_break_;    // the first bad seq last reported
  std::optional<int64_t> reported_refusal_;  // the first seq of the batch last refused
  center::client::CenterApi& api_;
  std::string terminal_;
  std::chrono::milliseconds period_;
  std::mutex upload_mutex_;
  std::atomic<int> answered_{-1};  // -1 not yet known, 0 no, 1 yes
  // The staff verifiers are asked for once a period, not at every wake (each audit row wakes).
  std::optional<std::chrono::steady_clock::time_point> staff_refreshed_;
  mutable std::mutex glance_mutex_;
  Glance glance_;                // under glance_mutex_ (answered_ apart)
  base::PeriodicWorker worker_;  // last: its rounds use what comes before
};

}  // namespace mk::kiosk
