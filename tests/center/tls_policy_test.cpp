// Issue 15, hardening: the link speaks TLS 1.3, or TLS 1.2 with ECDHE and AEAD only — checked
// from outside with `openssl s_client` against the centre simulator, and from the kiosk's side
// against an `openssl s_server` that offers only what the policy forbids.
#include <chrono>
#include <csignal>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "center/client/center_client.hpp"
#include "tests/center/center_sim_support.hpp"
#include "tests/support/run_process.hpp"

namespace mk::center {
namespace {

using sim::testing::CenterWorld;
using test::quote;
using test::run_process;
using ::testing::HasSubstr;

// s_client against the simulator with the test kiosk's certificate; `extra` picks the protocol
// and ciphers. Returns its output and exit code.
test::ProcessResult s_client(const CenterWorld& world, const std::string& extra) {
  return run_process("openssl s_client -brief -connect 127.0.0.1:" + std::to_string(world.port()) +
                     " -CAfile " + quote(world.tls().ca_cert.string()) + " -cert " +
                     quote(world.tls().client_cert.string()) + " -key " +
                     quote(world.tls().client_key.string()) + " " + extra + " </dev/null");
}

TEST(TlsPolicy, TheCentreSpeaksTls13AndTls12WithEcdheAeadOnly) {
  CenterWorld world("tls-policy");
  const auto v13 = s_client(world, "-tls1_3");
  EXPECT_THAT(v13.output, HasSubstr("Protocol version: TLSv1.3")) << v13.output;
  const auto gcm = s_client(world, "-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256");
  EXPECT_THAT(gcm.output, HasSubstr("Ciphersuite: ECDHE-ECDSA-AES128-GCM-SHA256")) << gcm.output;
  for (const std::string weak :
       {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384", "AES128-GCM-SHA256", "AES128-SHA"}) {
    const auto r = s_client(world, "-tls1_2 -cipher " + weak);
    EXPECT_THAT(r.output, ::testing::Not(HasSubstr("CONNECTION ESTABLISHED"))) << weak;
  }
  const auto v11 = s_client(world, "-tls1_1 -cipher DEFAULT@SECLEVEL=0");
  EXPECT_THAT(v11.output, ::testing::Not(HasSubstr("CONNECTION ESTABLISHED"))) << v11.output;
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// An `openssl s_server` with the centre's certificate, TLS 1.2 only, offering `cipher`.
class SServer {
 public:
  SServer(const sim::TestTls& tls, const std::string& cipher) : port_(free_port()) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string port = std::to_string(port_);
      ::execlp("openssl", "openssl", "s_server", "-quiet", "-www", "-tls1_2", "-cipher",
               cipher.c_str(), "-accept", port.c_str(), "-cert", tls.server_cert.c_str(), "-key",
               tls.server_key.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ~SServer() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  SServer(const SServer&) = delete;
  SServer& operator=(const SServer&) = delete;
  int port() const { return port_; }

 private:
  int port_;
  pid_t pid_ = -1;
};

client::CenterError call_error(const sim::TestTls& tls, int port) {
  client::CenterLinkConfig c;
  c.base_url = "https://localhost:" + std::to_string(port);
  c.ca_file = tls.ca_cert;
  c.client_cert_file = tls.client_cert;
  c.client_key_file = tls.client_key;
  c.terminal_id = sim::kTestTerminalId;
  c.retry.max_attempts = 1;
  client::CenterClient link(c);
  try {
    link.call(client::Request::get("/v1/health"));
  } catch (const client::CenterError& e) {
    return e;
  }
  return client::CenterError(client::CenterErrorKind::cancelled, "answered");
}

TEST(TlsPolicy, TheKioskRefusesAServerThatOffersOnlyWeakSuites) {
  const auto tls = sim::ensure_test_tls(std::filesystem::path(::testing::TempDir()) /
                                        ("tls-policy-" + std::to_string(::getpid())));
  {
    SServer weak(tls, "ECDHE-ECDSA-AES128-SHA");
    const auto e = call_error(tls, weak.port());
    EXPECT_NE(e.kind, client::CenterErrorKind::malformed_reply)
        << "the handshake succeeded with a CBC suite: " << e.what();
  }
  {
    // The same server with an AEAD suite: the handshake is made (s_server's page is no JSON).
    SServer good(tls, "ECDHE-ECDSA-AES128-GCM-SHA256");
    const auto e = call_error(tls, good.port());
    EXPECT_EQ(e.kind, client::CenterErrorKind::malformed_reply) << e.what();
  }
}

}  // namespace
}  // namespace mk::center
