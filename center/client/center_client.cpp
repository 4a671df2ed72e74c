#include "center/client/center_client.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "base/job_queue.hpp"
#include "center/api/tls_policy.hpp"
#include "center/client/answer.hpp"
#include "center/client/http_text.hpp"
#include "center/client/retry.hpp"
#include "center/client/transfer.hpp"

namespace mk::center::client {

namespace {

using detail::cancelled_error;
using detail::Clock;
using detail::has_control_char;
using detail::http_result;
using detail::Job;
using detail::loggable_path;
using detail::on_body;
using detail::on_header;
using detail::transport_error;
using std::chrono::milliseconds;

// With nothing to do the worker sleeps this long: curl_multi_wakeup is kept until the next poll
// (libcurl writes to a socket pair), so a job submitted just before it is never missed, and
// curl_multi_timeout brings the wake-ups libcurl's own timers need. An idle kiosk uses no CPU.
constexpr long kMaxPollMs = 3'600'000;

void log_attempt(spdlog::logger& log, const AttemptRecord& r) {
  const std::string status = r.http_status != 0 ? std::to_string(r.http_status) : "-";
  if (!r.error) {
    log.info("{} {} -> {} (attempt {}, {} ms)", to_string(r.method), r.path, status, r.attempt,
             r.elapsed.count());
    return;
  }
  if (r.retry_in) {
    log.info("{} {} -> {} {} (attempt {}, {} ms); retry in {} ms: {}", to_string(r.method), r.path,
             status, to_string(*r.error), r.attempt, r.elapsed.count(), r.retry_in->count(),
             r.reason);
    return;
  }
  log.warn("{} {} -> {} {} (attempt {}, {} ms): {}", to_string(r.method), r.path, status,
           to_string(*r.error), r.attempt, r.elapsed.count(), r.reason);
}

void check_request(const Request& request) {
  if (!request.path.starts_with('/') || has_control_char(request.path) ||
      request.path.find(' ') != std::string::npos) {
    throw std::invalid_argument("centre request: path \"" + request.path +
                                "\" must start with '/' and hold no spaces or control characters");
  }
  if (!request.body.empty() && !nlohmann::json::accept(request.body)) {
    throw std::invalid_argument("centre request " + loggable_path(request.path) +
                                ": body is not JSON");
  }
  if (request.idempotency_key &&
      (request.idempotency_key->empty() || request.idempotency_key->size() > 255 ||
       has_control_char(*request.idempotency_key))) {
    throw std::invalid_argument("centre request " + loggable_path(request.path) +
                                ": Idempotency-Key must be 1 to 255 printable characters");
  }
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || has_control_char(name) || has_control_char(value) ||
        name.find(':') != std::string::npos) {
      throw std::invalid_argument("centre request " + loggable_path(request.path) + ": header \"" +
                                  name + "\" is not a valid header");
    }
  }
  if (request.timeout && *request.timeout <= milliseconds::zero()) {
    throw std::invalid_argument("centre request " + loggable_path(request.path) +
                                ": timeout must be positive");
  }
}

}  // namespace

struct CenterClient::Worker {
  CenterLinkConfig config;
  Hooks hooks;
  std::string url_prefix;  // the base URL without a trailing '/'
  CURLM* multi = nullptr;
  CURLSH* share = nullptr;

  base::JobQueue<std::unique_ptr<Job>> incoming;  // closed when the client stops

  // Worker thread only.
  std::unordered_map<CURL*, std::unique_ptr<Job>> in_flight;
  std::multimap<Clock::time_point, std::unique_ptr<Job>> waiting;  // retries not yet due
  std::mt19937_64 rng{std::random_device{}()};

  std::thread thread;
  std::mutex stop_mutex;  // stop() from two threads joins once

