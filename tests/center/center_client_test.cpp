// The centre link against a real HTTPS server on loopback (cpp-httplib, mutual TLS with the test
// TLS world): replies, envelopes, retries, timeouts, refused and untrusted TLS peers, many
// requests on the one worker thread, cancellation at shutdown.
#include "center/client/center_client.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include "center/client/retry.hpp"
#include "center/sim/test_tls.hpp"
#include "tests/center/https_test_server.hpp"

namespace mk::center::client {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using sim::TestTls;
using test::envelope;
using test::HttpsTestServer;

constexpr double kDraw = 0.25;  // what the injected random source always returns

void reply_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

class CenterClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(testing::TempDir()) / ("center-client-tls-" + std::to_string(::getpid()));
    tls_ = std::make_unique<TestTls>(sim::ensure_test_tls(dir_));
  }
  static void TearDownTestSuite() {
    tls_.reset();
    fs::remove_all(dir_);
  }

  // A server with the centre's certificate (or the rogue one) that requires a kiosk certificate
  // from the centre CA.
  static std::unique_ptr<HttpsTestServer> make_server(bool rogue_cert = false) {
    return std::make_unique<HttpsTestServer>(
        rogue_cert ? tls_->rogue_server_cert : tls_->server_cert,
        rogue_cert ? tls_->rogue_server_key : tls_->server_key, tls_->ca_cert);
  }

  enum class Method { get, post };
  // A started server that records every request of `method` to `path` and answers it with
  // `status` and the JSON `body`.
  static std::unique_ptr<HttpsTestServer> answering(Method method, const std::string& path,
                                                    int status, const std::string& body) {
    auto server = make_server();
    HttpsTestServer* raw = server.get();
    const auto handler = [raw, status, body](const httplib::Request& req, httplib::Response& res) {
      raw->record(req);
      reply_json(res, status, body);
    };
    if (method == Method::get) {
      server->http().Get(path, handler);
    } else {
      server->http().Post(path, handler);
    }
    server->start();
    return server;
  }

  static CenterLinkConfig config_for(const std::string& url) {
    CenterLinkConfig c;
    c.base_url = url;
    c.ca_file = tls_->ca_cert;
    c.client_cert_file = tls_->client_cert;
    c.client_key_file = tls_->client_key;
    c.terminal_id = sim::kTestTerminalId;
    c.connect_timeout = 5s;
    c.total_timeout = 10s;
    c.retry = {.max_attempts = 3, .base_delay = 20ms, .max_delay = 2000ms, .jitter = 1.0};
    return c;
  }

  CenterClient::Hooks hooks() {
    CenterClient::Hooks h;
    h.random_unit = [this] {
      ++draws_;
      return kDraw;
    };
    h.on_attempt = [this](const AttemptRecord& r) {
      const std::lock_guard lock(mutex_);
      records_.push_back(r);
    };
    return h;
  }

  std::vector<AttemptRecord> records() {
    const std::lock_guard lock(mutex_);
    return records_;
  }

  static CenterError error_of(const std::function<Response()>& call) {
    try {
      call();
    } catch (const CenterError& e) {
      return e;
    }
    ADD_FAILURE() << "the request succeeded";
    return CenterError(CenterErrorKind::cancelled, "no error");
  }

  static inline fs::path dir_;
  static inline std::unique_ptr<TestTls> tls_;
  std::mutex mutex_;
  std::vector<AttemptRecord> records_;
  std::atomic<int> draws_{0};
};

TEST_F(CenterClientTest, GetReturnsTheParsedJsonAndTheServerSeesOurCertificate) {
  auto server = answering(Method::get, "/v1/ping", 200, R"({"ok":true,"centre":"test"})");
  CenterClient link(config_for(server->url()), hooks());

  const Response r = link.call(Request::get("/v1/ping"));

  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body.at("centre"), "test");
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.protocol, "HTTP/1.1") << "cpp-httplib has no HTTP/2; curl falls back";
  ASSERT_EQ(server->count(), 1U);
  const auto seen = server->seen().front();
  EXPECT_EQ(seen.client_cn, sim::kTestTerminalId);
  EXPECT_EQ(seen.header("X-Terminal-Id"), sim::kTestTerminalId);
  EXPECT_EQ(seen.header("Accept"), "application/json");
  EXPECT_FALSE(seen.headers.contains("Idempotency-Key"));
}

