#include "center/client/center_client.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include "center/api/tls_policy.hpp"
#include "center/api/wire.hpp"
#include "center/client/retry.hpp"

namespace mk::center::client {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A reply larger than this is not a centre API answer; refusing it bounds the memory a broken
// or hostile peer can make us hold.
constexpr std::size_t kMaxReplyBytes = 4U * 1024U * 1024U;
// The worker wakes at least this often even with nothing to do (a safety net; curl_multi_wakeup
// and the timers normally wake it).
constexpr long kMaxPollMs = 1000;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool has_control_char(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

// The path as the log may show it: no query string (it could carry a search term).
std::string loggable_path(const std::string& path) {
  return path.substr(0, path.find('?'));
}

// "application/json; charset=utf-8" -> true; also "application/<x>+json".
bool is_json_content_type(const std::string& content_type) {
  const std::string media =
      lower(trim(std::string_view(content_type)
                     .substr(0, std::min(content_type.size(), content_type.find(';')))));
  return media == "application/json" ||
         (media.starts_with("application/") && media.ends_with("+json"));
}

std::string protocol_name(long version) {
  switch (version) {
    case CURL_HTTP_VERSION_1_0:
      return "HTTP/1.0";
    case CURL_HTTP_VERSION_1_1:
      return "HTTP/1.1";
    case CURL_HTTP_VERSION_2_0:
      return "HTTP/2";
    case CURL_HTTP_VERSION_3:
      return "HTTP/3";
    default:
      return "HTTP/?";
  }
}

// One request from submit() to its callback; lives on the worker thread after submit().
struct Job {
  Request request;
  CenterClient::Callback done;
  std::string url;
  bool idempotent = false;
  int attempts = 0;
  Clock::time_point attempt_start{};
  // The current attempt.
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  std::string reply;
  bool reply_too_large = false;
  std::vector<std::pair<std::string, std::string>> reply_headers;
  std::array<char, CURL_ERROR_SIZE> error_text{};

  std::string what() const {
    return std::string(to_string(request.method)) + " " + loggable_path(request.path);
  }

  // Frees the attempt's curl handle (already removed from the multi handle).
  void release_attempt() {
    if (easy != nullptr) {
      curl_easy_cleanup(easy);
      easy = nullptr;
    }
    if (header_list != nullptr) {
      curl_slist_free_all(header_list);
      header_list = nullptr;
    }
  }
  Job() = default;
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;
  Job(Job&&) = delete;
  Job& operator=(Job&&) = delete;
  // The request body may hold a PIN (inside the TLS body, nowhere else) and the reply personal
  // data: wiped before the memory goes back to the allocator.
  ~Job() {
    release_attempt();
    OPENSSL_cleanse(request.body.data(), request.body.size());
    OPENSSL_cleanse(reply.data(), reply.size());
  }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* job = static_cast<Job*>(user);
  const std::size_t bytes = size * count;
  if (job->reply.size() + bytes > kMaxReplyBytes) {
    job->reply_too_large = true;
    return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
  }
  job->reply.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* job = static_cast<Job*>(user);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    job->reply_headers.clear();  // a new response (after a 100 Continue, say)
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    job->reply_headers.emplace_back(lower(trim(line.substr(0, colon))),
                                    std::string(trim(line.substr(colon + 1))));
  }
  return bytes;
}

CenterError cancelled_error(const Job& job) {
  return CenterError(CenterErrorKind::cancelled,
                     job.what() + ": cancelled, the centre link is shutting down", 0, {}, false,
                     job.attempts);
}

// The envelope {"error":{"code","message","retryable"}} of a non-2xx answer, when there is one.
struct Envelope {
  std::string code;
  std::string message;
  bool retryable = false;
};

std::optional<Envelope> parse_envelope(const std::string& content_type, const std::string& body) {
  if (!is_json_content_type(content_type)) {
    return std::nullopt;
  }
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return std::nullopt;
  }
  const auto error = json.find("error");
  if (error == json.end() || !error->is_object()) {
    return std::nullopt;
  }
  const auto code = error->find("code");
  if (code == error->end() || !code->is_string()) {
    return std::nullopt;
  }
  Envelope envelope;
  envelope.code = code->get<std::string>();
  if (const auto message = error->find("message");
      message != error->end() && message->is_string()) {
    envelope.message = message->get<std::string>();
  }
  if (const auto retryable = error->find("retryable");
      retryable != error->end() && retryable->is_boolean()) {
    envelope.retryable = retryable->get<bool>();
  }
  return envelope;
}

