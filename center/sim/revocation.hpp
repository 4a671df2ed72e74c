#pragma once

// Revocation in the test JPKI: the municipality's change of a person's details revokes their
// signing certificate (R-OS-REFLECT). The centre simulator keeps the revoked serials in its
// database (`revoked_certificates`, with the CA that issued each) and publishes each JPKI CA's CRL
// beside its database, as the CA would at its distribution point; the relying-party checks read
// revocation from that CRL only (X509_V_FLAG_CRL_CHECK), like a relying party outside the JPKI.

#include <filesystem>
#include <string>

namespace mk::center::sim {

struct SimulatorState;

// The CAs whose CRLs the simulator publishes: "jpki-sign-ca", "jpki-auth-ca".
inline constexpr const char* kJpkiCas[] = {"jpki-sign-ca", "jpki-auth-ca"};

// Where the CRL of `ca` is published: <database>.<ca>.crl (PEM).
std::filesystem::path crl_path(const SimulatorState& centre, const std::string& ca);

// The CRL of `ca`, published first if it is not yet (its CA made after the simulator started).
std::filesystem::path published_crl(SimulatorState& centre, const std::string& ca);

// Writes every CA's CRL from the table (at start, and after each revocation).
void publish_crls(SimulatorState& centre);

// Adds a serial (uppercase hex, as OpenSSL prints it) of a certificate `ca` issued to the list,
// and publishes that CA's CRL again.
void revoke(SimulatorState& centre, const std::string& serial, const std::string& ca);
// Takes a serial off `ca`'s list again (a hold lifted: certificateHold is the one revocation that
// can end) and publishes its CRL again.
void reinstate(SimulatorState& centre, const std::string& serial, const std::string& ca);

}  // namespace mk::center::sim