TEST_F(CenterClientTest, PostSendsBodyIdempotencyKeyAndContentType) {
  auto server = answering(Method::post, "/v1/consents", 201,
                          R"({"consent_id":"c-1","idempotency_key":"key-123"})");
  CenterClient link(config_for(server->url() + "/"), hooks());

  const Response r = link.call(
      Request::post("/v1/consents", R"({"kind":"one_stop"})").with_idempotency_key("key-123"));

  EXPECT_EQ(r.http_status, 201);
  EXPECT_EQ(r.body.at("consent_id"), "c-1");
  ASSERT_EQ(server->count(), 1U);
  const auto seen = server->seen().front();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/v1/consents") << "a trailing '/' on the base URL is not doubled";
  EXPECT_EQ(seen.body, R"({"kind":"one_stop"})");
  EXPECT_EQ(seen.header("Idempotency-Key"), "key-123");
  EXPECT_EQ(seen.header("Content-Type"), "application/json");
  EXPECT_EQ(seen.client_cn, sim::kTestTerminalId);
}

TEST_F(CenterClientTest, FourHundredWithEnvelopeIsRejectedWithTheCentresCode) {
  auto server = answering(Method::get, "/v1/holders/x", 404, envelope("holder_not_found", false));
  CenterClient link(config_for(server->url()), hooks());

  const CenterError e = error_of([&] { return link.call(Request::get("/v1/holders/x")); });

  EXPECT_EQ(e.kind, CenterErrorKind::http_rejected);
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.code, "holder_not_found");
  EXPECT_EQ(e.server_message, "test holder_not_found");
  EXPECT_FALSE(e.retryable);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(user_message_key(e), "center.error.http_rejected");
  EXPECT_EQ(server->count(), 1U) << "a 4xx is not retried, even for a GET";
}

TEST_F(CenterClientTest, FiveHundredWithRetryableEnvelopeIsRetriedThenSucceeds) {
  auto server = make_server();
  server->http().Get("/v1/ref", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    if (server->count() == 1) {
      reply_json(res, 500, envelope("internal", true));
    } else {
      reply_json(res, 200, R"({"version":7})");
    }
  });
  server->start();
  CenterClient link(config_for(server->url()), hooks());

  const Response r = link.call(Request::get("/v1/ref"));

  EXPECT_EQ(r.body.at("version"), 7);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(server->count(), 2U);
  const auto log = records();
  ASSERT_EQ(log.size(), 2U);
  EXPECT_EQ(log[0].error, CenterErrorKind::server_error);
  ASSERT_TRUE(log[0].retry_in.has_value());
  // The delay came from the injected random source: full jitter over the first ceiling.
  EXPECT_EQ(*log[0].retry_in, backoff_delay(config_for("").retry, 1, kDraw));
  EXPECT_EQ(*log[0].retry_in, 15ms);
  EXPECT_EQ(draws_.load(), 1);
  EXPECT_FALSE(log[1].error.has_value());
}

TEST_F(CenterClientTest, FiveHundredWithoutRetryableIsNotRetried) {
  auto server = answering(Method::get, "/v1/ref", 500, envelope("internal", false));
  CenterClient link(config_for(server->url()), hooks());

  const CenterError e = error_of([&] { return link.call(Request::get("/v1/ref")); });

  EXPECT_EQ(e.kind, CenterErrorKind::server_error);
  EXPECT_EQ(e.code, "internal");
  EXPECT_FALSE(e.retryable);
  EXPECT_EQ(server->count(), 1U);
  EXPECT_EQ(user_message_key(e), "center.error.server_error");
}

TEST_F(CenterClientTest, IdempotentPostIsRetriedAfter503WithTheSameKey) {
  auto server = make_server();
  server->http().Post("/v1/sessions", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    if (server->count() < 3) {
      reply_json(res, 503, envelope("unavailable", true));
    } else {
      reply_json(res, 200, R"({"session":"s-1","idempotency_key":"k-9"})");
    }
  });
  server->start();
  CenterClient link(config_for(server->url()), hooks());

  const Response r = link.call(Request::post("/v1/sessions", "{}").with_idempotency_key("k-9"));

  EXPECT_EQ(r.attempts, 3);
  ASSERT_EQ(server->count(), 3U);
  for (const auto& seen : server->seen()) {
    EXPECT_EQ(seen.header("Idempotency-Key"), "k-9");
  }
  const auto log = records();
  ASSERT_EQ(log.size(), 3U);
  EXPECT_EQ(log[1].retry_in, backoff_delay(config_for("").retry, 2, kDraw)) << "doubles";
}

