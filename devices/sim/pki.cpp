#include "devices/sim/pki.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hex.hpp"
#include "base/user_dirs.hpp"

namespace mk::devices::sim {

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("sim pki: " + what);
}

void write_atomically(const std::filesystem::path& path, const std::string& text) {
  const auto tmp = path.string() + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      fail("cannot write " + tmp);
    }
  }
  std::filesystem::rename(tmp, path);
}

Pkey load_key(const std::filesystem::path& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return nullptr;
  }
  EVP_PKEY* k = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  static_cast<void>(std::fclose(f));
  return k == nullptr ? nullptr : Pkey(k, PkeyFree{});
}

std::string time_string(const Day& d) {
  char buf[32];
  static_cast<void>(std::snprintf(buf, sizeof buf, "%04d%02d%02d000000Z", d.year, d.month, d.day));
  return buf;
}

void add_name(X509_NAME* name, const char* field, const std::string& value) {
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.c_str()),
                                 static_cast<int>(value.size()), -1, 0) != 1) {
    fail(std::string("subject field ") + field);
  }
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) {
    fail(std::string("extension ") + value);
  }
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// Deterministic positive serial from a label.
void set_serial(X509* cert, const std::string& label) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(label.data()), label.size(), digest);
  digest[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(digest, 16, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
}

struct CertRequest {
  std::vector<std::pair<const char*, std::string>> subject;
  Day not_before, not_after;
  bool ca = false;
  const char* key_usage = "critical,digitalSignature";
  std::string serial_label;
};

Bytes issue(const CertRequest& req, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key,
            const std::function<void(X509*)>& extra = {}) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  set_serial(cert.get(), req.serial_label);
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const auto& [field, value] : req.subject) {
    add_name(name, field, value);
  }
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  if (ASN1_TIME_set_string_X509(X509_getm_notBefore(cert.get()),
                                time_string(req.not_before).c_str()) != 1 ||
      ASN1_TIME_set_string_X509(X509_getm_notAfter(cert.get()),
                                time_string(req.not_after).c_str()) != 1) {
    fail("validity");
  }
  X509_set_pubkey(cert.get(), subject_key);
  X509* iss = issuer ? issuer : cert.get();
  add_ext(cert.get(), iss, NID_basic_constraints, req.ca ? "critical,CA:TRUE" : "CA:FALSE");
  add_ext(cert.get(), iss, NID_key_usage, req.key_usage);
  add_ext(cert.get(), iss, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) {
    add_ext(cert.get(), iss, NID_authority_key_identifier, "keyid:always");
  }
  if (extra) {
    extra(cert.get());
  }
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) {
    fail("signing a certificate");
  }
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert.get(), &der);
  if (n <= 0) {
    fail("DER");
  }
  Bytes out(der, der + n);
  OPENSSL_free(der);
  return out;
}

void write_pem(PkiCache& cache, const std::string& file, const Bytes& der) {
  const auto path = cache.dir() / file;
  const std::string pem = der_to_pem(der);
  std::ifstream in(path, std::ios::binary);
  std::stringstream existing;
  existing << in.rdbuf();
  if (existing.str() != pem) {
    write_atomically(path, pem);
  }
}

const Day kCaFrom{2020, 1, 1};
const Day kCaTo{2045, 12, 31};

Issued self_signed_ca(PkiCache& cache, const std::string& key_name,
                      std::vector<std::pair<const char*, std::string>> subject) {
  Issued ca;
  ca.key = cache.key(key_name);
  CertRequest req{
      std::move(subject), kCaFrom, kCaTo, true, "critical,keyCertSign,cRLSign", key_name};
  ca.der = issue(req, ca.key.get(), nullptr, ca.key.get());
  return ca;
}

}  // namespace

PkiCache::PkiCache(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

std::filesystem::path PkiCache::default_dir() {
  return base::mynakiosk_dir(base::UserDir::cache, "sim-pki", "MK_SIM_PKI_CACHE");
}

void PkiCache::locked(const std::function<void()>& fn) {
  const auto lock_path = dir_ / ".lock";
  const int fd = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    fail("cannot open " + lock_path.string());
  }
  ::flock(fd, LOCK_EX);
  try {
    fn();
  } catch (...) {
    ::flock(fd, LOCK_UN);
    ::close(fd);
    throw;
  }
  ::flock(fd, LOCK_UN);
  ::close(fd);
}

Pkey PkiCache::key(const std::string& name) {
  const auto path = dir_ / (name + ".key");
  if (auto k = load_key(path)) {
    return k;
  }
  Pkey key;
  locked([&] {
    key = load_key(path);  // another process may have made it meanwhile
    if (key) {
      return;
    }
    EVP_PKEY* k = EVP_RSA_gen(2048);
    if (k == nullptr) {
      fail("RSA key generation");
    }
    key = Pkey(k, PkeyFree{});
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, k, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    const std::string pem(data, static_cast<size_t>(n));
    BIO_free(bio);
    const auto tmp = path.string() + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << pem;
    }
    std::filesystem::permissions(
        tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::filesystem::rename(tmp, path);
  });
  return key;
}

