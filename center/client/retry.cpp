#include "center/client/retry.hpp"

#include <algorithm>
#include <cmath>

namespace mk::center::client {

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double u) {
  using std::chrono::milliseconds;
  const double base = static_cast<double>(policy.base_delay.count());
  const double cap = static_cast<double>(policy.max_delay.count());
  // 2^30 times any sane base is past any cap; clamping the exponent keeps the double finite.
  const int exponent = std::clamp(retry - 1, 0, 30);
  const double ceiling = std::min(cap, std::ldexp(base, exponent));
  const double share = 1.0 - std::clamp(policy.jitter, 0.0, 1.0) * std::clamp(u, 0.0, 1.0);
  return milliseconds(static_cast<milliseconds::rep>(std::llround(ceiling * share)));
}

bool is_retry_candidate(const CenterError& failure) {
  switch (failure.kind) {
    case CenterErrorKind::unreachable:
    case CenterErrorKind::timeout:
      return failure.retryable;
    case CenterErrorKind::server_error:
      return failure.retryable;  // 502/503/504 always, other 5xx when the envelope says so
    case CenterErrorKind::http_rejected:
      return failure.http_status == 429;
    case CenterErrorKind::tls_server_untrusted:
    case CenterErrorKind::tls_client_refused:
    case CenterErrorKind::malformed_reply:
    case CenterErrorKind::cancelled:
      return false;
  }
  return false;
}

std::optional<std::chrono::milliseconds> retry_delay(
    const RetryPolicy& policy, const CenterError& failure, bool idempotent, int attempts,
    std::optional<std::chrono::seconds> retry_after, double u) {
  if (!idempotent || !is_retry_candidate(failure) || attempts >= policy.max_attempts) {
    return std::nullopt;
  }
  auto delay = backoff_delay(policy, attempts, u);
  if (retry_after) {
    const auto asked = std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after);
    if (asked > policy.max_delay) {
      return std::nullopt;  // the centre wants a longer pause than a person should wait
    }
    delay = std::max(delay, asked);
  }
  return delay;
}

}  // namespace mk::center::client
