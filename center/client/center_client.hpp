#pragma once

// The kiosk's HTTPS transport to the centre (docs/center-link.md): one worker thread runs a
// libcurl multi handle, so every request shares the TLS connections (HTTP/2 multiplexed when the
// centre speaks it, a few HTTP/1.1 connections otherwise), and nobody's thread blocks on the
// network. Generic over JSON bodies; the typed centre API (center/api) sits on top.
//
//   CenterClient link(config);                       // validates config, starts the worker
//   Response reply = link.call(Request::get("/v1/ping"));           // blocking; throws CenterError
//   link.submit(request, [](CenterClient::Result r) { ... });        // callback on the worker
//
// Request and reply bodies are never logged: they carry personal data, and PINs only travel
// inside a TLS body.

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "center/client/center_error.hpp"
#include "center/client/center_link_config.hpp"

namespace mk::center::client {

enum class Method { get, post, put, patch, del };

std::string_view to_string(Method method);  // "GET", "POST", ...

struct Request {
  Method method = Method::get;
  std::string path;  // under the base URL, starting with '/': "/v1/holders/lookup"
  std::string body;  // JSON text; empty for none
  // Sent as Idempotency-Key; a request with one counts as idempotent (the centre replays the
  // first answer to a repeated key), so it may be retried.
  std::optional<std::string> idempotency_key;
  bool idempotent = false;  // set for a PUT/DELETE that is safe to repeat; GET always is
  std::optional<std::chrono::milliseconds> timeout;  // overrides total_timeout for each attempt
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. If-None-Match

  bool is_idempotent() const {
    return idempotent || method == Method::get || idempotency_key.has_value();
  }

  // Request::post("/v1/consents", body).with_idempotency_key(key).with_timeout(30s)
  static Request get(std::string path);
  static Request post(std::string path, std::string json_body);
  Request& with_idempotency_key(std::string key);
  Request& with_timeout(std::chrono::milliseconds total);
  Request& with_header(std::string name, std::string value);
};

struct Response {
  long http_status = 0;  // 2xx, or 304 for a conditional GET
  nlohmann::json body;   // the parsed JSON; null for 204 and 304
  int attempts = 0;
  std::string protocol;                                      // "HTTP/2" or "HTTP/1.1"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case

  // The first header of that (lower-case) name, or nothing.
  std::optional<std::string> header(std::string_view name) const;
};

// One attempt as the log sees it: no bodies, no query string.
struct AttemptRecord {
  Method method = Method::get;
  std::string path;
  long http_status = 0;  // 0 when no HTTP answer came
  int attempt = 0;
  std::chrono::milliseconds elapsed{0};
  std::optional<CenterErrorKind> error;
  std::string reason;                                 // transport or envelope reason, English
  std::optional<std::chrono::milliseconds> retry_in;  // set when another attempt is scheduled
};

class CenterClient {
 public:
  using Result = std::variant<Response, CenterError>;
  using Callback = std::function<void(Result)>;

  struct Hooks {
    // A uniform draw in [0, 1) for the retry jitter; default a seeded std::mt19937_64. Called on
    // the worker thread only.
    std::function<double()> random_unit;
    // Receives every attempt; default: one line per attempt to the spdlog logger "center" (or
    // the default logger when "center" is not registered). Called on the worker thread.
    std::function<void(const AttemptRecord&)> on_attempt;
  };

  // Validates the configuration (throws CenterConfigError) and starts the worker thread.
  explicit CenterClient(CenterLinkConfig config, Hooks hooks = {});
  // Cancels every outstanding request (their callbacks get a `cancelled` error, their futures
  // throw it) and joins the worker.
  ~CenterClient();
  // The same, now: a shutdown that must not wait for a retry's back-off (a round of the centre
  // sync waiting on an unreachable centre). Later submissions complete as `cancelled` at once.
  void stop();
  CenterClient(const CenterClient&) = delete;
  CenterClient& operator=(const CenterClient&) = delete;
  CenterClient(CenterClient&&) = delete;
  CenterClient& operator=(CenterClient&&) = delete;

  // Queues a request. `done` runs on the worker thread exactly once, with the response or the
  // error; keep it short (post an event) and never call call() from it. Throws
  // std::invalid_argument at once for a request that cannot be sent (a path that is not
  // "/...", a body that is not JSON, a header with a line break).
  void submit(Request request, Callback done);
  // The same, as a future whose get() returns the Response or throws CenterError.
  std::future<Response> submit(Request request);
  // Blocks the calling thread (never the worker) until the answer; throws CenterError.
  Response call(Request request);

  const CenterLinkConfig& config() const;

 private:
  struct Worker;
  std::unique_ptr<Worker> worker_;
};

}  // namespace mk::center::client
