#include "devices/cards/signature_check.hpp"

#include <memory>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace mk::devices {

const char* to_string(SignatureVerdict verdict) {
  switch (verdict) {
    case SignatureVerdict::valid:
      return "valid";
    case SignatureVerdict::invalid_signature:
      return "invalid_signature";
    case SignatureVerdict::untrusted_signer:
      return "untrusted_signer";
    case SignatureVerdict::no_trust_anchor:
      return "no_trust_anchor";
    case SignatureVerdict::malformed:
      return "malformed";
  }
  return "malformed";
}

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) {
    return "no detail";
  }
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

}  // namespace

SignatureCheck check_rsa_sha256_signature(std::span<const uint8_t> data,
                                          std::span<const uint8_t> signature,
                                          std::span<const uint8_t> signer_der,
                                          const std::filesystem::path& trusted_ca_pem,
                                          long at_time) {
  const unsigned char* p = signer_der.data();
  X509Ptr signer(d2i_X509(nullptr, &p, static_cast<long>(signer_der.size())));
  if (!signer || p != signer_der.data() + signer_der.size()) {
    return {SignatureVerdict::malformed, "signer certificate: " + openssl_error()};
  }
  // 1. The signature over the data, with the signer's public key.
  MdCtxPtr md(EVP_MD_CTX_new());
  EVP_PKEY* key = X509_get0_pubkey(signer.get());
  if (!md || key == nullptr ||
      EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestVerifyUpdate(md.get(), data.data(), data.size()) != 1) {
    return {SignatureVerdict::malformed, "signer key: " + openssl_error()};
  }
  if (EVP_DigestVerifyFinal(md.get(), signature.data(), signature.size()) != 1) {
    return {SignatureVerdict::invalid_signature, "signature does not verify: " + openssl_error()};
  }
  // 2. The signer chains to the license authority CA.
  StorePtr store(X509_STORE_new());
  if (!store || trusted_ca_pem.empty() ||
      X509_STORE_load_file(store.get(), trusted_ca_pem.c_str()) != 1) {
    ERR_clear_error();
    return {SignatureVerdict::no_trust_anchor,
            "no license authority CA at \"" + trusted_ca_pem.string() + "\""};
  }
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), signer.get(), nullptr) != 1) {
    return {SignatureVerdict::malformed, "verification context: " + openssl_error()};
  }
  if (at_time != 0) {
    X509_STORE_CTX_set_time(ctx.get(), 0, at_time);
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return {SignatureVerdict::untrusted_signer, X509_verify_cert_error_string(error)};
  }
  return {SignatureVerdict::valid, "ok"};
}

}  // namespace mk::devices
