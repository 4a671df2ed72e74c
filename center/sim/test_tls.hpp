#pragma once

// The test TLS world of the centre link: a centre CA that signs the simulator's server
// certificate (localhost, 127.0.0.1) and the kiosks' client certificates, and a rogue CA with a
// server and a client certificate of its own, so that tests can show each side refusing a peer
// it does not trust. EC P-256 keys made with OpenSSL; written once into a folder (keys 0600) and
// reused while they are valid. Production kiosks get their client certificate from the centre's
// enrolment, never from here.

#include <filesystem>
#include <string>

namespace mk::center::sim {

struct TestTls {
  std::filesystem::path dir;
  std::filesystem::path ca_cert;                  // centre-ca.pem: the CA a kiosk pins
  std::filesystem::path server_cert, server_key;  // server.pem, server-key.pem
  std::filesystem::path client_cert, client_key;  // kiosk.pem, kiosk-key.pem (CN = terminal id)
  std::filesystem::path rogue_ca_cert;            // rogue-ca.pem
  std::filesystem::path rogue_server_cert, rogue_server_key;  // rogue-server*.pem
  std::filesystem::path rogue_client_cert, rogue_client_key;  // rogue-kiosk*.pem
};

// The terminal id in the test client certificate's CN.
inline constexpr const char* kTestTerminalId = "KIOSK-TEST-0001";

// Creates the folder and any missing or expired file (under a file lock, so two processes
// starting together make one set). Throws std::runtime_error naming the file on failure.
TestTls ensure_test_tls(const std::filesystem::path& dir);

// $MK_CENTER_TLS_DIR, else $XDG_CACHE_HOME/mynakiosk/center-tls, else
// ~/.cache/mynakiosk/center-tls.
std::filesystem::path default_test_tls_dir();

}  // namespace mk::center::sim
