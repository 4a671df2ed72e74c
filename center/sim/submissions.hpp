#pragma once

// Signed submissions at the centre simulator: the one-stop consent (start, cancel) and the
// portal linkage, each a document the holder signed with the card's JPKI signing key, checked
// as a relying party on the centre's clock and revocation list.

#include <string>

#include <httplib.h>

#include "center/sim/relying_party.hpp"
#include "center/sim/replies.hpp"

namespace mk::center::sim {

struct SimulatorState;

// The relying party's checks against a JPKI CA of the test PKI (a file of its folder), on the
// centre's clock and that CA's CRL (center/sim/revocation.hpp).
RelyingPartyOptions relying_party_options(SimulatorState& centre, const char* ca_pem);

// A nonce for one signed document of `purpose` ("onestop_consent", "portal_linkage"), issued to
// `terminal` now; an unknown purpose fails with bad_request.
api::SigningNonce issue_nonce(SimulatorState& centre, const std::string& terminal,
                              const std::string& purpose);

Reply signing_nonce(SimulatorState& centre, const httplib::Request& req,
                    const std::string& terminal);  // /v1/signing/nonces
Reply start_consent(SimulatorState& centre, const httplib::Request& req,
                    const std::string& terminal);                           // /v1/onestop/consents
Reply cancel_consent(SimulatorState& centre, const httplib::Request& req);  // .../{ref}/cancel
Reply submit_linkage(SimulatorState& centre, const httplib::Request& req,
                     const std::string& terminal);  // /v1/portal/linkages

}  // namespace mk::center::sim