TEST_F(CenterClientTest, NonIdempotentPostIsNeverRetried) {
  auto server = answering(Method::post, "/v1/consents", 503, envelope("unavailable", true));
  CenterClient link(config_for(server->url()), hooks());

  const CenterError e = error_of([&] { return link.call(Request::post("/v1/consents", "{}")); });

  EXPECT_EQ(e.kind, CenterErrorKind::server_error);
  EXPECT_EQ(e.http_status, 503);
  EXPECT_TRUE(e.retryable) << "the flow may offer to try again";
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(server->count(), 1U);
  EXPECT_EQ(draws_.load(), 0);
}

TEST_F(CenterClientTest, GetGivesUpAfterMaxAttempts) {
  auto server = answering(Method::get, "/v1/ref", 502, envelope("bad_gateway", false));
  CenterClient link(config_for(server->url()), hooks());

  const CenterError e = error_of([&] { return link.call(Request::get("/v1/ref")); });

  EXPECT_EQ(e.kind, CenterErrorKind::server_error);
  EXPECT_EQ(e.attempts, 3);
  EXPECT_TRUE(e.retryable) << "502 is a gateway's transient failure";
  EXPECT_EQ(server->count(), 3U);
}

TEST_F(CenterClientTest, RetryAfterWithinTheCapIsHonoured) {
  auto server = make_server();
  server->http().Get("/v1/ref", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    if (server->count() == 1) {
      res.set_header("Retry-After", "1");
      reply_json(res, 429, envelope("too_many_requests", true));
    } else {
      reply_json(res, 200, "{}");
    }
  });
  server->start();
  CenterClient link(config_for(server->url()), hooks());

  const Response r = link.call(Request::get("/v1/ref"));

  EXPECT_EQ(r.attempts, 2);
  const auto log = records();
  ASSERT_EQ(log.size(), 2U);
  EXPECT_EQ(log[0].http_status, 429);
  EXPECT_EQ(log[0].retry_in, 1000ms) << "the server's pause, not the shorter backoff";
}

TEST_F(CenterClientTest, RetryAfterBeyondTheCapFailsAtOnce) {
  auto server = make_server();
  server->http().Get("/v1/ref", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    res.set_header("Retry-After", "120");
    reply_json(res, 503, envelope("maintenance", true));
  });
  server->start();
  CenterClient link(config_for(server->url()), hooks());

  const CenterError e = error_of([&] { return link.call(Request::get("/v1/ref")); });

  EXPECT_EQ(e.kind, CenterErrorKind::server_error);
  EXPECT_EQ(e.code, "maintenance");
  EXPECT_TRUE(e.retryable);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(server->count(), 1U);
}

TEST_F(CenterClientTest, HtmlOrBrokenJsonIsAMalformedReply) {
  auto server = make_server();
  server->http().Get("/html", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    res.set_content("<html><body>Welcome to nginx</body></html>", "text/html");
  });
  server->http().Get("/broken", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    res.set_content(R"({"holder": )", "application/json");
  });
  server->http().Get("/html-error", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    res.status = 403;
    res.set_content("<html>Forbidden</html>", "text/html");
  });
  server->start();
  CenterClient link(config_for(server->url()), hooks());

  const CenterError html = error_of([&] { return link.call(Request::get("/html")); });
  EXPECT_EQ(html.kind, CenterErrorKind::malformed_reply);
  EXPECT_NE(std::string(html.what()).find("text/html"), std::string::npos) << html.what();
  EXPECT_EQ(user_message_key(html), "center.error.malformed_reply");

  const CenterError broken = error_of([&] { return link.call(Request::get("/broken")); });
  EXPECT_EQ(broken.kind, CenterErrorKind::malformed_reply);
  EXPECT_EQ(broken.attempts, 1) << "a malformed reply is not retried";

  const CenterError no_envelope = error_of([&] { return link.call(Request::get("/html-error")); });
  EXPECT_EQ(no_envelope.kind, CenterErrorKind::http_rejected);
  EXPECT_EQ(no_envelope.http_status, 403);
  EXPECT_TRUE(no_envelope.code.empty());
  EXPECT_EQ(server->count(), 3U);
}

