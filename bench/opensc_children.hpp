#pragma once

// OpenSC's pkcs15-tool / pkcs11-tool run as child processes for mynacard-card-bench: a clean
// environment (its own HOME, so no cache of OpenSC's survives between runs), the run with its
// output kept in a log file, and reading what they print.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>  // environ

#include "devices/apdu/bytes.hpp"

namespace mk::bench {

struct ProcessResult {
  int exit_code = -1;
  std::string output;
};

class ChildEnvironment {
 public:
  explicit ChildEnvironment(const std::filesystem::path& home) {
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string_view v(*e);
      if (!v.starts_with("HOME=") && !v.starts_with("XDG_CACHE_HOME=")) {
        storage_.emplace_back(v);
      }
    }
    // OpenSC's file cache (off by default) could only ever hold what this run put there.
    storage_.push_back("HOME=" + home.string());
    storage_.push_back("XDG_CACHE_HOME=" + (home / ".cache").string());
    for (auto& s : storage_) {
      pointers_.push_back(s.data());
    }
    pointers_.push_back(nullptr);
  }
  char** get() { return pointers_.data(); }

 private:
  std::vector<std::string> storage_;
  std::vector<char*> pointers_;
};

// Runs argv with stdout + stderr into `log_file`; returns the exit code and that output.
ProcessResult run(const std::vector<std::string>& argv, ChildEnvironment& env,
                  const std::filesystem::path& log_file);
std::string join(const std::vector<std::string>& argv);
// `pkcs15-tool -D` blocks: "<header>\n\tKey : value\n..." -> header -> ID.
std::map<std::string, std::string> pkcs15_ids(const std::string& dump);
// The DER of the certificate in a PEM file; empty when it cannot be read.
devices::Bytes pem_certificate_der(const std::filesystem::path& pem);
// RSA PKCS#1 v1.5 SHA-256 signature check with the certificate's public key.
bool signature_verifies(const devices::Bytes& cert_der, const std::string& data,
                        const devices::Bytes& signature);

}  // namespace mk::bench
