// The retry policy as pure functions: backoff with an injected draw, which failures are retried,
// and the text key each error kind maps to.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "center/client/center_error.hpp"
#include "center/client/retry.hpp"

namespace mk::center::client {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

RetryPolicy policy(double jitter = 1.0) {
  return {.max_attempts = 4, .base_delay = 100ms, .max_delay = 1000ms, .jitter = jitter};
}

CenterError failure(CenterErrorKind kind, long status = 0, bool retryable = true) {
  return CenterError(kind, "test", status, {}, retryable, 1);
}

TEST(Backoff, CeilingDoublesUpToTheCap) {
  const auto p = policy();
  EXPECT_EQ(backoff_delay(p, 1, 0.0), 100ms);
  EXPECT_EQ(backoff_delay(p, 2, 0.0), 200ms);
  EXPECT_EQ(backoff_delay(p, 3, 0.0), 400ms);
  EXPECT_EQ(backoff_delay(p, 4, 0.0), 800ms);
  EXPECT_EQ(backoff_delay(p, 5, 0.0), 1000ms);
  EXPECT_EQ(backoff_delay(p, 64, 0.0), 1000ms) << "a huge retry number neither overflows nor wraps";
}

TEST(Backoff, FullJitterScalesTheCeilingByTheDraw) {
  const auto p = policy(1.0);
  EXPECT_EQ(backoff_delay(p, 1, 0.5), 50ms);
  EXPECT_EQ(backoff_delay(p, 3, 0.75), 100ms);
  EXPECT_EQ(backoff_delay(p, 9, 0.9), 100ms);
  EXPECT_EQ(backoff_delay(p, 2, 0.999999), 0ms);
}

TEST(Backoff, PartialAndNoJitter) {
  EXPECT_EQ(backoff_delay(policy(0.0), 2, 0.9), 200ms) << "no jitter ignores the draw";
  EXPECT_EQ(backoff_delay(policy(0.5), 2, 1.0), 100ms) << "half jitter keeps at least half";
  EXPECT_EQ(backoff_delay(policy(0.5), 2, 0.0), 200ms);
}

TEST(RetryDelay, OnlyIdempotentRequestsAreRetried) {
  const auto unavailable = failure(CenterErrorKind::server_error, 503);
  EXPECT_EQ(retry_delay(policy(), unavailable, true, 1, std::nullopt, 0.0), 100ms);
  EXPECT_EQ(retry_delay(policy(), unavailable, false, 1, std::nullopt, 0.0), std::nullopt);
}

TEST(RetryDelay, StopsAtMaxAttempts) {
  const auto timeout = failure(CenterErrorKind::timeout);
  EXPECT_TRUE(retry_delay(policy(), timeout, true, 3, std::nullopt, 0.0).has_value());
  EXPECT_FALSE(retry_delay(policy(), timeout, true, 4, std::nullopt, 0.0).has_value());
}

TEST(RetryDelay, WhichFailuresAreCandidates) {
  EXPECT_TRUE(is_retry_candidate(failure(CenterErrorKind::unreachable)));
  EXPECT_TRUE(is_retry_candidate(failure(CenterErrorKind::timeout)));
  EXPECT_TRUE(is_retry_candidate(failure(CenterErrorKind::server_error, 503)));
  EXPECT_TRUE(is_retry_candidate(failure(CenterErrorKind::server_error, 500, true)))
      << "a 500 whose envelope says retryable";
  EXPECT_FALSE(is_retry_candidate(failure(CenterErrorKind::server_error, 500, false)));
  EXPECT_TRUE(is_retry_candidate(failure(CenterErrorKind::http_rejected, 429)));
  EXPECT_FALSE(is_retry_candidate(failure(CenterErrorKind::http_rejected, 409, true)))
      << "a 4xx other than 429 is for the flow to handle, even when retryable";
  EXPECT_FALSE(is_retry_candidate(failure(CenterErrorKind::tls_server_untrusted)));
  EXPECT_FALSE(is_retry_candidate(failure(CenterErrorKind::tls_client_refused)));
  EXPECT_FALSE(is_retry_candidate(failure(CenterErrorKind::malformed_reply)));
  EXPECT_FALSE(is_retry_candidate(failure(CenterErrorKind::cancelled)));
}

TEST(RetryDelay, RetryAfterIsHonouredUpToTheCap) {
  const auto busy = failure(CenterErrorKind::http_rejected, 429);
  EXPECT_EQ(retry_delay(policy(), busy, true, 1, std::chrono::seconds(1), 0.5), 1000ms);
  EXPECT_EQ(retry_delay(policy(), busy, true, 1, std::chrono::seconds(2), 0.5), std::nullopt)
      << "longer than max_delay: give up now and let the flow say so";
}

TEST(UserMessageKey, EveryKindHasItsOwnKeyInBothCatalogs) {
  const CenterErrorKind kinds[] = {
      CenterErrorKind::unreachable,          CenterErrorKind::timeout,
      CenterErrorKind::tls_server_untrusted, CenterErrorKind::tls_client_refused,
      CenterErrorKind::http_rejected,        CenterErrorKind::server_error,
      CenterErrorKind::malformed_reply,      CenterErrorKind::cancelled};
  const auto read = [](const char* name) {
    std::ifstream in(std::filesystem::path(MK_SOURCE_DIR) / "assets/texts" / name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const std::string ja = read("ja.toml");
  const std::string en = read("en.toml");
  std::set<std::string_view> keys;
  for (const auto kind : kinds) {
    const auto key = user_message_key(failure(kind));
    EXPECT_EQ(key, "center.error." + std::string(to_string(kind)));
    keys.insert(key);
    const std::string table = "[" + std::string(key) + "]";
    EXPECT_NE(ja.find(table), std::string::npos) << "ja.toml lacks " << key;
    EXPECT_NE(en.find(table), std::string::npos) << "en.toml lacks " << key;
  }
  EXPECT_EQ(keys.size(), std::size(kinds));
}

}  // namespace
}  // namespace mk::center::client