// Issue 15, defect 1: only the centre's own answer counts. A 2xx to a write must name the
// request's idempotency key; a refusal is final only in the centre's envelope with a final code.
TEST_F(CenterClientTest, OnlyTheCentresOwnAnswerCounts) {
  auto server = make_server();
  server->http().Post("/portal", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    reply_json(res, 200, R"({"status":"ok"})");  // a proxy's JSON: no key
  });
  server->http().Post("/other-key", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    reply_json(res, 200, R"({"idempotency_key":"someone-else"})");
  });
  server->http().Post("/centre", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    reply_json(res, 200,
               R"({"linkage_id":"l-1","idempotency_key":")" +
                   req.get_header_value("Idempotency-Key") + "\"}");
  });
  server->http().Post("/proxy-403", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    res.status = 403;
    res.set_content("<html>Forbidden by policy</html>", "text/html");
  });
  server->http().Post("/final", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    reply_json(res, 422, envelope("signature_invalid", false));
  });
  server->http().Post("/not-final", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    reply_json(res, 403, envelope("terminal_unknown", false));
  });
  server->start();
  CenterClient link(config_for(server->url()), hooks());
  const auto post = [&](const std::string& path) {
    return error_of(
        [&] { return link.call(Request::post(path, "{}").with_idempotency_key("k-own")); });
  };

  for (const std::string path : {"/portal", "/other-key"}) {
    const CenterError e = post(path);
    EXPECT_EQ(e.kind, CenterErrorKind::malformed_reply) << path;
    EXPECT_TRUE(e.retryable) << path << ": not the centre's answer, so try again later";
    EXPECT_EQ(e.content_type, "application/json") << path;
    EXPECT_NE(std::string(e.what()).find("idempotency key"), std::string::npos) << e.what();
  }
  EXPECT_EQ(
      link.call(Request::post("/centre", "{}").with_idempotency_key("k-own")).body.at("linkage_id"),
      "l-1");
  const CenterError proxy = post("/proxy-403");
  EXPECT_EQ(proxy.kind, CenterErrorKind::http_rejected);
  EXPECT_TRUE(proxy.retryable) << "a 403 without the centre's envelope is not its refusal";
  EXPECT_EQ(proxy.content_type, "text/html");
  const CenterError final_refusal = post("/final");
  EXPECT_EQ(final_refusal.code, "signature_invalid");
  EXPECT_FALSE(final_refusal.retryable);
  const CenterError not_final = post("/not-final");
  EXPECT_EQ(not_final.code, "terminal_unknown");
  EXPECT_TRUE(not_final.retryable) << "a configuration staff can mend is not the end";
}

TEST_F(CenterClientTest, AServerThatNeverAnswersTimesOut) {
  auto server = make_server();
  server->http().Post("/v1/slow", [&](const httplib::Request& req, httplib::Response&) {
    server->record(req);
    server->hang();
  });
  server->start();
  CenterClient link(config_for(server->url()), hooks());

  const CenterError e =
      error_of([&] { return link.call(Request::post("/v1/slow", "{}").with_timeout(300ms)); });

  EXPECT_EQ(e.kind, CenterErrorKind::timeout);
  EXPECT_TRUE(e.retryable);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(user_message_key(e), "center.error.timeout");
  server->release_hung();
}

// A loopback port nobody listens on.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(CenterClientTest, NothingListeningIsUnreachableAndRetriedForAGet) {
  CenterClient link(config_for("https://127.0.0.1:" + std::to_string(free_port())), hooks());

  const CenterError e = error_of([&] { return link.call(Request::get("/v1/ping")); });

  EXPECT_EQ(e.kind, CenterErrorKind::unreachable);
  EXPECT_TRUE(e.retryable);
  EXPECT_EQ(e.attempts, 3);
  EXPECT_EQ(e.http_status, 0);
  EXPECT_EQ(user_message_key(e), "center.error.unreachable");
}

TEST_F(CenterClientTest, AServerCertificateFromAnotherCaIsUntrusted) {
  auto server = make_server(/*rogue_cert=*/true);
  server->http().Get("/v1/ping", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    reply_json(res, 200, "{}");
  });
  server->start();
  CenterClient link(config_for(server->url()), hooks());

  const CenterError e = error_of([&] { return link.call(Request::get("/v1/ping")); });

  EXPECT_EQ(e.kind, CenterErrorKind::tls_server_untrusted) << e.what();
  EXPECT_FALSE(e.retryable);
  EXPECT_EQ(e.attempts, 1) << "TLS trust failures are not retried";
  EXPECT_EQ(server->count(), 0U);
  EXPECT_EQ(user_message_key(e), "center.error.tls_server_untrusted");
}

