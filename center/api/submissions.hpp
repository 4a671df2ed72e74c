#pragma once

// Signed submissions: a document the card signed with its JPKI signing key, and what the one-stop
// and portal linkage requests answer (consents, linkages).

#include <string>

#include "center/api/wire_codec.hpp"

namespace mk::center::api {

struct ConsentItems {
  bool address = false, name = false, birth_date = false;
};

// A document the card signed with its JPKI signing key (RSA PKCS#1 v1.5, SHA-256).
struct SignedSubmission {
  std::string holder_ref;
  Bytes document;  // the exact bytes signed
  Bytes signature;
  Bytes certificate;  // the signing certificate, DER
};

struct ConsentRequest {
  SignedSubmission signed_;  // members at the top level of the body
  ConsentItems items;
};

struct Consent {
  std::string consent_id;
  std::string holder_ref;
  ConsentItems items;
  std::string valid_from, valid_until;  // dates; until = from + 10 years
  bool renewed = false;
  std::string status;  // "active" / "cancelled"
};

// POST /v1/signing/nonces: a nonce for one signed document (the consent names it), issued to the
// asking terminal and good for one submission. `issued_at` is the document's time.
struct SigningNonceRequest {
  std::string purpose = "onestop_consent";  // or "portal_linkage"
};
struct SigningNonce {
  Bytes nonce;            // 32 bytes, base64 on the wire
  std::string issued_at;  // RFC 3339
};

struct Linkage {
  std::string linkage_id;
  std::string holder_ref;
  std::string portal_available_from;  // RFC 3339, submission + 30 minutes
};

MK_CENTER_API_JSON(ConsentItems)
MK_CENTER_API_JSON(SignedSubmission)
MK_CENTER_API_JSON(ConsentRequest)
MK_CENTER_API_JSON(Consent)
MK_CENTER_API_JSON(SigningNonceRequest)
MK_CENTER_API_JSON(SigningNonce)
MK_CENTER_API_JSON(Linkage)
}  // namespace mk::center::api
