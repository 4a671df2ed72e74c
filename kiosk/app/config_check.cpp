#include "kiosk/app/config_check.hpp"

#include <cstdio>
#include <memory>
#include <string>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include "kiosk/config/center_link.hpp"
#include "offline-cache/key_file.hpp"
#include "offline-cache/store_error.hpp"

namespace mk::kiosk {

namespace {

// A private key file must be readable by its owner only.
void check_private(const std::string& key, const std::string& file,
                   std::vector<std::string>& problems) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    return;  // reported as missing elsewhere
  }
  const auto mode = st.st_mode & 0777;
  if (mode != 0600 && mode != 0400) {
    const std::string octal = {static_cast<char>('0' + ((mode >> 6) & 7)),
                               static_cast<char>('0' + ((mode >> 3) & 7)),
                               static_cast<char>('0' + (mode & 7))};
    problems.push_back(key + ": " + file + " has mode " + octal +
                       "; a private key must be 0600 or 0400");
  }
}

void check_certificate(const std::string& key, const std::string& file,
                       std::vector<std::string>& problems) {
  const std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(file.c_str(), "r"),
                                                        &std::fclose);
  if (!f) {
    problems.push_back(key + ": " + file + " cannot be read");
    return;
  }
  X509* cert = PEM_read_X509(f.get(), nullptr, nullptr, nullptr);
  if (cert == nullptr) {
    problems.push_back(key + ": " + file + " holds no PEM certificate");
    return;
  }
  X509_free(cert);
}

}  // namespace

std::vector<std::string> check_config_files(const Config& config, const StorePaths& store) {
  std::vector<std::string> problems;
  if (config.center.mode == CenterMode::remote) {
    try {
      center::client::validate(center_link(config));
    } catch (const center::client::CenterConfigError& e) {
      for (const auto& p : e.problems()) {
        problems.push_back("center: " + p);
      }
    }
    check_private("center.client_key", config.center.client_key, problems);
  }
  if (!config.cards.license_ca_file.empty()) {
    check_certificate("cards.license_ca_file", config.cards.license_ca_file, problems);
  }
  if (std::filesystem::exists(store.key_file)) {
    try {
      offline_cache::KeyFile::load(store.key_file);
    } catch (const offline_cache::StoreError& e) {
      problems.push_back("store.key_file: " + std::string(e.what()));
    }
  } else if (!config.store.key_file.empty()) {
    problems.push_back("store.key_file: " + store.key_file.string() +
                       " does not exist (it is made on first start only over an empty store)");
  }
  return problems;
}

}  // namespace mk::kiosk