TEST_F(CenterClientTest, TheServerRefusesAClientCertificateFromAnotherCa) {
  auto server = answering(Method::get, "/v1/ping", 200, "{}");
  auto config = config_for(server->url());
  config.client_cert_file = tls_->rogue_client_cert;
  config.client_key_file = tls_->rogue_client_key;
  CenterClient link(config, hooks());

  const CenterError e = error_of([&] { return link.call(Request::get("/v1/ping")); });

  EXPECT_EQ(e.kind, CenterErrorKind::tls_client_refused) << e.what();
  EXPECT_FALSE(e.retryable);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(server->count(), 0U);
  EXPECT_EQ(user_message_key(e), "center.error.tls_client_refused");
}

// "sha256//<base64>" of a certificate's public key, as curl's CURLOPT_PINNEDPUBLICKEY wants.
std::string public_key_pin(const fs::path& cert_file) {
  FILE* fp = std::fopen(cert_file.c_str(), "rb");
  X509* cert = PEM_read_X509(fp, nullptr, nullptr, nullptr);
  (void)std::fclose(fp);
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(X509_get0_pubkey(cert), &der);
  unsigned char hash[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<std::size_t>(len), hash);
  OPENSSL_free(der);
  X509_free(cert);
  unsigned char b64[64] = {};
  EVP_EncodeBlock(b64, hash, SHA256_DIGEST_LENGTH);
  return "sha256//" + std::string(reinterpret_cast<char*>(b64));
}

TEST_F(CenterClientTest, APublicKeyPinIsEnforced) {
  auto server = answering(Method::get, "/v1/ping", 200, "{}");
  auto config = config_for(server->url());
  config.pinned_public_key = public_key_pin(tls_->server_cert);
  {
    CenterClient pinned(config, hooks());
    EXPECT_EQ(pinned.call(Request::get("/v1/ping")).http_status, 200);
  }
  config.pinned_public_key = public_key_pin(tls_->rogue_server_cert);
  CenterClient wrong_pin(config, hooks());
  const CenterError e = error_of([&] { return wrong_pin.call(Request::get("/v1/ping")); });
  EXPECT_EQ(e.kind, CenterErrorKind::tls_server_untrusted) << e.what();
  EXPECT_EQ(server->count(), 1U);
}

TEST_F(CenterClientTest, ManyConcurrentRequestsCompleteOnTheOneWorkerThread) {
  auto server = make_server();
  server->http().Get(R"(/v1/item/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    reply_json(res, 200, R"({"n":)" + req.matches[1].str() + "}");
  });
  server->start();
  CenterClient link(config_for(server->url()), hooks());
  constexpr int kRequests = 40;
  std::mutex m;
  std::condition_variable done_cv;
  std::set<std::thread::id> threads;
  std::set<int> answers;
  int done = 0;

  for (int i = 0; i < kRequests; ++i) {
    link.submit(Request::get("/v1/item/" + std::to_string(i)), [&](CenterClient::Result r) {
      const std::lock_guard lock(m);
      threads.insert(std::this_thread::get_id());
      if (const auto* response = std::get_if<Response>(&r)) {
        answers.insert(response->body.at("n").get<int>());
      } else {
        ADD_FAILURE() << std::get<CenterError>(r).what();
      }
      ++done;
      done_cv.notify_all();
    });
  }
  std::unique_lock lock(m);
  ASSERT_TRUE(done_cv.wait_for(lock, 60s, [&] { return done == kRequests; }));
  EXPECT_EQ(answers.size(), static_cast<std::size_t>(kRequests));
  EXPECT_EQ(threads.size(), 1U) << "every callback runs on the worker";
  EXPECT_FALSE(threads.contains(std::this_thread::get_id()));
  EXPECT_EQ(server->count(), static_cast<std::size_t>(kRequests));
}

