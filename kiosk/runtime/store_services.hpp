#pragma once

// Where the kiosk's durable store meets the centre: the outbox's delivery function (each kind of
// submission to its API call, with the row's own idempotency key, so a re-send after a crash is
// harmless) and the audit log's uploader.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "center/client/center_api.hpp"
#include "offline-cache/audit_log.hpp"
#include "offline-cache/outbox.hpp"

namespace mk::kiosk {

// Outbox kinds and their payloads (JSON):
//   "holding-form"    {"holder_ref","action"}            POST /v1/holders/{ref}/holding-form
//   "portal-linkage"  a SignedSubmission                 POST /v1/portal/linkages
//   "onestop-consent" a ConsentRequest                   POST /v1/onestop/consents
// Acknowledged on success; a refusal the centre calls final (4xx, not retryable) goes to the
// dead letters for staff; anything else (unreachable, timeout, 5xx) is tried again later.
offline_cache::DeliveryResult deliver_to_center(center::client::CenterApi& api,
                                                const offline_cache::OutboxItem& item);

// Sends the audit rows the centre has not acknowledged yet, in batches, on its own thread: at
// start, soon after new rows (wake()), and every `period` otherwise. A failed upload is tried
// again at the next round; the rows stay in the log either way.
class AuditUploader {
 public:
  AuditUploader(offline_cache::AuditLog& log, center::client::CenterApi& api, std::string terminal,
                std::chrono::milliseconds period = std::chrono::seconds(60));
  ~AuditUploader();
  AuditUploader(const AuditUploader&) = delete;
  AuditUploader& operator=(const AuditUploader&) = delete;

  void wake();
  // One round on the caller's thread: uploads everything pending; returns the rows accepted.
  // Throws CenterError or StoreError.
  int64_t upload_pending();

 private:
  void run();

  offline_cache::AuditLog& log_;
  center::client::CenterApi& api_;
  std::string terminal_;
  std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::mutex upload_mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace mk::kiosk