// A transfer that ended without a usable HTTP answer. `verify_result` is OpenSSL's verdict on
// the server's certificate (X509_V_OK = 0 when it was fine or never checked).
// `dropped_after_handshake`: this transfer opened a new connection, completed the TLS handshake
// and lost the connection before any byte of an answer.
CenterError transport_error(const Job& job, CURLcode code, long verify_result,
                            bool dropped_after_handshake) {
  const std::string reason =
      job.error_text[0] != '\0' ? std::string(job.error_text.data()) : curl_easy_strerror(code);
  // OpenSSL names an alert the peer sent as "... alert ..." ("tlsv13 alert certificate
  // required", "tlsv1 alert unknown ca"): the server broke off the handshake, which with a
  // server we trust means it refused our client certificate.
  const bool peer_alert = reason.find("alert") != std::string::npos;
  const auto make = [&](CenterErrorKind kind, bool retryable, const std::string& what) {
    return CenterError(kind, job.what() + ": " + what + " (" + reason + ")", 0, {}, retryable,
                       job.attempts);
  };
  if (verify_result != 0) {
    // curl reports the first error on OpenSSL's queue, which for a certificate from another CA
    // can be an ASN.1 detail rather than "certificate verify failed"; the verdict is certain.
    return make(CenterErrorKind::tls_server_untrusted, false,
                "the server's certificate is not the centre's (X.509 verify error " +
                    std::to_string(verify_result) + ")");
  }
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return make(CenterErrorKind::unreachable, true, "the centre cannot be reached");
    case CURLE_OPERATION_TIMEDOUT:
      return make(CenterErrorKind::timeout, true, "no answer in time");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return make(CenterErrorKind::tls_server_untrusted, false,
                  "the server's certificate is not the centre's");
    case CURLE_SSL_CERTPROBLEM:
      return make(CenterErrorKind::tls_client_refused, false,
                  "our client certificate could not be used");
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
      if (peer_alert) {
        return make(CenterErrorKind::tls_client_refused, false,
                    "the centre refused the TLS handshake (our client certificate)");
      }
      // In TLS 1.3 the server checks our certificate after the client's side of the handshake
      // is done, so its refusal races our request: usually we see only the connection closing
      // (EPIPE, reset) instead of its alert. A server that accepted us does not drop a new
      // connection before answering its first request, so that is read as a refusal too.
      if (dropped_after_handshake) {
        return make(CenterErrorKind::tls_client_refused, false,
                    "the centre closed a new connection right after the TLS handshake (it "
                    "refused our client certificate)");
      }
      return make(CenterErrorKind::unreachable, true, "the connection to the centre broke");
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return make(CenterErrorKind::unreachable, true, "the connection to the centre broke");
    case CURLE_WRITE_ERROR:
      if (job.reply_too_large) {
        return make(CenterErrorKind::malformed_reply, false, "the reply is too large");
      }
      return make(CenterErrorKind::unreachable, false, "the reply could not be received");
    default:
      return make(CenterErrorKind::unreachable, false, "the request failed");
  }
}

