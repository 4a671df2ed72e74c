#include "center/sim/test_tls.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/user_dirs.hpp"

namespace mk::center::sim {

namespace {

namespace fs = std::filesystem;

struct Deleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter>;
using Cert = std::unique_ptr<X509, Deleter>;
using Bio = std::unique_ptr<BIO, Deleter>;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("test TLS: " + what);
}

constexpr long kDay = 24L * 60 * 60;
constexpr long kValidity = 3650 * kDay;  // ten years
constexpr long kRenewBefore = 30 * kDay;

Key new_key() {
  Key key(EVP_EC_gen("P-256"));
  if (!key) {
    fail("cannot generate an EC P-256 key");
  }
  return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) {
    X509_EXTENSION_free(ext);
    fail(std::string("cannot add extension ") + OBJ_nid2sn(nid));
  }
  X509_EXTENSION_free(ext);
}

enum class Role { ca, server, client };

// A certificate for `key` named CN=`cn`, signed by (issuer, issuer_key), or self-signed when
// issuer is null.
Cert make_cert(EVP_PKEY* key, const std::string& cn, Role role, X509* issuer,
               EVP_PKEY* issuer_key) {
  Cert cert(X509_new());
  if (!cert) {
    fail("out of memory");
  }
  X509_set_version(cert.get(), 2);
  std::vector<unsigned char> serial(16);
  if (RAND_bytes(serial.data(), static_cast<int>(serial.size())) != 1) {
    fail("no randomness for a serial number");
  }
  serial[0] &= 0x7F;  // positive
  BIGNUM* bn = BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kDay);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValidity);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("MynaKiosk test"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  switch (role) {
    case Role::ca:
      add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
      add_ext(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case Role::server:
      add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
      add_ext(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
      add_ext(cert.get(), signer, NID_ext_key_usage, "serverAuth");
      add_ext(cert.get(), signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
      break;
    case Role::client:
      add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
      add_ext(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
      add_ext(cert.get(), signer, NID_ext_key_usage, "clientAuth");
      break;
  }
  add_ext(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
    fail("cannot sign the certificate for " + cn);
  }
  return cert;
}

void write_file(const fs::path& file, const std::string& text, bool secret) {
  const fs::path tmp = file.string() + ".tmp";
  const int fd =
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, secret ? 0600 : 0644);
  if (fd < 0) {
    fail("cannot write " + tmp.string());
  }
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    fail("cannot write " + tmp.string());
  }
  fs::rename(tmp, file);
}

std::string pem_of(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<size_t>(n)};
}

std::string pem_of(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<size_t>(n)};
}

Cert read_cert(const fs::path& file) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!f) {
    return nullptr;
  }
  return Cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
}

// True when every file is there and no certificate ends within kRenewBefore.
bool usable(const TestTls& t) {
  for (const fs::path& key : {t.server_key, t.client_key, t.rogue_server_key, t.rogue_client_key}) {
    if (!fs::exists(key)) {
      return false;
    }
  }
  std::time_t soon = std::time(nullptr) + kRenewBefore;
  for (const fs::path& file : {t.ca_cert, t.server_cert, t.client_cert, t.rogue_ca_cert,
                               t.rogue_server_cert, t.rogue_client_cert}) {
    Cert cert = read_cert(file);
    if (!cert || X509_cmp_time(X509_get0_notAfter(cert.get()), &soon) <= 0) {
      return false;
    }
  }
  return true;
}

void create(const TestTls& t) {
  const Key ca_key = new_key();
  const Cert ca = make_cert(ca_key.get(), "MynaKiosk test centre CA", Role::ca, nullptr, nullptr);
  const Key server_key = new_key();
  const Cert server =
      make_cert(server_key.get(), "localhost", Role::server, ca.get(), ca_key.get());
  const Key client_key = new_key();
  const Cert client =
      make_cert(client_key.get(), kTestTerminalId, Role::client, ca.get(), ca_key.get());
  const Key rogue_ca_key = new_key();
  const Cert rogue_ca =
      make_cert(rogue_ca_key.get(), "MynaKiosk test centre CA", Role::ca, nullptr, nullptr);
  const Key rogue_server_key = new_key();
  const Cert rogue_server = make_cert(rogue_server_key.get(), "localhost", Role::server,
                                      rogue_ca.get(), rogue_ca_key.get());
  const Key rogue_client_key = new_key();
  const Cert rogue_client = make_cert(rogue_client_key.get(), kTestTerminalId, Role::client,
                                      rogue_ca.get(), rogue_ca_key.get());
  write_file(t.ca_cert, pem_of(ca.get()), false);
  write_file(t.server_key, pem_of(server_key.get()), true);
  write_file(t.server_cert, pem_of(server.get()), false);
  write_file(t.client_key, pem_of(client_key.get()), true);
  write_file(t.client_cert, pem_of(client.get()), false);
  write_file(t.rogue_ca_cert, pem_of(rogue_ca.get()), false);
  write_file(t.rogue_server_key, pem_of(rogue_server_key.get()), true);
  write_file(t.rogue_server_cert, pem_of(rogue_server.get()), false);
  write_file(t.rogue_client_key, pem_of(rogue_client_key.get()), true);
  write_file(t.rogue_client_cert, pem_of(rogue_client.get()), false);
}

}  // namespace

fs::path default_test_tls_dir() {
  return base::mynakiosk_dir(base::UserDir::cache, "center-tls", "MK_CENTER_TLS_DIR");
}

TestTls ensure_test_tls(const fs::path& dir) {
  TestTls t;
  t.dir = dir;
  t.ca_cert = dir / "centre-ca.pem";
  t.server_cert = dir / "server.pem";
  t.server_key = dir / "server-key.pem";
  t.client_cert = dir / "kiosk.pem";
  t.client_key = dir / "kiosk-key.pem";
  t.rogue_ca_cert = dir / "rogue-ca.pem";
  t.rogue_server_cert = dir / "rogue-server.pem";
  t.rogue_server_key = dir / "rogue-server-key.pem";
  t.rogue_client_cert = dir / "rogue-kiosk.pem";
  t.rogue_client_key = dir / "rogue-kiosk-key.pem";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    fail("cannot create " + dir.string() + ": " + ec.message());
  }
  const fs::path lock_file = dir / ".lock";
  const int lock = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
    if (lock >= 0) {
      ::close(lock);
    }
    fail("cannot lock " + lock_file.string());
  }
  try {
    if (!usable(t)) {
      create(t);
    }
  } catch (...) {
    ::close(lock);
    throw;
  }
  ::close(lock);
  return t;
}

}  // namespace mk::center::sim
