#pragma once

// How the kiosk reaches the centre: the URL, the TLS identity on both sides, timeouts and the
// retry policy. validate() checks every field and every file before the first request, so a
// wrong path or a key that does not belong to the certificate is found at start-up, by name.

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mk::center::client {

// Retries of idempotent requests (docs/center-link.md, "Retries").
struct RetryPolicy {
  int max_attempts = 3;                       // the first attempt included; 1 = never retry
  std::chrono::milliseconds base_delay{200};  // ceiling of the first retry's delay
  std::chrono::milliseconds max_delay{5000};  // no delay exceeds this; nor may a Retry-After
  double jitter = 1.0;  // share of the delay drawn at random: 1 = full jitter, 0 = none
};

struct CenterLinkConfig {
  std::string base_url;           // "https://centre.example.jp/api"; https only
  std::filesystem::path ca_file;  // the pinned centre CA (PEM); the system store is not trusted
  // Optional extra pin on the server's public key: "sha256//<base64>[;sha256//<base64>...]".
  std::string pinned_public_key;
  std::filesystem::path client_cert_file;  // the kiosk's certificate (PEM), CN = terminal_id
  std::filesystem::path client_key_file;   // its private key (PEM, not encrypted, mode 0600)
  std::string terminal_id;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{20000};  // per attempt, unless a request overrides it
  RetryPolicy retry;
  long max_host_connections = 4;  // HTTP/1.1 connections to the centre (HTTP/2 multiplexes on one)
};

// Every problem found in a configuration, one per line, each naming the field or file.
class CenterConfigError : public std::invalid_argument {
 public:
  explicit CenterConfigError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Throws CenterConfigError listing every problem: a base URL that is not https (or carries a
// user, query or fragment), files missing or unreadable, a CA file without a CA certificate, a
// client certificate that does not parse, has expired, or names another terminal, a key that
// does not match the certificate, a malformed pin, timeouts or a retry policy out of range.
void validate(const CenterLinkConfig& config);

// Whole days from now until this kiosk's client certificate expires (negative once it has);
// nullopt when it cannot be read. What staff and --check watch: a kiosk whose certificate lapses
// can no longer reach its centre.
std::optional<int> client_certificate_days_left(const CenterLinkConfig& config);

}  // namespace mk::center::client
