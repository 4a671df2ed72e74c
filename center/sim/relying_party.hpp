#pragma once

// The relying-party checks the centre makes on a document signed with a My Number card's JPKI
// signing key (one-stop consent, portal linkage; docs/center-sim.md), all with OpenSSL:
// the certificate chains to the trusted signing CA, is within its validity, is not revoked,
// has the nonRepudiation key usage, the signature (RSA PKCS#1 v1.5 SHA-256) verifies over the
// exact document, and the certificate's 4-info names the holder (compared as text keys,
// base/text/comparison_text.hpp). Optionally the same-day rule
// R-OS-SAME-DAY: a certificate whose notBefore falls on today (JST) cannot complete a one-stop
// start.

#include <chrono>
#include <filesystem>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>

namespace mk::center::sim {

// A refused submission: `code` is the API error code (certificate_untrusted, ...).
class RelyingPartyError : public std::runtime_error {
 public:
  RelyingPartyError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

struct ExpectedSigner {
  std::string name;            // as in the basic 4 info; spaces do not matter
  std::string birth_yyyymmdd;  // "19850412"
};

struct RelyingPartyOptions {
  std::filesystem::path trusted_ca_pem;  // the JPKI signing CA(s)
  // The CA's CRL (PEM) the chain is checked against; empty: no revocation check.
  std::filesystem::path crl_pem;
  std::chrono::system_clock::time_point now;
  bool refuse_issued_today = false;  // R-OS-SAME-DAY, for the one-stop start
};

// Checks everything above in that order and throws RelyingPartyError at the first failure.
// Returns the certificate's serial number (uppercase hex) for the record.
std::string check_signed_document(std::span<const uint8_t> document,
                                  std::span<const uint8_t> signature,
                                  std::span<const uint8_t> certificate_der,
                                  const ExpectedSigner& signer, const RelyingPartyOptions& options);

// A JPKI authentication: `signature` (RSA PKCS#1 v1.5 SHA-256) over `challenge` by the key of
// `certificate_der`, which chains to options.trusted_ca_pem (the JPKI authentication CA), is valid
// and not revoked, and is an authentication certificate (digitalSignature, no nonRepudiation).
// Throws RelyingPartyError at the first failure.
void check_authentication(std::span<const uint8_t> challenge, std::span<const uint8_t> signature,
                          std::span<const uint8_t> certificate_der,
                          const RelyingPartyOptions& options);

// The serial number of a DER certificate as uppercase hex; throws RelyingPartyError
// (certificate_untrusted) when it does not parse.
std::string certificate_serial_hex(std::span<const uint8_t> certificate_der);

// The calendar day in Japan (UTC+9, no daylight saving) of an instant, "YYYY-MM-DD".
std::string jst_date(std::chrono::system_clock::time_point t);

}  // namespace mk::center::sim