namespace {

std::optional<IssuerMasterKeys> read_master_keys(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  IssuerMasterKeys keys;
  try {
    const auto j = nlohmann::json::parse(in);
    for (auto [name, out] :
         {std::pair{"enc", &keys.enc}, std::pair{"mac", &keys.mac}, std::pair{"dek", &keys.dek}}) {
      auto bytes = base::from_hex_dump(j.at(name).get<std::string>());
      if (!bytes || bytes->size() != 16) {
        fail(path.string() + ": \"" + name + "\" is not 32 hex digits");
      }
      *out = std::move(*bytes);
    }
  } catch (const nlohmann::json::exception& e) {
    fail(path.string() + ": not an issuer master key file: " + e.what());
  }
  return keys;
}

}  // namespace

IssuerMasterKeys load_or_create_issuer_master_keys(PkiCache& cache) {
  const auto path = cache.dir() / "issuer-master-keys.json";
  if (auto keys = read_master_keys(path)) {
    return *keys;
  }
  IssuerMasterKeys keys;
  cache.locked([&] {
    if (auto existing = read_master_keys(path)) {  // another process may have made them
      keys = *existing;
      return;
    }
    nlohmann::json j;
    for (auto [name, out] :
         {std::pair{"enc", &keys.enc}, std::pair{"mac", &keys.mac}, std::pair{"dek", &keys.dek}}) {
      out->resize(16);
      if (RAND_bytes(out->data(), static_cast<int>(out->size())) != 1) {
        fail("RAND_bytes");
      }
      j[name] = base::to_hex(*out);
    }
    const std::string text = j.dump() + "\n";
    const auto tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
      fail("cannot write " + tmp);
    }
    const bool written =
        ::fchmod(fd, 0600) == 0 &&
        ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
        ::fsync(fd) == 0;
    if (::close(fd) != 0 || !written) {
      fail("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, path);
  });
  return keys;
}

std::string make_crl(PkiCache& cache, const std::string& ca_name,
                     const std::vector<Revoked>& revoked, std::time_t this_update) {
  const auto ca_file = cache.dir() / (ca_name + ".pem");
  std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_file(ca_file.c_str(), "rb"), &BIO_free);
  const X509Ptr ca(in ? PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!ca) {
    fail("no CA certificate " + ca_file.string());
  }
  const Pkey key = cache.key(ca_name);
  std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(X509_CRL_new(), &X509_CRL_free);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> last(ASN1_TIME_set(nullptr, this_update),
                                                             &ASN1_TIME_free);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> next(
      ASN1_TIME_set(nullptr, this_update + std::time_t{24 * 60 * 60}), &ASN1_TIME_free);
  if (!crl || !last || !next || X509_CRL_set_version(crl.get(), 1) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.get())) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1) {
    fail("cannot make the CRL of " + ca_name);
  }
  for (const auto& r : revoked) {
    BIGNUM* bn = nullptr;
    if (BN_hex2bn(&bn, r.serial_hex.c_str()) == 0) {
      fail("not a serial: " + r.serial_hex);
    }
    std::unique_ptr<BIGNUM, decltype(&BN_free)> number(bn, &BN_free);
    std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> serial(
        BN_to_ASN1_INTEGER(number.get(), nullptr), &ASN1_INTEGER_free);
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> when(ASN1_TIME_set(nullptr, r.revoked_at),
                                                               &ASN1_TIME_free);
    X509_REVOKED* entry = X509_REVOKED_new();
    if (!serial || !when || entry == nullptr ||
        X509_REVOKED_set_serialNumber(entry, serial.get()) != 1 ||
        X509_REVOKED_set_revocationDate(entry, when.get()) != 1 ||
        X509_CRL_add0_revoked(crl.get(), entry) != 1) {
      X509_REVOKED_free(entry);
      fail("cannot add " + r.serial_hex + " to the CRL");
    }
  }
  if (X509_CRL_sort(crl.get()) != 1 || X509_CRL_sign(crl.get(), key.get(), EVP_sha256()) == 0) {
    fail("cannot sign the CRL of " + ca_name);
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
  if (!out || PEM_write_bio_X509_CRL(out.get(), crl.get()) != 1) {
    fail("cannot write the CRL of " + ca_name);
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

JpkiCredentials make_jpki(PkiCache& cache, const JpkiHolder& h) {
  JpkiCredentials c;
  const std::string agency = "Japan Agency for Local Authority Information Systems";
  c.auth_ca = self_signed_ca(
      cache, "jpki-auth-ca",
      {{"C", "JP"}, {"O", "JPKI-TEST"}, {"OU", "JPKI for user authentication"}, {"OU", agency}});
  c.sign_ca = self_signed_ca(
      cache, "jpki-sign-ca",
      {{"C", "JP"}, {"O", "JPKI-TEST"}, {"OU", "JPKI for digital signature"}, {"OU", agency}});
  write_pem(cache, "jpki-auth-ca.pem", c.auth_ca.der);
  write_pem(cache, "jpki-sign-ca.pem", c.sign_ca.der);
  X509Ptr auth_ca = x509_from_der(c.auth_ca.der);
  X509Ptr sign_ca = x509_from_der(c.sign_ca.der);

  c.auth.key = cache.key("person-" + h.id + "-auth");
  CertRequest auth_req{{{"C", "JP"}, {"CN", "JPKI-TEST AUTH " + h.id}},
                       h.not_before,
                       h.not_after,
                       false,
                       "critical,digitalSignature",
                       "auth/" + h.id};
  c.auth.der = issue(auth_req, c.auth.key.get(), auth_ca.get(), c.auth_ca.key.get(),
                     [](X509* cert) { add_ext(cert, cert, NID_ext_key_usage, "clientAuth"); });

  c.sign.key = cache.key("person-" + h.id + "-sign");
  CertRequest sign_req{{{"C", "JP"},
                        {"L", h.locality_prefecture},
                        {"L", h.locality_city},
                        {"CN", "JPKI-TEST SIGN " + h.id}},
                       h.not_before,
                       h.not_after,
                       false,
                       "critical,digitalSignature,nonRepudiation",
                       "sign/" + h.id};
  c.sign.der =
      issue(sign_req, c.sign.key.get(), sign_ca.get(), c.sign_ca.key.get(), [&h](X509* cert) {
        // The 4 info as otherName entries, UTF8String values.
        GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
        const std::pair<const char*, const std::string*> entries[] = {
            {"1.2.392.200149.8.5.5.1", &h.name},
            {"1.2.392.200149.8.5.5.4", &h.birth_yyyymmdd},
            {"1.2.392.200149.8.5.5.3", &h.sex_code},
            {"1.2.392.200149.8.5.5.5", &h.address}};
        for (const auto& [oid, value] : entries) {
          ASN1_UTF8STRING* s = ASN1_UTF8STRING_new();
          ASN1_STRING_set(s, value->data(), static_cast<int>(value->size()));
          ASN1_TYPE* t = ASN1_TYPE_new();
          ASN1_TYPE_set(t, V_ASN1_UTF8STRING, s);
          GENERAL_NAME* g = GENERAL_NAME_new();
          GENERAL_NAME_set0_othername(g, OBJ_txt2obj(oid, 1), t);
          sk_GENERAL_NAME_push(names, g);
        }
        X509_add1_ext_i2d(cert, NID_subject_alt_name, names, 0, 0);
        GENERAL_NAMES_free(names);
      });
  return c;
}

LicenseAuthority make_license_authority(PkiCache& cache) {
  LicenseAuthority la;
  la.ca = self_signed_ca(cache, "license-ca",
                         {{"C", "JP"},
                          {"O", "NPA-TEST"},
                          {"OU", "Driver License Authority (test)"},
                          {"CN", "License Authority Test CA"}});
  write_pem(cache, "license-ca.pem", la.ca.der);
  X509Ptr ca = x509_from_der(la.ca.der);
  la.signer.key = cache.key("license-signer");
  CertRequest req{{{"C", "JP"}, {"O", "NPA-TEST"}, {"CN", "License Data Signer (test)"}},
                  kCaFrom,
                  kCaTo,
                  false,
                  "critical,digitalSignature,nonRepudiation",
                  "license-signer"};
  la.signer.der = issue(req, la.signer.key.get(), ca.get(), la.ca.key.get());
  return la;
}

Bytes rsa_sign_digest_info(EVP_PKEY* key, std::span<const uint8_t> digest_info) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
  Bytes sig;
  size_t n = 0;
  if (ctx != nullptr && EVP_PKEY_sign_init(ctx) == 1 &&
      EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
      EVP_PKEY_sign(ctx, nullptr, &n, digest_info.data(), digest_info.size()) == 1) {
    sig.resize(n);
    if (EVP_PKEY_sign(ctx, sig.data(), &n, digest_info.data(), digest_info.size()) == 1) {
      sig.resize(n);
    } else {
      sig.clear();
    }
  }
  EVP_PKEY_CTX_free(ctx);
  return sig;
}

Bytes rsa_sign_sha256(EVP_PKEY* key, std::span<const uint8_t> message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Bytes sig;
  size_t n = 0;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &n, message.data(), message.size()) == 1) {
    sig.resize(n);
    if (EVP_DigestSign(ctx, sig.data(), &n, message.data(), message.size()) != 1) {
      sig.clear();
    }
  }
  EVP_MD_CTX_free(ctx);
  if (sig.empty()) {
    fail("SHA-256 signature");
  }
  return sig;
}

std::string der_to_pem(std::span<const uint8_t> der) {
  X509Ptr cert = x509_from_der(der);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

X509Ptr x509_from_der(std::span<const uint8_t> der) {
  const unsigned char* p = der.data();
  X509* c = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (c == nullptr) {
    fail("not a DER certificate");
  }
  return X509Ptr(c);
}

}  // namespace mk::devices::sim
