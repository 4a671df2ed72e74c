#include "bench/opensc_children.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <spawn.h>
#include <sys/wait.h>

#include "bench/bench_support.hpp"

namespace mk::bench {

namespace dev = mk::devices;
namespace fs = std::filesystem;

ProcessResult run(const std::vector<std::string>& argv, ChildEnvironment& env,
                  const fs::path& log_file) {
  std::vector<std::string> args = argv;
  std::vector<char*> ptrs;
  ptrs.reserve(args.size() + 1);
  for (auto& a : args) {
    ptrs.push_back(a.data());
  }
  ptrs.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  ProcessResult r;
  const int rc = posix_spawnp(&pid, ptrs[0], &actions, nullptr, ptrs.data(), env.get());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): single-threaded here
    r.output = args[0] + ": cannot start: " + std::strerror(rc);
    return r;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.output = read_file(log_file);
  return r;
}

std::string join(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    s += (s.empty() ? "" : " ") + a;
  }
  return s;
}

std::map<std::string, std::string> pkcs15_ids(const std::string& dump) {
  std::map<std::string, std::string> ids;
  std::istringstream lines(dump);
  std::string line, header;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] != '\t' && line[0] != ' ') {
      header = line;
    } else if (const auto p = line.find("ID             : "); p != std::string::npos) {
      ids[header] = line.substr(p + 17);
    }
  }
  return ids;
}

dev::Bytes pem_certificate_der(const fs::path& pem) {
  dev::Bytes out;
  FILE* f = std::fopen(pem.c_str(), "r");
  if (f == nullptr) {
    return out;
  }
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  (void)std::fclose(f);
  if (cert == nullptr) {
    return out;
  }
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert, &der);
  if (n > 0) {
    out.assign(der, der + n);
  }
  OPENSSL_free(der);
  X509_free(cert);
  return out;
}

bool signature_verifies(const dev::Bytes& cert_der, const std::string& data,
                        const dev::Bytes& signature) {
  const unsigned char* p = cert_der.data();
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(cert_der.size()));
  if (cert == nullptr) {
    return false;
  }
  EVP_PKEY* key = X509_get_pubkey(cert);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      key != nullptr && ctx != nullptr &&
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(ctx, signature.data(), signature.size(),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  X509_free(cert);
  return ok;
}

}  // namespace mk::bench
