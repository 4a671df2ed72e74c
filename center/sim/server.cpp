// The centre simulator's server: TLS listen, start/stop, faults and outages (server.hpp).
#include "center/sim/server.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "base/sleep.hpp"
#include "center/api/tls_policy.hpp"
#include "center/api/wire.hpp"
#include "center/sim/replies.hpp"
#include "center/sim/router.hpp"
#include "center/sim/simulator_state.hpp"

namespace mk::center::sim {

namespace fs = std::filesystem;

std::optional<Fault::Mode> fault_mode_from_string(const std::string& name) {
  static const std::pair<const char*, Fault::Mode> kModes[] = {
      {"none", Fault::Mode::none},           {"down", Fault::Mode::down},
      {"slow", Fault::Mode::slow},           {"http_500", Fault::Mode::http_500},
      {"http_503", Fault::Mode::http_503},   {"garbage", Fault::Mode::garbage},
      {"truncated", Fault::Mode::truncated}, {"drop_after_commit", Fault::Mode::drop_after_commit},
      {"wrong_tls", Fault::Mode::wrong_tls}};
  for (const auto& [n, m] : kModes) {
    if (name == n) {
      return m;
    }
  }
  return std::nullopt;
}

void Server::listen() {
  std::lock_guard lock(server_mutex_);
  if (listening_) {
    return;
  }
  const TestTls& tls = centre_.tls;
  const bool rogue = centre_.cfg.rogue_server_certificate || serving_rogue_;
  const fs::path cert = rogue ? tls.rogue_server_cert : tls.server_cert;
  const fs::path key = rogue ? tls.rogue_server_key : tls.server_key;
  const fs::path ca = tls.ca_cert;
  auto s = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    if (SSL_CTX_set_cipher_list(&ctx, api::kTls12Ciphers) != 1 ||
        SSL_CTX_set_ciphersuites(&ctx, api::kTls13Suites) != 1) {
      return false;
    }
    SSL_CTX_set_options(&ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca.c_str());
    if (names == nullptr || SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_load_verify_locations(&ctx, ca.c_str(), nullptr) != 1) {
      if (names != nullptr) {
        sk_X509_NAME_pop_free(names, X509_NAME_free);
      }
      return false;
    }
    SSL_CTX_set_client_CA_list(&ctx, names);
    // mTLS required: no client certificate, or one the centre CA did not sign, ends the
    // handshake.
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    return true;
  });
  if (!s->is_valid()) {
    ERR_clear_error();
    throw std::runtime_error("mynacenter: cannot load the TLS files in " + tls.dir.string());
  }
  add_routes(*s, centre_, *this);
  // Without TCP_NODELAY every answer waits for the client's delayed ACK (Nagle): 40 ms each.
  s->set_tcp_nodelay(true);
  s->set_read_timeout(5, 0);
  s->set_write_timeout(5, 0);
  const CenterSimulatorConfig& cfg = centre_.cfg;
  const int want = bound_port_ != 0 ? bound_port_ : cfg.port;
  if (want == 0) {
    bound_port_ = s->bind_to_any_port(cfg.bind);
    if (bound_port_ <= 0) {
      throw std::runtime_error("mynacenter: cannot bind " + cfg.bind);
    }
  } else if (!s->bind_to_port(cfg.bind, want)) {
    throw std::runtime_error("mynacenter: cannot bind " + cfg.bind + ":" + std::to_string(want));
  } else {
    bound_port_ = want;
  }
  httplib::SSLServer* raw = s.get();
  server_ = std::move(s);
  auto ended = std::make_shared<std::atomic<bool>>(false);
  thread_ = std::thread([raw, ended] {
    raw->listen_after_bind();
    *ended = true;
  });
  // stop() is a no-op until the loop runs: wait for it, so that an early stop cannot hang.
  while (!raw->is_running() && !*ended) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  listening_ = true;
}

void Server::unlisten() {
  std::unique_ptr<httplib::SSLServer> s;
  std::thread t;
  {
    std::lock_guard lock(server_mutex_);
    if (!listening_) {
      return;
    }
    server_->stop();
    s = std::move(server_);
    t = std::move(thread_);
    listening_ = false;
  }
  if (t.joinable()) {
    t.join();
  }
}

void Server::stop() {
  if (restarter_.joinable()) {
    restarter_.request_stop();
    restarter_.join();
  }
  unlisten();
}

int Server::port() const {
  std::lock_guard lock(server_mutex_);
  return bound_port_;
}

Fault Server::take_fault() {
  std::lock_guard lock(fault_mutex_);
  Fault f = fault_;
  if (f.mode != Fault::Mode::none && f.mode != Fault::Mode::down && fault_.count > 0 &&
      --fault_.count == 0) {
    fault_ = {};
  }
  return f;
}

void Server::apply_fault(const Fault& f) {
  const bool rogue = f.mode == Fault::Mode::wrong_tls;
  {
    std::lock_guard lock(fault_mutex_);
    fault_ = rogue ? Fault{} : f;  // wrong TLS is the server's certificate, not a request's fault
  }
  if (rogue != serving_rogue_) {
    unlisten();
    serving_rogue_ = rogue;
  }
  if (f.mode == Fault::Mode::down) {
    unlisten();
  } else {
    listen();
  }
}

void Server::schedule_outage(Fault::Mode mode, int ms) {
  {
    std::lock_guard lock(fault_mutex_);
    if (outage_running_) {
      fail(409, api::code::kBadRequest, "an outage is already scheduled");
    }
    outage_running_ = true;
  }
  if (restarter_.joinable()) {
    restarter_.join();  // the last outage's thread, finished
  }
  restarter_ = std::jthread([this, mode, ms](const std::stop_token& stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the answer leave
    unlisten();
    std::unique_lock lock(fault_mutex_);
    if (mode == Fault::Mode::wrong_tls) {
      serving_rogue_ = true;
      lock.unlock();
      listen();
      lock.lock();
    } else {
      fault_ = {Fault::Mode::down, 0, 0};
    }
    lock.unlock();
    base::sleep_unless_stopped(stop, std::chrono::milliseconds(ms));
    lock.lock();
    fault_ = {};
    const bool stop_now = stop.stop_requested();
    lock.unlock();
    if (mode == Fault::Mode::wrong_tls) {
      unlisten();
      serving_rogue_ = false;
    }
    if (!stop_now) {
      listen();
    }
    lock.lock();
    outage_running_ = false;
  });
}

}  // namespace mk::center::sim