  Worker(CenterLinkConfig link_config, Hooks link_hooks)
      : config(std::move(link_config)), hooks(std::move(link_hooks)) {
    validate(config);
    url_prefix = config.base_url;
    while (url_prefix.ends_with('/')) {
      url_prefix.pop_back();
    }
    if (!hooks.random_unit) {
      hooks.random_unit = [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); };
    }
    if (!hooks.on_attempt) {
      auto log = spdlog::get("center");
      if (!log) {
        log = spdlog::default_logger();
      }
      hooks.on_attempt = [log](const AttemptRecord& r) { log_attempt(*log, r); };
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("centre link: libcurl failed to initialise");
    }
    multi = curl_multi_init();
    share = curl_share_init();
    if (multi == nullptr || share == nullptr) {
      release_curl();
      throw std::runtime_error("centre link: libcurl failed to initialise");
    }
    // One thread uses every handle, so the share needs no lock callbacks. TLS sessions are not
    // shared: cpp-httplib (the simulator) answers concurrent resumptions of one session with an
    // internal_error alert, and reused connections make full handshakes rare anyway.
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, config.max_host_connections);
    thread = std::thread([this] { run(); });
  }

  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  Worker(Worker&&) = delete;
  Worker& operator=(Worker&&) = delete;

  ~Worker() {
    stop();
    release_curl();
  }

  void stop() {
    const std::lock_guard once(stop_mutex);
    auto left = incoming.close();
    curl_multi_wakeup(multi);
    if (thread.joinable()) {
      thread.join();
    }
    for (auto& job : left) {  // submitted, never started
      complete(*job, cancelled_error(*job));
    }
  }

  void release_curl() {
    if (multi != nullptr) {
      curl_multi_cleanup(multi);
      multi = nullptr;
    }
    if (share != nullptr) {
      curl_share_cleanup(share);
      share = nullptr;
    }
    curl_global_cleanup();
  }

  void submit(std::unique_ptr<Job> job) {
    if (auto refused = incoming.offer(std::move(job))) {  // the client is shutting down
      complete(**refused, cancelled_error(**refused));
      return;
    }
    curl_multi_wakeup(multi);
  }

  void run() {
    while (!incoming.closed()) {
      for (auto& job : incoming.take_all()) {
        start_attempt(std::move(job));
      }
      const auto now = Clock::now();
      while (!waiting.empty() && waiting.begin()->first <= now) {
        auto node = waiting.extract(waiting.begin());
        start_attempt(std::move(node.mapped()));
      }
      int running = 0;
      curl_multi_perform(multi, &running);
      int queued = 0;
      while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
        if (message->msg == CURLMSG_DONE) {
          CURL* easy = message->easy_handle;
          const CURLcode result = message->data.result;
          finish_attempt(easy, result);
        }
      }
      curl_multi_poll(multi, nullptr, 0, static_cast<int>(poll_timeout_ms()), nullptr);
    }
    cancel_all();
  }

  long poll_timeout_ms() {
    long timeout = kMaxPollMs;
    long curl_timeout = -1;
    curl_multi_timeout(multi, &curl_timeout);
    if (curl_timeout >= 0) {
      timeout = std::min(timeout, curl_timeout);
    }
    if (!waiting.empty()) {
      const auto until =
          std::chrono::ceil<milliseconds>(waiting.begin()->first - Clock::now()).count();
      timeout = std::min(timeout, std::max(0L, static_cast<long>(until)));
    }
    return timeout;
  }

  void start_attempt(std::unique_ptr<Job> job) {
    ++job->attempts;
    job->attempt_start = Clock::now();
    job->reply.clear();
    job->reply_too_large = false;
    job->reply_headers.clear();
    job->error_text[0] = '\0';
    job->easy = curl_easy_init();
    if (job->easy == nullptr) {
      complete(*job, CenterError(CenterErrorKind::unreachable,
                                 job->what() + ": cannot create a transfer (out of memory)", 0, {},
                                 false, job->attempts));
      return;
    }
    configure(*job);
    if (curl_multi_add_handle(multi, job->easy) != CURLM_OK) {
      job->release_attempt();
      complete(*job, CenterError(CenterErrorKind::unreachable,
                                 job->what() + ": cannot start the transfer", 0, {}, false,
                                 job->attempts));
      return;
    }
    CURL* easy = job->easy;
    in_flight.emplace(easy, std::move(job));
  }

  void configure(Job& job) {
    CURL* e = job.easy;
    const Request& r = job.request;
    curl_easy_setopt(e, CURLOPT_URL, job.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);  // wait to learn whether h2 can multiplex
    curl_easy_setopt(e, CURLOPT_SHARE, share);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    // Trust the pinned centre CA and nothing else: CAPATH (the system store) is cleared.
    curl_easy_setopt(e, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    curl_easy_setopt(e, CURLOPT_SSL_CIPHER_LIST, api::kTls12Ciphers);
    curl_easy_setopt(e, CURLOPT_TLS13_CIPHERS, api::kTls13Suites);
    curl_easy_setopt(e, CURLOPT_CAINFO, config.ca_file.c_str());
    curl_easy_setopt(e, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!config.pinned_public_key.empty()) {
      curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, config.pinned_public_key.c_str());
    }
    // curl (OpenSSL) reads the key file when it opens a connection; we never hold the key.
    curl_easy_setopt(e, CURLOPT_SSLCERT, config.client_cert_file.c_str());
    curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(e, CURLOPT_SSLKEY, config.client_key_file.c_str());
    curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
    const milliseconds total = r.timeout.value_or(config.total_timeout);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(config.connect_timeout, total).count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, job.error_text.data());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &job);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &job);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "MynaKiosk");

    const bool has_body = !r.body.empty() || r.method == Method::post;
    switch (r.method) {
      case Method::get:
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        break;
      case Method::post:
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        break;
      case Method::put:
      case Method::patch:
      case Method::del:
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, std::string(to_string(r.method)).c_str());
        break;
    }
    if (has_body) {
      // Points into job.request, which outlives the transfer; curl does not copy it.
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.c_str());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    }

    curl_slist* headers = nullptr;
    const auto add = [&](const std::string& line) {
      if (curl_slist* grown = curl_slist_append(headers, line.c_str())) {
        headers = grown;
      }
    };
    add("Accept: application/json");
    add("Expect:");  // no 100-continue round trip for bodies
    if (has_body) {
      add("Content-Type: application/json");
    }
    add("X-Terminal-Id: " + config.terminal_id);
    if (r.idempotency_key) {
      add("Idempotency-Key: " + *r.idempotency_key);
    }
    for (const auto& [name, value] : r.headers) {
      add(name + ": " + value);
    }
    job.header_list = headers;
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
  }

  void finish_attempt(CURL* easy, CURLcode code) {
    const auto found = in_flight.find(easy);
    if (found == in_flight.end()) {
      return;
    }
    std::unique_ptr<Job> job = std::move(found->second);
    in_flight.erase(found);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    char* content_type_raw = nullptr;
    curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type_raw);
    const std::string content_type = content_type_raw != nullptr ? content_type_raw : "";
    curl_off_t retry_after_s = 0;
    curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after_s);
    long http_version = 0;
    curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &http_version);
    long verify_result = 0;
    curl_easy_getinfo(easy, CURLINFO_SSL_VERIFYRESULT, &verify_result);
    long new_connections = 0;
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &new_connections);
    curl_off_t handshake_done_us = 0;
    curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &handshake_done_us);
    long header_bytes = 0;
    curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &header_bytes);
    const bool dropped_after_handshake =
        new_connections > 0 && handshake_done_us > 0 && header_bytes == 0;
    curl_multi_remove_handle(multi, easy);
    job->release_attempt();

    Result result =
        code == CURLE_OK
            ? http_result(*job, status, content_type, http_version)
            : Result(transport_error(*job, code, verify_result, dropped_after_handshake));
    AttemptRecord record;
    record.method = job->request.method;
    record.path = loggable_path(job->request.path);
    record.http_status = code == CURLE_OK ? status : 0;
    record.attempt = job->attempts;
    record.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - job->attempt_start);
    if (const auto* error = std::get_if<CenterError>(&result)) {
      record.error = error->kind;
      record.reason = error->what();
      if (job->idempotent && is_retry_candidate(*error)) {
        std::optional<std::chrono::seconds> retry_after;
        if (retry_after_s > 0) {
          retry_after = std::chrono::seconds(retry_after_s);
        }
        record.retry_in = retry_delay(config.retry, *error, job->idempotent, job->attempts,
                                      retry_after, hooks.random_unit());
      }
    }
    report(record);
    // The reply may carry personal data; it is parsed now, so hold it no longer.
    OPENSSL_cleanse(job->reply.data(), job->reply.size());
    job->reply.clear();
    job->reply.shrink_to_fit();
    if (record.retry_in) {
      waiting.emplace(Clock::now() + *record.retry_in, std::move(job));
      return;
    }
    complete(*job, std::move(result));
  }

  void report(const AttemptRecord& record) {
    try {
      hooks.on_attempt(record);
    } catch (const std::exception&) {  // a failing log must not take the link down
    }
  }

  static void complete(Job& job, Result result) {
    try {
      job.done(std::move(result));
    } catch (const std::exception& e) {
      spdlog::error("centre link: a completion handler threw: {}", e.what());
    } catch (...) {
      spdlog::error("centre link: a completion handler threw");
    }
  }

  void cancel_all() {
    for (auto& [easy, job] : in_flight) {
      curl_multi_remove_handle(multi, easy);
      job->release_attempt();
      complete(*job, cancelled_error(*job));
    }
    in_flight.clear();
    for (auto& [due, job] : waiting) {
      complete(*job, cancelled_error(*job));
    }
    waiting.clear();
  }
};

