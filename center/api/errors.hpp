#pragma once

// The centre API's refusals (docs/center-api.md, "Errors"): the error codes, which of them are
// final, and the error envelope every non-2xx answer carries.

#include <string>
#include <string_view>

#include "center/api/wire_codec.hpp"

namespace mk::center::api {

// Every error code of the API (docs/center-api.md, "Errors").
namespace code {
inline constexpr const char* kBadRequest = "bad_request";
inline constexpr const char* kNotFound = "not_found";
inline constexpr const char* kTerminalUnknown = "terminal_unknown";
inline constexpr const char* kTerminalMismatch = "terminal_mismatch";
inline constexpr const char* kIdempotencyKeyRequired = "idempotency_key_required";
inline constexpr const char* kIdempotencyKeyReused = "idempotency_key_reused";
inline constexpr const char* kHolderNotFound = "holder_not_found";
inline constexpr const char* kHolderMismatch = "holder_mismatch";
inline constexpr const char* kNotEligible = "not_eligible";
// R-LOST: the card named is not the one that holds the holder's record (it was replaced).
inline constexpr const char* kCardReplaced = "card_replaced";
inline constexpr const char* kCertificateIssuedToday = "certificate_issued_today";
inline constexpr const char* kCertificateExpired = "certificate_expired";
inline constexpr const char* kCertificateRevoked = "certificate_revoked";
inline constexpr const char* kCertificateUntrusted = "certificate_untrusted";
inline constexpr const char* kCertificateWrongKeyUsage = "certificate_wrong_key_usage";
inline constexpr const char* kCertificateHolderMismatch = "certificate_holder_mismatch";
inline constexpr const char* kSignatureInvalid = "signature_invalid";
inline constexpr const char* kCardCryptogramInvalid = "card_cryptogram_invalid";
inline constexpr const char* kSessionNotFound = "session_not_found";
inline constexpr const char* kSessionState = "session_state";
inline constexpr const char* kRmacInvalid = "rmac_invalid";
inline constexpr const char* kConsentNotFound = "consent_not_found";
// A signed consent whose document is not the canonical text (flows/rules/one_stop.hpp), or does
// not say what the request says (holder, items, terms, terminal).
inline constexpr const char* kConsentDocumentInvalid = "consent_document_invalid";
// A signed portal linkage request whose document is not the canonical text
// (flows/rules/portal_linkage.hpp), or names another holder or terminal than the request.
inline constexpr const char* kLinkageDocumentInvalid = "linkage_document_invalid";
// The document's nonce: not one this centre issued to this terminal for it, or already used.
inline constexpr const char* kNonceUnknown = "nonce_unknown";
inline constexpr const char* kNonceUsed = "nonce_used";
inline constexpr const char* kAppointmentNotFound = "appointment_not_found";
inline constexpr const char* kAppointmentNotToday = "appointment_not_today";
// Checked in at another kiosk (one kiosk serves one appointment).
inline constexpr const char* kAppointmentCheckedIn = "appointment_checked_in";
// The PIN unlock (R-LIC-PIN-LOCK): today, but not now (before or after its slot).
inline constexpr const char* kAppointmentOutsideWindow = "appointment_outside_window";
// Its one unlock is done.
inline constexpr const char* kAppointmentUsed = "appointment_used";
// Too many failed identity checks (flows/rules/pin_unlock.hpp): only the centre's staff reopen it.
inline constexpr const char* kAppointmentLocked = "appointment_locked";
// Identity checked before the kiosk checked the appointment in.
inline constexpr const char* kAppointmentNotCheckedIn = "appointment_not_checked_in";
// The card that signed is not the one that holds the appointment holder's licence record.
inline constexpr const char* kAppointmentHolderMismatch = "appointment_holder_mismatch";
// The photo taken at the kiosk: no face the centre can compare, or not the licence photo's face.
inline constexpr const char* kFaceNotFound = "face_not_found";
inline constexpr const char* kFaceMismatch = "face_mismatch";
inline constexpr const char* kAuditChainBroken = "audit_chain_broken";
// Staff sign-in: no staff member has this ID and PIN (the two are not told apart, so an ID cannot
// be found out by trying), or the member is locked after too many wrong PINs (a supervisor at the
// centre reopens it).
inline constexpr const char* kStaffSignInRefused = "staff_sign_in_refused";
inline constexpr const char* kStaffLocked = "staff_locked";
// No call with this id from this kiosk (answering a call).
inline constexpr const char* kCallNotFound = "call_not_found";
inline constexpr const char* kUnavailable = "unavailable";
inline constexpr const char* kInternal = "internal";
}  // namespace code

// Whether a refusal with this code is the centre's last word on that request: the request itself
// is wrong for good (the holder, the certificate, the signature, the state of the record), so
// sending it again can never succeed. Every other code — and a refusal without the centre's
// envelope, which may be a proxy's page — leaves the submission to be tried again and reported.
bool is_final_refusal(std::string_view code);

// Every 2xx JSON answer to a request with an Idempotency-Key names that key in this member, so the
// kiosk can tell the centre's answer from a captive portal's or a proxy's 200.
inline constexpr const char* kEchoedKeyField = "idempotency_key";

// {"error":{"code","message","retryable"}}: every non-2xx answer.
struct ErrorBody {
  std::string code;     // snake_case, one of code::
  std::string message;  // English, for the log; never personal data
  bool retryable = false;
};

MK_CENTER_API_JSON(ErrorBody)

// The error envelope: {"error":{...}}.
Json error_envelope(const ErrorBody& e);
// Reads an error envelope; WireError when the body is not one.
ErrorBody parse_error_envelope(std::string_view text);
}  // namespace mk::center::api
