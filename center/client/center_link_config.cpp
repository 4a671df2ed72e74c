#include "center/client/center_link_config.hpp"

#include <array>
#include <cerrno>
#include <fstream>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

#include <curl/curl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace mk::center::client {

namespace {

namespace fs = std::filesystem;

struct OpenSslFree {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(STACK_OF(X509_INFO) * p) const { sk_X509_INFO_pop_free(p, X509_INFO_free); }
};
using Bio = std::unique_ptr<BIO, OpenSslFree>;
using Cert = std::unique_ptr<X509, OpenSslFree>;
using Key = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using InfoStack = std::unique_ptr<STACK_OF(X509_INFO), OpenSslFree>;

struct CurlUrlFree {
  void operator()(CURLU* p) const { curl_url_cleanup(p); }
  void operator()(char* p) const { curl_free(p); }
};

// OpenSSL's reason for the last failure, and the queue cleared.
std::string openssl_reason() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) {
    return "no PEM data";
  }
  std::array<char, 256> text{};
  ERR_error_string_n(e, text.data(), text.size());
  return text.data();
}

// Opens `file` for OpenSSL, or records why not.
Bio open_file(const std::string& what, const fs::path& file, std::vector<std::string>& problems) {
  if (file.empty()) {
    problems.push_back(what + ": no file given");
    return nullptr;
  }
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    problems.push_back(what + " " + file.string() + ": no such file");
    return nullptr;
  }
  if (!fs::is_regular_file(file, ec)) {
    problems.push_back(what + " " + file.string() + ": not a regular file");
    return nullptr;
  }
  {
    std::ifstream probe(file, std::ios::binary);
    if (!probe) {
      problems.push_back(what + " " + file.string() + ": cannot be read (" +
                         std::error_code(errno, std::generic_category()).message() + ")");
      return nullptr;
    }
  }
  Bio bio(BIO_new_file(file.c_str(), "rb"));
  if (!bio) {
    problems.push_back(what + " " + file.string() + ": cannot be opened (" + openssl_reason() +
                       ")");
  }
  return bio;
}

// A key file with a pass phrase is refused rather than prompting on the terminal.
int no_pass_phrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) {
  return 0;
}

void check_url(const std::string& base_url, std::vector<std::string>& problems) {
  if (base_url.empty()) {
    problems.push_back("base_url: empty");
    return;
  }
  std::unique_ptr<CURLU, CurlUrlFree> url(curl_url());
  if (!url || curl_url_set(url.get(), CURLUPART_URL, base_url.c_str(), 0) != CURLUE_OK) {
    problems.push_back("base_url \"" + base_url + "\": not a URL");
    return;
  }
  auto part = [&](CURLUPart which) -> std::string {
    char* value = nullptr;
    if (curl_url_get(url.get(), which, &value, 0) != CURLUE_OK || value == nullptr) {
      return {};
    }
    const std::unique_ptr<char, CurlUrlFree> owned(value);
    return value;
  };
  const std::string scheme = part(CURLUPART_SCHEME);
  if (scheme != "https") {
    problems.push_back("base_url \"" + base_url + "\": scheme " + scheme +
                       " refused; the centre is reached over https only (mutual TLS)");
  }
  if (part(CURLUPART_HOST).empty()) {
    problems.push_back("base_url \"" + base_url + "\": no host");
  }
  if (!part(CURLUPART_USER).empty() || !part(CURLUPART_PASSWORD).empty()) {
    problems.push_back("base_url: must not carry a user or password");
  }
  if (!part(CURLUPART_QUERY).empty() || !part(CURLUPART_FRAGMENT).empty()) {
    problems.push_back("base_url \"" + base_url + "\": must not have a query or fragment");
  }
}

void check_ca(const fs::path& ca_file, std::vector<std::string>& problems) {
  const Bio bio = open_file("ca_file", ca_file, problems);
  if (!bio) {
    return;
  }
  const InfoStack infos(PEM_X509_INFO_read_bio(bio.get(), nullptr, no_pass_phrase, nullptr));
  int certs = 0;
  int cas = 0;
  if (infos) {
    for (int i = 0; i < sk_X509_INFO_num(infos.get()); ++i) {
      X509* cert = sk_X509_INFO_value(infos.get(), i)->x509;
      if (cert != nullptr) {
        ++certs;
        cas += X509_check_ca(cert) != 0 ? 1 : 0;
      }
    }
  }
  if (certs == 0) {
    problems.push_back("ca_file " + ca_file.string() + ": no PEM certificate in it (" +
                       openssl_reason() + ")");
  } else if (cas == 0) {
    problems.push_back("ca_file " + ca_file.string() + ": holds no CA certificate");
  }
  ERR_clear_error();
}

