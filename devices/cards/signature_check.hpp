#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "devices/apdu/bytes.hpp"

namespace mk::devices {

enum class SignatureVerdict {
  valid,              // the signature verifies and the signer chains to a trusted CA
  invalid_signature,  // the data or the signature was changed
  untrusted_signer,   // the signer certificate does not chain to the license authority CA
  no_trust_anchor,    // the kiosk has no license authority CA to check against
  malformed,          // the signer certificate cannot be parsed
};
const char* to_string(SignatureVerdict verdict);

struct SignatureCheck {
  SignatureVerdict verdict = SignatureVerdict::malformed;
  std::string detail;  // OpenSSL's reason, for the log
  bool valid() const { return verdict == SignatureVerdict::valid; }
};

// RSA PKCS#1 v1.5 SHA-256 `signature` over `data` by `signer_der`, whose chain must end at one of
// the PEM certificates in `trusted_ca_pem` (the license authority CA), checked with OpenSSL
// (X509_verify_cert: chain, validity at `at_time` (0 = now), key usage as OpenSSL checks it).
SignatureCheck check_rsa_sha256_signature(std::span<const uint8_t> data,
                                          std::span<const uint8_t> signature,
                                          std::span<const uint8_t> signer_der,
                                          const std::filesystem::path& trusted_ca_pem,
                                          long at_time = 0);

}  // namespace mk::devices
