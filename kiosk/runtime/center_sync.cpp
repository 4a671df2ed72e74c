#include "kiosk/runtime/center_sync.hpp"

#include <charconv>
#include <chrono>

#include <fmt/format.h>

#include "base/hex.hpp"
#include "kiosk/logging/log.hpp"
#include "offline-cache/store_error.hpp"

namespace mk::kiosk {

namespace api = center::api;
using center::client::CenterError;
using offline_cache::DeliveryResult;

namespace {

// "2026-11-27T03:45:12Z": the API's instants are RFC 3339 (whole seconds are enough here).
std::string rfc3339_utc(offline_cache::TimePoint t) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{seconds - day};
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

}  // namespace

DeliveryResult deliver_to_center(center::client::CenterApi& api,
                                 const offline_cache::OutboxItem& item) {
  try {
    const auto bytes = item.payload.bytes();
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (item.kind == "holding-form") {
      const api::Json j = api::parse_json(text);
      // The action is checked by the wire's own parser (an unknown one is a WireError).
      const auto request = api::parse_body<api::HoldingFormRequest>(text);
      api.change_holding_form(j.value("holder_ref", ""), request, item.idempotency_key);
    } else if (item.kind == "portal-linkage") {
      api.submit_linkage(api::parse_body<api::SignedSubmission>(text), item.idempotency_key);
    } else if (item.kind == "onestop-consent") {
      api.start_consent(api::parse_body<api::ConsentRequest>(text), item.idempotency_key);
    } else {
      return DeliveryResult::rejected_permanently("unknown outbox kind " + item.kind);
    }
    return DeliveryResult::acknowledged();
  } catch (const CenterError& e) {
    // The reason is stored in clear with the row: kind, status, content type and code only —
    // not what(), whose path may hold a holder reference, and never the body.
    const std::string reason =
        item.kind + ": " + std::string(to_string(e.kind)) +
        (e.http_status != 0 ? " HTTP " + std::to_string(e.http_status) : "") +
        (e.content_type.empty() ? "" : " (" + e.content_type + ")") +
        (e.code.empty() ? "" : " " + e.code);
    // Only the centre's own final refusal ends a submission; a 2xx that is not the centre's
    // answer (it does not name this row's idempotency key) and a refusal without the centre's
    // envelope are tried again, so nothing is marked delivered that the centre did not take.
    if (e.kind == center::client::CenterErrorKind::http_rejected && !e.retryable) {
      logger("center")->error("outbox delivery refused for good: {}", reason);
      return DeliveryResult::rejected_permanently(reason);
    }
    logger("center")->warn("outbox delivery: {} (tried again later)", reason);
    return DeliveryResult::retry_later(reason);
  } catch (const api::WireError& e) {
    return DeliveryResult::rejected_permanently(std::string("payload: ") + e.what());
  } catch (const std::invalid_argument& e) {
    return DeliveryResult::rejected_permanently(e.what());  // a holder reference not a path
  }
}

CenterSync::CenterSync(offline_cache::Store& store, center::client::CenterApi& api,
                       std::string terminal, ProblemReporter* problems,
                       std::chrono::milliseconds period)
    : store_(store),
      log_(store.audit()),
      reference_(store.reference()),
      problems_(problems),
      api_(api),
      terminal_(std::move(terminal)),
      period_(period),
      worker_([this] { return round(); }, period) {}

CenterSync::~CenterSync() {
  worker_.stop();
}

void CenterSync::wake() {
  worker_.wake();
}

int64_t CenterSync::upload_pending() {
  const std::lock_guard upload(upload_mutex_);
  constexpr size_t kBatch = 200;
  int64_t accepted = 0;
  // Only rows that verify leave the kiosk: an edited row is never uploaded as it is.
  const offline_cache::AuditVerifyResult verified = log_.verify_not_uploaded();
  {
    const std::lock_guard lock(glance_mutex_);
    glance_.audit_chain_ok = verified.ok;
  }
  if (!verified.ok && reported_break_ != verified.first_bad_seq) {
    reported_break_ = verified.first_bad_seq;
    report(offline_cache::problem_code::kAuditChainBroken,
           "the audit chain does not verify: " + verified.problem +
               "; rows from there on are kept and not uploaded");
  }
  // Rows appended while this round runs wait for the next round's verification.
  const int64_t upload_limit = verified.verified_through;
  for (;;) {
    if (worker_.stopping()) {
      return accepted;  // shutting down: the rest goes at the next start
    }
    auto rows = log_.batch_for_upload(log_.uploaded_through(), kBatch);
    std::erase_if(rows, [upload_limit](const auto& r) { return r.seq > upload_limit; });
    if (rows.empty()) {
      return accepted;
    }
    api::AuditBatch batch;
    batch.terminal = terminal_;
    for (const auto& r : rows) {
      batch.rows.push_back({r.seq, rfc3339_utc(r.at), r.actor, r.action, r.result, r.detail,
                            base::to_hex(r.hash), base::to_hex(r.prev_hash)});
    }
    const std::string key = terminal_ + "-audit-" + std::to_string(rows.front().seq) + "-" +
                            std::to_string(rows.back().seq);
    api::AuditAccepted a;
    try {
      a = api_.upload_audit(batch, key);
    } catch (const CenterError& e) {
      const bool refused =
          (e.kind == center::client::CenterErrorKind::http_rejected && !e.retryable) ||
          e.code == api::code::kAuditChainBroken;
      if (refused && reported_refusal_ == rows.front().seq) {
        throw;  // told once for this batch; the rows wait for staff
      }
      if (refused) {
        reported_refusal_ = rows.front().seq;
      }
      if (e.kind == center::client::CenterErrorKind::http_rejected && !e.retryable) {
        report(offline_cache::problem_code::kAuditUploadRefused,
               "the centre refused audit rows " + std::to_string(rows.front().seq) + " to " +
                   std::to_string(rows.back().seq) + ": HTTP " + std::to_string(e.http_status) +
                   " " + e.code);
      } else if (e.code == api::code::kAuditChainBroken) {
        report(offline_cache::problem_code::kAuditUploadRefused,
               "the centre says audit row " + std::to_string(rows.front().seq) +
                   " does not continue its chain (" + e.server_message + ")");
      }
      throw;
    }
    log_.mark_uploaded(std::min(a.accepted_through, rows.back().seq));
    store_.remember_audit_checkpoint(log_.uploaded_checkpoint());
    if (a.accepted_through < rows.back().seq) {
      // The centre took less than was sent: stop here rather than send the batch in a loop.
      return accepted;
    }
    accepted += static_cast<int64_t>(rows.size());
    if (rows.size() < kBatch) {
      return accepted;
    }
  }
}

void CenterSync::report(const char* code, const std::string& text) {
  if (problems_ != nullptr) {
    problems_->report(code, true, text);
  } else {
    logger("audit")->error("[{}] {}", code, text);
  }
}

bool CenterSync::refresh_reference() {
  const auto cached = reference_.version(kReferenceName);
  const auto fresh = api_.reference(cached ? std::optional(std::to_string(*cached)) : std::nullopt);
  if (!fresh) {
    return false;  // 304: what we have is current
  }
  int64_t version = 0;
  const auto [ptr, ec] = std::from_chars(fresh->version.data(),
                                         fresh->version.data() + fresh->version.size(), version);
  if (ec != std::errc() || ptr != fresh->version.data() + fresh->version.size()) {
    throw center::client::CenterError(center::client::CenterErrorKind::malformed_reply,
                                      "reference data: the version is not a number");
  }
  return reference_.put(kReferenceName, version, api::Json(*fresh).dump());
}

bool CenterSync::refresh_staff() {
  const api::StaffVerifiers fresh = api_.staff_verifiers();
  std::vector<offline_cache::StaffVerifier> staff;
  staff.reserve(fresh.staff.size());
  for (const auto& s : fresh.staff) {
    staff.push_back({s.staff_id, s.role, s.verifier});
  }
  return store_.staff().replace_all(staff);
}

CenterSync::Glance CenterSync::glance() const {
  const std::lock_guard lock(glance_mutex_);
  Glance g = glance_;
  g.center_answered = center_answered();
  return g;
}

std::optional<bool> CenterSync::center_answered() const {
  const int answered = answered_.load();
  return answered < 0 ? std::nullopt : std::optional<bool>(answered == 1);
}

std::chrono::milliseconds CenterSync::round() {
  try {
    const auto asked = std::chrono::steady_clock::now();
    if (refresh_reference()) {
      logger("center")->info("reference data: a newer version cached");
    }
    answered_ = 1;
    const std::lock_guard lock(glance_mutex_);
    glance_.latency = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - asked);
  } catch (const center::client::CenterError& e) {
    answered_ = e.kind == center::client::CenterErrorKind::http_rejected ? 1 : 0;
    logger("center")->warn("reference data: {} (the cached version stays in use)", e.what());
  } catch (const std::exception& e) {
    logger("center")->warn("reference data: {} (the cached version stays in use)", e.what());
  }
  const auto now = std::chrono::steady_clock::now();
  if (!staff_refreshed_ || now - *staff_refreshed_ >= period_) {
    try {
      staff_refreshed_ = now;  // asked: a centre that is away is asked again next period
      if (refresh_staff()) {
        logger("center")->info("staff verifiers: the centre's list cached");
      }
    } catch (const std::exception& e) {
      logger("center")->warn("staff verifiers: {} (the cached copy stays in use)", e.what());
    }
  }
  try {
    const int64_t n = upload_pending();
    if (n > 0) {
      const std::lock_guard lock(glance_mutex_);
      glance_.last_upload = std::chrono::system_clock::now();
      logger("audit")->debug("{} audit row(s) uploaded", n);
    }
  } catch (const std::exception& e) {
    logger("audit")->warn("audit upload: {} (tried again later)", e.what());
  }
  return period_;
}

}  // namespace mk::kiosk
