#pragma once

// When to try a failed request again, and after how long: pure functions, so the policy is
// tested without a network or a clock (docs/center-link.md, "Retries").

#include <chrono>
#include <optional>

#include "center/client/center_error.hpp"
#include "center/client/center_link_config.hpp"

namespace mk::center::client {

// The delay before retry number `retry` (1 = the one after the first attempt): exponential
// backoff with jitter. ceiling = min(max_delay, base_delay * 2^(retry-1)); the delay is
// ceiling * (1 - jitter * u), so with full jitter (1.0) it is uniform in (0, ceiling].
// `u` is a uniform draw in [0, 1) from the client's random source.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double u);

// Whether this kind of failure is worth an automatic retry at all: no answer (unreachable,
// timeout), 429, 502, 503, 504, and other 5xx whose envelope says retryable. TLS refusals, other
// 4xx, malformed replies and cancellation never are.
bool is_retry_candidate(const CenterError& failure);

// The delay before the next attempt, or nothing when the request must fail now: it is not
// idempotent, the failure is no retry candidate, `attempts` reached max_attempts, or the server
// asked (Retry-After) for a longer wait than max_delay. A Retry-After within the cap is honoured
// (the delay is never shorter than it).
std::optional<std::chrono::milliseconds> retry_delay(
    const RetryPolicy& policy, const CenterError& failure, bool idempotent, int attempts,
    std::optional<std::chrono::seconds> retry_after, double u);

}  // namespace mk::center::client
