#pragma once

// A real HTTPS server on loopback for the centre link tests: cpp-httplib's SSLServer with the
// test TLS world, requiring and verifying a client certificate from the given CA. Tests register
// scripted handlers, then start(); every request is recorded (method, path, headers, body and the
// CN of the client certificate the server verified).

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace mk::center::test {

struct SeenRequest {
  std::string method;
  std::string path;
  std::string body;
  std::string client_cn;
  httplib::Headers headers;

  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HttpsTestServer {
 public:
  HttpsTestServer(const std::filesystem::path& cert, const std::filesystem::path& key,
                  const std::filesystem::path& client_ca)
      : server_(cert.c_str(), key.c_str(), client_ca.c_str()) {
    if (!server_.is_valid()) {
      throw std::runtime_error("test HTTPS server: bad certificate or key");
    }
    server_.set_keep_alive_timeout(5);
  }
  HttpsTestServer(const HttpsTestServer&) = delete;
  HttpsTestServer& operator=(const HttpsTestServer&) = delete;
  HttpsTestServer(HttpsTestServer&&) = delete;
  HttpsTestServer& operator=(HttpsTestServer&&) = delete;

  ~HttpsTestServer() {
    release_hung();
    server_.stop();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  httplib::SSLServer& http() { return server_; }

  void start() {
    server_.set_tcp_nodelay(true);  // else each answer waits 40 ms for a delayed ACK
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) {
      throw std::runtime_error("test HTTPS server: cannot bind");
    }
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }

  std::string url() const { return "https://localhost:" + std::to_string(port_); }
  int port() const { return port_; }

  // Records a request; call first in every handler.
  void record(const httplib::Request& req) {
    SeenRequest seen{req.method, req.path, req.body, peer_cn(req), req.headers};
    const std::lock_guard lock(mutex_);
    seen_.push_back(std::move(seen));
    changed_.notify_all();
  }

  std::vector<SeenRequest> seen() const {
    const std::lock_guard lock(mutex_);
    return seen_;
  }
  std::size_t count() const {
    const std::lock_guard lock(mutex_);
    return seen_.size();
  }

  // Blocks until the server has recorded `n` requests (or a generous safety limit passes).
  bool wait_for(std::size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return seen_.size() >= n; });
  }

  // For a handler that should never answer: blocks until the test ends.
  void hang() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return released_; });
  }
  void release_hung() {
    const std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  static std::string peer_cn(const httplib::Request& req) {
    if (req.ssl == nullptr) {
      return {};
    }
    X509* cert = SSL_get1_peer_certificate(req.ssl);
    if (cert == nullptr) {
      return {};
    }
    char cn[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
    X509_free(cert);
    return cn;
  }

  httplib::SSLServer server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<SeenRequest> seen_;
  bool released_ = false;
};

// The error envelope the centre sends with every non-2xx answer.
inline std::string envelope(const std::string& code, bool retryable) {
  return R"({"error":{"code":")" + code + R"(","message":"test )" + code + R"(","retryable":)" +
         (retryable ? "true" : "false") + "}}";
}

}  // namespace mk::center::test