TEST_F(CenterClientTest, DestroyingTheClientCancelsARequestInFlight) {
  auto server = make_server();
  server->http().Get("/v1/slow", [&](const httplib::Request& req, httplib::Response&) {
    server->record(req);
    server->hang();
  });
  server->start();
  auto link = std::make_unique<CenterClient>(config_for(server->url()), hooks());
  auto future = link->submit(Request::get("/v1/slow").with_timeout(60s));
  ASSERT_TRUE(server->wait_for(1));

  link.reset();

  ASSERT_EQ(future.wait_for(0s), std::future_status::ready) << "the destructor completed it";
  try {
    future.get();
    FAIL() << "a cancelled request succeeded";
  } catch (const CenterError& e) {
    EXPECT_EQ(e.kind, CenterErrorKind::cancelled);
    EXPECT_EQ(user_message_key(e), "center.error.cancelled");
  }
  server->release_hung();
}

// A kiosk stopping while a round waits for the centre's next try (an unreachable centre) stops
// now: the request is cancelled, not tried again after its back-off. With a back-off of ten
// minutes, a stop() that waited for it would outlast the test's time limit.
TEST_F(CenterClientTest, StopCancelsARequestWaitingForItsNextTry) {
  auto server = answering(Method::get, "/v1/reference", 503, envelope("unavailable", true));
  CenterLinkConfig config = config_for(server->url());
  config.retry = {.max_attempts = 3, .base_delay = 600s, .max_delay = 600s, .jitter = 0.0};
  CenterClient link(config, hooks());
  auto future = link.submit(Request::get("/v1/reference"));
  ASSERT_TRUE(server->wait_for(1));
  ASSERT_EQ(future.wait_for(200ms), std::future_status::timeout) << "waiting to try again";

  link.stop();

  ASSERT_EQ(future.wait_for(0s), std::future_status::ready) << "stop() completed it";
  const CenterError e = error_of([&] { return future.get(); });
  EXPECT_EQ(e.kind, CenterErrorKind::cancelled);
  EXPECT_EQ(server->count(), 1U) << "not tried again";
  // Requests after stop() are cancelled at once, and the destructor stops nothing twice.
  const CenterError later = error_of([&] { return link.call(Request::get("/v1/reference")); });
  EXPECT_EQ(later.kind, CenterErrorKind::cancelled);
}

TEST_F(CenterClientTest, BodiesAndQueriesNeverReachTheLogOrTheError) {
  auto server = make_server();
  server->http().Post("/v1/unlock", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    reply_json(res, 400, envelope("bad_request", false));
  });
  server->http().Get("/v1/search", [&](const httplib::Request& req, httplib::Response& res) {
    server->record(req);
    reply_json(res, 200, R"({"name":"山田太郎SECRET"})");
  });
  server->start();
  CenterClient link(config_for(server->url()), hooks());

  const CenterError e =
      error_of([&] { return link.call(Request::post("/v1/unlock", R"({"pin":"1234SECRET"})")); });
  const Response found = link.call(Request::get("/v1/search?name=SECRETNAME"));

  EXPECT_EQ(found.body.at("name"), "山田太郎SECRET");
  EXPECT_EQ(std::string(e.what()).find("SECRET"), std::string::npos) << e.what();
  const auto log = records();
  ASSERT_EQ(log.size(), 2U);
  for (const auto& r : log) {
    EXPECT_EQ(r.path.find("SECRET"), std::string::npos) << r.path;
    EXPECT_EQ(r.reason.find("SECRET"), std::string::npos) << r.reason;
  }
  EXPECT_EQ(log[1].path, "/v1/search");
}

TEST_F(CenterClientTest, ARequestThatCannotBeSentIsRefusedAtOnce) {
  CenterClient link(config_for("https://127.0.0.1:9"), hooks());
  EXPECT_THROW(link.submit(Request::get("v1/no-slash")), std::invalid_argument);
  EXPECT_THROW(link.submit(Request::get("/v1/x\r\nHost: evil")), std::invalid_argument);
  EXPECT_THROW(link.submit(Request::post("/v1/x", "{oops")), std::invalid_argument);
  EXPECT_THROW(link.submit(Request::get("/v1/x").with_header("X-A", "b\nc")),
               std::invalid_argument);
  EXPECT_TRUE(records().empty());
}

TEST_F(CenterClientTest, AnHttpBaseUrlIsRefusedAtConstruction) {
  try {
    CenterClient link(config_for("http://127.0.0.1:8080"), hooks());
    FAIL() << "an http:// centre was accepted";
  } catch (const CenterConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("https only"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mk::center::client
