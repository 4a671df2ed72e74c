#pragma once

// The test PKI of the virtual cards, made with OpenSSL at run time: a JPKI-like hierarchy (an
// authentication CA and a signature CA, each a self-signed root, and per-person end-entity
// certificates) and the license authority (a CA and the 免許AP data signer). RSA-2048 keys are
// generated once and kept in a cache folder (PEM); certificates are rebuilt from the keys and
// the fixture each time and come out byte-identical, because every field is derived from the
// inputs and RSA PKCS#1 v1.5 signatures are deterministic.

#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "devices/apdu/bytes.hpp"

namespace mk::devices::sim {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* c) const { X509_free(c); }
};
using Pkey = std::shared_ptr<EVP_PKEY>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

// A calendar day, for certificate validity.
struct Day {
  int year = 2026, month = 1, day = 1;
};

class PkiCache {
 public:
  // Creates the folder if needed. Default folder: $MK_SIM_PKI_CACHE, else
  // $XDG_CACHE_HOME/mynakiosk/sim-pki, else ~/.cache/mynakiosk/sim-pki.
  explicit PkiCache(std::filesystem::path dir);
  static std::filesystem::path default_dir();
  const std::filesystem::path& dir() const { return dir_; }

  // The RSA-2048 key called `name`, loaded from the cache or generated (under a file lock, so
  // two simulators starting together share one key).
  Pkey key(const std::string& name);

  // Runs `fn` holding the cache's file lock (the one key generation takes).
  void locked(const std::function<void()>& fn);

 private:
  std::filesystem::path dir_;
};

// One certificate with its key.
struct Issued {
  Bytes der;
  Pkey key;
};

struct JpkiHolder {
  std::string id;                                       // fixture id: names the cached keys
  std::string name, address, birth_yyyymmdd, sex_code;  // UTF-8; sex "1" / "2" / "9"
  std::string locality_prefecture, locality_city;
  Day not_before, not_after;
};

struct JpkiCredentials {
  Issued auth_ca, sign_ca, auth, sign;
};

// The JPKI-like hierarchy for one holder; writes jpki-auth-ca.pem and jpki-sign-ca.pem into the
// cache folder as well.
JpkiCredentials make_jpki(PkiCache& cache, const JpkiHolder& holder);

// One revoked certificate on a CRL.
struct Revoked {
  std::string serial_hex;  // uppercase hex, as OpenSSL prints it
  std::time_t revoked_at = 0;
};

// The CRL (PEM, X.509 v2, SHA-256) that the CA called `ca_name` (its key in the cache and its
// certificate in <ca_name>.pem, as make_jpki writes them) publishes: `revoked`, issued
// `this_update`, the next one due a day later. The test JPKI's revocation list, as a relying
// party (the centre) and `openssl verify -crl_check` read it.
std::string make_crl(PkiCache& cache, const std::string& ca_name,
                     const std::vector<Revoked>& revoked, std::time_t this_update);

struct LicenseAuthority {
  Issued ca, signer;
};
// The test license authority (profile v1); writes license-ca.pem into the cache folder.
LicenseAuthority make_license_authority(PkiCache& cache);

// The test issuer master keys of docs/issuer-channel.md (AES-128 each), in
// <cache>/issuer-master-keys.json as {"enc":"<32 hex>","mac":"<32 hex>","dek":"<32 hex>"}, mode
// 0600. Generated with RAND_bytes under the cache's file lock when missing; the virtual card, the
// issuer and tests all read this one file. Throws std::runtime_error on a malformed file.
struct IssuerMasterKeys {
  Bytes enc, mac, dek;
};
IssuerMasterKeys load_or_create_issuer_master_keys(PkiCache& cache);

// PKCS#1 v1.5 type-1 signature of a DigestInfo (what the card's COMPUTE DIGITAL SIGNATURE does).
Bytes rsa_sign_digest_info(EVP_PKEY* key, std::span<const uint8_t> digest_info);
// RSA PKCS#1 v1.5 SHA-256 signature of the message.
Bytes rsa_sign_sha256(EVP_PKEY* key, std::span<const uint8_t> message);

std::string der_to_pem(std::span<const uint8_t> der);
X509Ptr x509_from_der(std::span<const uint8_t> der);

}  // namespace mk::devices::sim