CenterClient::CenterClient(CenterLinkConfig config, Hooks hooks)
    : worker_(std::make_unique<Worker>(std::move(config), std::move(hooks))) {}

CenterClient::~CenterClient() = default;

void CenterClient::stop() {
  worker_->stop();
}

const CenterLinkConfig& CenterClient::config() const {
  return worker_->config;
}

void CenterClient::submit(Request request, Callback done) {
  check_request(request);
  if (!done) {
    throw std::invalid_argument("centre request: no completion handler");
  }
  auto job = std::make_unique<Job>();
  job->idempotent = request.is_idempotent();
  job->url = worker_->url_prefix + request.path;
  job->request = std::move(request);
  job->done = std::move(done);
  worker_->submit(std::move(job));
}

std::future<Response> CenterClient::submit(Request request) {
  auto promise = std::make_shared<std::promise<Response>>();
  auto future = promise->get_future();
  submit(std::move(request), [promise](Result result) {
    if (auto* response = std::get_if<Response>(&result)) {
      promise->set_value(std::move(*response));
    } else {
      promise->set_exception(std::make_exception_ptr(std::get<CenterError>(std::move(result))));
    }
  });
  return future;
}

Response CenterClient::call(Request request) {
  if (std::this_thread::get_id() == worker_->thread.get_id()) {
    throw std::logic_error("centre link: call() on the worker thread would wait for itself");
  }
  return submit(std::move(request)).get();
}

}  // namespace mk::center::client