// A transfer that got an HTTP answer. Only the centre's own answer counts (docs/center-api.md,
// "Whose answer is it"): a 2xx to a request with an Idempotency-Key must be a JSON object naming
// that key, and a refusal is final only in the centre's envelope with a code it documents as
// final. Anything else (a captive portal's 200 page, a proxy's 403, a 404 from a mistyped URL) is
// reported as retryable: trying later, once the network is right, may reach the centre.
CenterClient::Result http_result(const Job& job, long status, const std::string& content_type,
                                 long http_version) {
  const std::string status_text = "HTTP " + std::to_string(status);
  const auto not_the_centre = [&](const std::string& why) {
    CenterError error(CenterErrorKind::malformed_reply, job.what() + ": " + status_text + " " + why,
                      status, {}, true, job.attempts);
    error.content_type = content_type;
    return error;
  };
  if ((status >= 200 && status < 300) || status == 304) {
    Response response;
    response.http_status = status;
    response.attempts = job.attempts;
    response.protocol = protocol_name(http_version);
    response.headers = job.reply_headers;
    if (job.request.idempotency_key && (status == 204 || status == 304)) {
      return not_the_centre("has no body to name the request's idempotency key");
    }
    if (status == 204 || status == 304) {
      return response;
    }
    if (!is_json_content_type(content_type)) {
      return not_the_centre("with content type \"" + content_type + "\", not application/json");
    }
    response.body = nlohmann::json::parse(job.reply, nullptr, false);
    if (response.body.is_discarded()) {
      return not_the_centre("body is not JSON");
    }
    if (const auto& key = job.request.idempotency_key) {
      const auto echoed = response.body.is_object() ? response.body.find(api::kEchoedKeyField)
                                                    : response.body.end();
      if (echoed == response.body.end() || !echoed->is_string() ||
          echoed->get_ref<const std::string&>() != *key) {
        return not_the_centre("does not name the request's idempotency key");
      }
    }
    return response;
  }
  const auto envelope = parse_envelope(content_type, job.reply);
  const std::string code = envelope ? envelope->code : std::string();
  const std::string message = envelope ? envelope->message : std::string();
  const bool envelope_retryable = envelope && envelope->retryable;
  const bool final_refusal = envelope && api::is_final_refusal(code);
  const std::string described = job.what() + ": " + status_text +
                                (envelope ? " " + code : std::string(" without an error envelope"));
  CenterError error(CenterErrorKind::malformed_reply, job.what() + ": unexpected " + status_text,
                    status, code, false, job.attempts, message);
  if (status >= 400 && status < 500) {
    error =
        CenterError(CenterErrorKind::http_rejected, described, status, code,
                    status == 429 || envelope_retryable || !final_refusal, job.attempts, message);
  } else if (status >= 500 && status < 600) {
    const bool gateway = status == 502 || status == 503 || status == 504;
    error = CenterError(CenterErrorKind::server_error, described, status, code,
                        gateway || envelope_retryable, job.attempts, message);
  }
  error.content_type = content_type;
  return error;
}

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

std::string_view to_string(Method method) {
  switch (method) {
    case Method::get:
      return "GET";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
    case Method::patch:
      return "PATCH";
    case Method::del:
      return "DELETE";
  }
  return "GET";
}

Request Request::get(std::string path) {
  Request r;
  r.method = Method::get;
  r.path = std::move(path);
  return r;
}

Request Request::post(std::string path, std::string json_body) {
  Request r;
  r.method = Method::post;
  r.path = std::move(path);
  r.body = std::move(json_body);
  return r;
}

Request& Request::with_idempotency_key(std::string key) {
  idempotency_key = std::move(key);
  return *this;
}

Request& Request::with_timeout(std::chrono::milliseconds total) {
  timeout = total;
  return *this;
}

Request& Request::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

struct CenterClient::Worker {
  CenterLinkConfig config;
  Hooks hooks;
  std::string url_prefix;  // the base URL without a trailing '/'
  CURLM* multi = nullptr;
  CURLSH* share = nullptr;

  std::mutex mutex;  // guards incoming and stopping
  std::vector<std::unique_ptr<Job>> incoming;
  bool stopping = false;

  // Worker thread only.
  std::unordered_map<CURL*, std::unique_ptr<Job>> in_flight;
  std::multimap<Clock::time_point, std::unique_ptr<Job>> waiting;  // retries not yet due
  std::mt19937_64 rng{std::random_device{}()};

  std::thread thread;

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
    {
      const std::lock_guard lock(mutex);
      stopping = true;
    }
    curl_multi_wakeup(multi);
    if (thread.joinable()) {
      thread.join();
    }
    release_curl();
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
    {
      const std::lock_guard lock(mutex);
      if (!stopping) {
        incoming.push_back(std::move(job));
      }
    }
    if (job) {  // not taken: the client is shutting down
      complete(*job, cancelled_error(*job));
      return;
    }
    curl_multi_wakeup(multi);
  }

  void run() {
    while (true) {
      std::vector<std::unique_ptr<Job>> fresh;
      {
        const std::lock_guard lock(mutex);
        if (stopping) {
          break;
        }
        fresh.swap(incoming);
      }
      for (auto& job : fresh) {
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
    std::vector<std::unique_ptr<Job>> left;
    {
      const std::lock_guard lock(mutex);
      left.swap(incoming);
    }
    for (auto& job : left) {
      complete(*job, cancelled_error(*job));
    }
  }
};

CenterClient::CenterClient(CenterLinkConfig config, Hooks hooks)
    : worker_(std::make_unique<Worker>(std::move(config), std::move(hooks))) {}

CenterClient::~CenterClient() = default;

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