void check_client_identity(const CenterLinkConfig& config, std::vector<std::string>& problems) {
  Cert cert;
  if (const Bio bio = open_file("client_cert_file", config.client_cert_file, problems)) {
    cert.reset(PEM_read_bio_X509(bio.get(), nullptr, no_pass_phrase, nullptr));
    if (!cert) {
      problems.push_back("client_cert_file " + config.client_cert_file.string() +
                         ": not a PEM certificate (" + openssl_reason() + ")");
    }
  }
  Key key;
  if (const Bio bio = open_file("client_key_file", config.client_key_file, problems)) {
    key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_pass_phrase, nullptr));
    if (!key) {
      problems.push_back("client_key_file " + config.client_key_file.string() +
                         ": not an unencrypted PEM private key (" + openssl_reason() + ")");
    }
  }
  if (cert) {
    if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) <= 0) {
      problems.push_back("client_cert_file " + config.client_cert_file.string() + ": has expired");
    }
    std::array<char, 256> cn{};
    const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName,
                                            cn.data(), static_cast<int>(cn.size()));
    if (n < 0 || std::string_view(cn.data()) != config.terminal_id) {
      problems.push_back("client_cert_file " + config.client_cert_file.string() + ": its CN \"" +
                         std::string(n < 0 ? "" : cn.data()) + "\" is not the terminal id \"" +
                         config.terminal_id + "\"");
    }
  }
  if (cert && key && X509_check_private_key(cert.get(), key.get()) != 1) {
    problems.push_back("client_key_file " + config.client_key_file.string() +
                       ": does not belong to the certificate in " +
                       config.client_cert_file.string());
  }
  ERR_clear_error();
}

bool is_base64(std::string_view s) {
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=';
    if (!ok) {
      return false;
    }
  }
  return true;
}

void check_pin(const std::string& pin, std::vector<std::string>& problems) {
  if (pin.empty()) {
    return;
  }
  std::string_view rest = pin;
  while (true) {
    const auto semi = rest.find(';');
    const std::string_view one = rest.substr(0, semi);
    constexpr std::string_view kPrefix = "sha256//";
    // A SHA-256 hash in base64 is 44 characters.
    if (!one.starts_with(kPrefix) || one.size() != kPrefix.size() + 44 ||
        !is_base64(one.substr(kPrefix.size()))) {
      problems.push_back("pinned_public_key: \"" + std::string(one) +
                         "\" is not sha256//<base64 of 32 bytes>");
    }
    if (semi == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(semi + 1);
  }
}

bool printable_ascii(std::string_view s) {
  for (const char c : s) {
    if (c < 0x21 || c > 0x7E) {
      return false;
    }
  }
  return true;
}

}  // namespace

namespace {
std::string join_lines(const std::vector<std::string>& lines) {
  std::string text = "centre link configuration:";
  for (const auto& line : lines) {
    text += "\n  " + line;
  }
  return text;
}
}  // namespace

CenterConfigError::CenterConfigError(std::vector<std::string> problems)
    : std::invalid_argument(join_lines(problems)), problems_(std::move(problems)) {}

void validate(const CenterLinkConfig& config) {
  std::vector<std::string> problems;
  check_url(config.base_url, problems);
  if (config.terminal_id.empty() || config.terminal_id.size() > 64 ||
      !printable_ascii(config.terminal_id)) {
    problems.push_back("terminal_id \"" + config.terminal_id +
                       "\": must be 1 to 64 printable ASCII characters");
  }
  check_ca(config.ca_file, problems);
  check_client_identity(config, problems);
  check_pin(config.pinned_public_key, problems);
  using std::chrono::milliseconds;
  if (config.connect_timeout <= milliseconds::zero()) {
    problems.push_back("connect_timeout: must be positive");
  }
  if (config.total_timeout < config.connect_timeout) {
    problems.push_back("total_timeout: must be at least connect_timeout");
  }
  const RetryPolicy& r = config.retry;
  if (r.max_attempts < 1 || r.max_attempts > 10) {
    problems.push_back("retry.max_attempts: must be 1 to 10");
  }
  if (r.base_delay <= milliseconds::zero()) {
    problems.push_back("retry.base_delay: must be positive");
  }
  if (r.max_delay < r.base_delay) {
    problems.push_back("retry.max_delay: must be at least retry.base_delay");
  }
  if (!(r.jitter >= 0.0 && r.jitter <= 1.0)) {
    problems.push_back("retry.jitter: must be between 0 and 1");
  }
  if (config.max_host_connections < 1 || config.max_host_connections > 64) {
    problems.push_back("max_host_connections: must be 1 to 64");
  }
  if (!problems.empty()) {
    throw CenterConfigError(std::move(problems));
  }
}

std::optional<int> client_certificate_days_left(const CenterLinkConfig& config) {
  std::vector<std::string> ignored;
  const Bio bio = open_file("client_cert_file", config.client_cert_file, ignored);
  if (!bio) {
    return std::nullopt;
  }
  const Cert cert(PEM_read_bio_X509(bio.get(), nullptr, no_pass_phrase, nullptr));
  ERR_clear_error();
  int days = 0;
  int seconds = 0;
  if (!cert || ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert.get())) != 1) {
    return std::nullopt;
  }
  return days;
}

}  // namespace mk::center::client
