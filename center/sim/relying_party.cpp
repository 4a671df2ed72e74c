#include "center/sim/relying_party.hpp"

#include <ctime>
#include <memory>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "base/text/comparison_text.hpp"

namespace mk::center::sim {

namespace {

struct Free {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(char* p) const { OPENSSL_free(p); }
};

constexpr const char* kOidName = "1.2.392.200149.8.5.5.1";
constexpr const char* kOidBirth = "1.2.392.200149.8.5.5.4";

[[noreturn]] void refuse(const char* code, const std::string& message) {
  ERR_clear_error();
  throw RelyingPartyError(code, message);
}

std::unique_ptr<X509, Free> parse(std::span<const uint8_t> der) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509, Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != der.data() + der.size()) {
    refuse("certificate_untrusted", "the signing certificate is not one DER X.509 certificate");
  }
  return cert;
}

std::time_t to_time_t(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) {
    refuse("certificate_untrusted", "the certificate's validity does not parse");
  }
  return timegm(&tm);
}

// The otherName entries of the subjectAltName with the given OID, as UTF-8.
std::string other_name(X509* cert, const char* oid) {
  std::unique_ptr<GENERAL_NAMES, Free> names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) {
    return {};
  }
  ASN1_OBJECT* want = OBJ_txt2obj(oid, 1);
  std::string out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names.get(), i);
    if (n->type == GEN_OTHERNAME && OBJ_cmp(n->d.otherName->type_id, want) == 0 &&
        n->d.otherName->value->type == V_ASN1_UTF8STRING) {
      const ASN1_UTF8STRING* s = n->d.otherName->value->value.utf8string;
      out.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                 static_cast<size_t>(ASN1_STRING_length(s)));
      break;
    }
  }
  ASN1_OBJECT_free(want);
  return out;
}

void check_chain(X509* cert, const std::filesystem::path& ca_pem,
                 const std::filesystem::path& crl_pem) {
  std::unique_ptr<X509_STORE, Free> store(X509_STORE_new());
  if (!store || X509_STORE_load_file(store.get(), ca_pem.c_str()) != 1) {
    refuse("certificate_untrusted", "the trusted signing CA file cannot be read");
  }
  unsigned long flags = X509_V_FLAG_NO_CHECK_TIME;
  if (!crl_pem.empty()) {
    // The CA's published list, read as any relying party reads it (a missing or unreadable list
    // is no "not revoked": the certificate is refused).
    if (X509_STORE_load_file(store.get(), crl_pem.c_str()) != 1) {
      refuse("certificate_untrusted", "the CA's revocation list cannot be read");
    }
    flags |= X509_V_FLAG_CRL_CHECK;
  }
  std::unique_ptr<X509_STORE_CTX, Free> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr) != 1) {
    refuse("certificate_untrusted", "cannot set up the chain check");
  }
  // Time is checked separately against the centre's clock, to report expiry by its own code (the
  // CRL's own dates are not checked either: the simulator's clock may be pinned to another day).
  X509_STORE_CTX_set_flags(ctx.get(), flags);
  if (X509_verify_cert(ctx.get()) != 1) {
    if (X509_STORE_CTX_get_error(ctx.get()) == X509_V_ERR_CERT_REVOKED) {
      refuse("certificate_revoked", "the certificate is on its CA's revocation list");
    }
    refuse("certificate_untrusted",
           std::string("the signing certificate does not chain to the JPKI signing CA: ") +
               X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
  }
}

void check_signature(X509* cert, std::span<const uint8_t> document,
                     std::span<const uint8_t> signature) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  std::unique_ptr<EVP_MD_CTX, Free> md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (key == nullptr || EVP_PKEY_base_id(key) != EVP_PKEY_RSA || !md ||
      EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, key) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    refuse("signature_invalid", "the certificate's key cannot verify RSA PKCS#1 v1.5 signatures");
  }
  if (EVP_DigestVerify(md.get(), signature.data(), signature.size(), document.data(),
                       document.size()) != 1) {
    refuse("signature_invalid", "the signature does not verify over the document");
  }
}

// The certificate parsed, chained to the trusted CA, not revoked and valid now.
std::unique_ptr<X509, Free> trusted_certificate(std::span<const uint8_t> certificate_der,
                                                const RelyingPartyOptions& options) {
  auto cert = parse(certificate_der);
  check_chain(cert.get(), options.trusted_ca_pem, options.crl_pem);
  const std::time_t now = std::chrono::system_clock::to_time_t(options.now);
  if (now > to_time_t(X509_get0_notAfter(cert.get()))) {
    refuse("certificate_expired", "the certificate has expired");
  }
  if (now < to_time_t(X509_get0_notBefore(cert.get()))) {
    refuse("certificate_untrusted", "the certificate is not valid yet");
  }
  return cert;
}

}  // namespace

void check_authentication(std::span<const uint8_t> challenge, std::span<const uint8_t> signature,
                          std::span<const uint8_t> certificate_der,
                          const RelyingPartyOptions& options) {
  auto cert = trusted_certificate(certificate_der, options);
  const uint32_t usage = X509_get_key_usage(cert.get());
  if ((usage & KU_DIGITAL_SIGNATURE) == 0 || (usage & KU_NON_REPUDIATION) != 0) {
    refuse("certificate_wrong_key_usage", "the certificate is not an authentication certificate");
  }
  check_signature(cert.get(), challenge, signature);
  ERR_clear_error();
}

std::string jst_date(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto day = floor<days>(t + hours(9));
  const year_month_day ymd{day};
  char buf[16];
  static_cast<void>(std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                                  static_cast<unsigned>(ymd.month()),
                                  static_cast<unsigned>(ymd.day())));
  return buf;
}

std::string certificate_serial_hex(std::span<const uint8_t> certificate_der) {
  auto cert = parse(certificate_der);
  std::unique_ptr<BIGNUM, Free> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr));
  std::unique_ptr<char, Free> hex(bn ? BN_bn2hex(bn.get()) : nullptr);
  if (!hex) {
    refuse("certificate_untrusted", "the certificate's serial number does not parse");
  }
  return hex.get();
}

std::string check_signed_document(std::span<const uint8_t> document,
                                  std::span<const uint8_t> signature,
                                  std::span<const uint8_t> certificate_der,
                                  const ExpectedSigner& signer,
                                  const RelyingPartyOptions& options) {
  auto cert = trusted_certificate(certificate_der, options);
  std::string serial = certificate_serial_hex(certificate_der);
  const std::time_t not_before = to_time_t(X509_get0_notBefore(cert.get()));
  const uint32_t usage = X509_get_key_usage(cert.get());
  if ((usage & KU_NON_REPUDIATION) == 0 || (usage & KU_DIGITAL_SIGNATURE) == 0) {
    refuse("certificate_wrong_key_usage",
           "the certificate is not a signing certificate (nonRepudiation and digitalSignature)");
  }
  check_signature(cert.get(), document, signature);
  if (!base::same_text(other_name(cert.get(), kOidName), signer.name) ||
      other_name(cert.get(), kOidBirth) != signer.birth_yyyymmdd) {
    refuse("certificate_holder_mismatch", "the signing certificate names another person");
  }
  if (options.refuse_issued_today &&
      jst_date(std::chrono::system_clock::from_time_t(not_before)) == jst_date(options.now)) {
    refuse("certificate_issued_today",
           "the signing certificate was issued today; one-stop can start from tomorrow");
  }
  ERR_clear_error();
  return serial;
}

}  // namespace mk::center::sim
