#pragma once

// The JSON wire types of the centre API (docs/center-api.md), shared by the centre simulator and
// the kiosk's typed client. Each type has nlohmann-json to_json/from_json; from_json validates
// (member types, lengths, hex/base64, enums, dates) and throws WireError naming the field, so a
// garbage body is refused with a message and never crashes.
//
// Byte fields: APDUs, host challenges and hashes are uppercase hex (lowercase is accepted on
// input); documents, signatures, certificates and photos are standard base64 with padding.
// Dates are "YYYY-MM-DD"; instants RFC 3339 with an offset ("2026-01-15T18:00:00+09:00").

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "center/issuer/secret_bytes.hpp"
#include "center/issuer/types.hpp"

namespace mk::center::api {

using Bytes = issuer::Bytes;
using Json = nlohmann::json;

// A body that is not what the API says. `field()` is the JSON path of the offending member
// ("rows[2].hash", "" for the body itself); the message never holds the member's value.
class WireError : public std::runtime_error {
 public:
  WireError(std::string field, const std::string& problem);
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Parses `text` as JSON and then as T; JSON syntax errors become WireError("", ...).
Json parse_json(std::string_view text);
template <typename T>
T parse_body(std::string_view text) {
  return parse_json(text).get<T>();
}

// A field's bytes from hex (base/hex.hpp; written with base::to_hex, upper case) and base64
// (OpenSSL's). Decoders throw WireError(field, ...) on bad input.
Bytes from_hex(std::string_view hex, const std::string& field);
std::string to_base64(std::span<const uint8_t> bytes);
Bytes from_base64(std::string_view text, const std::string& field);

// ---- errors --------------------------------------------------------------------------------

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
inline constexpr const char* kAppointmentNotFound = "appointment_not_found";
inline constexpr const char* kAppointmentNotToday = "appointment_not_today";
inline constexpr const char* kAppointmentCheckedIn = "appointment_checked_in";
inline constexpr const char* kAuditChainBroken = "audit_chain_broken";
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

// ---- kiosk and reference data ----------------------------------------------------------------

struct KioskInfo {
  std::string terminal_id;  // the client certificate's CN
  std::string center_name, center_code;
  std::string server_time;  // RFC 3339
};

struct Fee {
  std::string id;  // "lecture_online", "lecture_excellent", ...
  int64_t yen = 0;
};
struct OpeningHours {
  int weekday = 1;    // ISO: 1 Monday .. 7 Sunday
  std::string open;   // "08:30"
  std::string close;  // "17:00"
};
struct TextOverride {
  std::string key, lang, text;
};
struct ReferenceData {
  std::string version;  // also the ETag
  std::vector<Fee> fees;
  std::vector<std::string> holidays;  // dates
  std::vector<OpeningHours> opening_hours;
  std::vector<TextOverride> texts;
};

struct Health {
  std::string status;  // "ok"
  std::string server_time;
  std::string version;
};

// ---- holders --------------------------------------------------------------------------------

// From the conventional license (or the 免許AP record) and the card's basic 4 info.
// Which My Number card the kiosk has in hand: SHA-256 of its JPKI authentication certificate
// (public, read without a PIN), 64 lowercase hex digits. The centre keeps the identity of the card
// that holds each holder's record (R-LOST: a replaced card's record is no longer valid).
struct HolderLookupRequest {
  std::string license_number;  // 12 digits
  std::string birth_date;      // YYYY-MM-DD
  std::string name;            // as in the basic 4 info (spaces do not matter)
  std::string address;
  std::string card_id;  // optional ("" when the card has no readable identity)
};

// マイナ経歴証明書 (R-HISTORY): someone who returned the licence has no licence to read; the basic
// 4 info names them. POST /v1/history/lookup → LicenseRecordView (license_number: the history
// number).
struct HistoryLookupRequest {
  std::string birth_date;  // YYYY-MM-DD
  std::string name;
  std::string address;
  std::string card_id;  // optional, as in HolderLookupRequest
};

struct LicenseClass {
  std::string name;  // "futsu", "futsujini", ... (devices/sim fixture names)
  std::string date;  // YYYY-MM-DD
};

enum class HoldingForm { both, myna_only, conventional_only };

struct LicenseRecordView {
  std::string holder_ref;  // opaque; names the holder in every later call
  // "license", or "history": a マイナ経歴証明書 (R-HISTORY) — someone who returned the licence;
  // license_number is then the history number, and there is no colour band (color empty).
  std::string kind = "license";
  std::string license_number;
  std::string expiry;  // YYYY-MM-DD
  std::string color;  // the face's colour band: 優良 / 一般 / 新規 (never the driver category)
  std::vector<LicenseClass> classes;
  std::vector<std::string> conditions;
  std::string commission;
  HoldingForm holding_form = HoldingForm::conventional_only;
  bool license_ap_recorded = false;
  bool address_changed = false;  // the basic 4 address differs from the record's
  // This centre is in the holder's home prefecture. Elsewhere only 経由申請 (a renewal) and
  // returning the conventional licence are possible (R-VIA).
  bool at_home_centre = true;
  // The last day of the person's current My Number card, as J-LIS tells the centre (YYYY-MM-DD;
  // empty when unknown): R-CARD-EXPIRY is decided on it — the kiosk never reads the My Number.
  std::string card_expiry;
  // Where the holder's record is: "this" (the card named by card_id), "another" (a card that
  // replaced this one, or this one replaced: R-LOST), "none" (not recorded on any card), or
  // "unknown" (no card_id asked about).
  std::string record_card = "unknown";
  Bytes photo_j2k;  // base64 on the wire
};

// return_conventional: both → myna_only (R-FORM-DROP); erase_record: → conventional_only (the
// card side is an issuer delete session); add_conventional: myna_only → both, the centre issues
// a conventional licence again (R-FORM-ADD-CONV).
enum class HoldingFormAction { return_conventional, erase_record, add_conventional };
struct HoldingFormRequest {
  HoldingFormAction action = HoldingFormAction::return_conventional;
};
struct HoldingFormChange {
  std::string holder_ref;
  HoldingForm holding_form = HoldingForm::both;
  std::string changed_at;
};

// ---- renewal (R-RENEW-REWRITE, R-VIA) ----------------------------------------------------------

// What the counter's renewal means for the card: POST /v1/holders/{ref}/renewal (body {}). Only a
// renewal the counter completed (適性検査, 講習, fee) is offered; otherwise not_eligible.
struct RenewalOffer {
  std::string holder_ref;
  std::string current_expiry;  // YYYY-MM-DD
  std::string new_expiry;      // YYYY-MM-DD: the record after the rewrite (Road Traffic Act)
  std::string color;           // the renewed licence's colour band: 優良 / 一般
  // The driver category on the renewal day: 優良 / 一般 / 違反 / 初回更新 — for the 経由申請 rule
  // only; shown to nobody and never written to a card (R-NO-VIOLATIONS).
  std::string category;
  std::vector<std::string> conditions;
  std::string birth_date;  // YYYY-MM-DD (the period is counted from the birthday)
  bool relapsed_at_last_renewal = false;
  bool via = false;  // 経由申請: this centre is not in the holder's home prefecture
  HoldingForm holding_form = HoldingForm::both;
};

// A Myna-only holder has no plastic licence to name them (FAQ 3, 11: a replaced or renewed card, a
// rewrite cut short): the My Number card does, by a JPKI authentication. POST
// /v1/auth/challenges (body {}) → AuthChallenge: 32 random bytes, single use, valid 5 minutes.
struct AuthChallenge {
  Bytes challenge;         // base64 on the wire
  std::string expires_at;  // RFC 3339
};

// POST /v1/holders/lookup-by-card → LicenseRecordView: the card signed the challenge with its
// authentication key (RSA PKCS#1 v1.5 SHA-256); the centre checks the certificate (JPKI auth CA,
// validity, revocation), that card_id is its hash, and finds the licence holder named by the basic
// 4 info.
struct CardLookupRequest {
  std::string birth_date;  // YYYY-MM-DD
  std::string name;
  std::string address;
  std::string card_id;
  Bytes challenge;
  Bytes certificate;  // the JPKI authentication certificate, DER
  Bytes signature;
};

// Which card holds the record of a licence: POST /v1/cards/status (the read-back asks it of the
// card in hand). The answer is a LicenseRecordView's record_card: "this", "another" or "none".
struct CardStatusRequest {
  std::string license_number;  // 12 digits, from the card's signed record
  std::string card_id;
};
struct CardStatus {
  std::string record_card;
};

// ---- issuer sessions ------------------------------------------------------------------------

// "record", "delete", "reset_pin", "rewrite" (a renewal: new data on the same card, PIN kept)
enum class IssuerOperation { record, erase, reset_pin, rewrite };
enum class PhaseName { isd, license_ap };

struct IssuerSessionRequest {
  IssuerOperation operation = IssuerOperation::record;
  std::string holder_ref;
  bool resume = false;  // the card's 免許AP is in state 01: skip the ISD phase
  // record only: the holding form once the record is complete (both, or myna_only when the
  // conventional licence is handed back). The centre applies it when the session finishes, so the
  // card and the centre cannot disagree whatever happens to the kiosk in between.
  std::optional<HoldingForm> holding_form;
  // record only: the holder's licence is recorded on another card, which was lost and replaced
  // (R-LOST); without it, a record for a holder already recorded is refused.
  bool replace_card = false;
  // The card the session writes (HolderLookupRequest::card_id). A record remembers it; every other
  // operation is refused on a card that no longer holds the record (R-LOST).
  std::string card_id;
  // 4 ASCII digits for record and reset_pin, absent for delete. Wiped when the request dies.
  std::optional<issuer::SecretBytes> new_pin;
};

// What the kiosk sends plainly before a phase: SELECT <aid>, then INITIALIZE UPDATE.
struct PhaseStart {
  PhaseName phase = PhaseName::isd;
  Bytes aid;                // hex
  Bytes host_challenge;     // hex, 8 bytes
  Bytes select;             // the SELECT APDU, hex
  Bytes initialize_update;  // the INITIALIZE UPDATE APDU, hex
};

struct IssuerSession {
  std::string session_id;
  IssuerOperation operation = IssuerOperation::record;
  PhaseStart next;
};

struct PhaseOpenRequest {
  Bytes init_update_answer;  // 29 bytes + 9000, or the 29 bytes alone
};

struct PhaseCommands {
  PhaseName phase = PhaseName::isd;
  std::vector<Bytes> commands;  // wrapped APDUs, in order
};

struct PhaseAnswersRequest {
  std::vector<Bytes> answers;  // each with SW1 SW2
};

struct PhaseVerdict {
  bool complete = false;
  uint64_t accepted = 0;
  uint16_t status = 0;             // "9000"-style 4 hex digits on the wire; 0 = none
  std::optional<PhaseStart> next;  // the next phase, when complete and one is left
  bool done = false;               // the operation finished (complete and no phase left)
};

// ---- one-stop and portal linkage -----------------------------------------------------------

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

struct Linkage {
  std::string linkage_id;
  std::string holder_ref;
  std::string portal_available_from;  // RFC 3339, submission + 30 minutes
};

// ---- appointments -----------------------------------------------------------------------------

struct Appointment {
  std::string number;
  std::string kind;                  // "pin_unlock"
  std::string slot_start, slot_end;  // RFC 3339
  std::string holder_ref;
  std::string status;  // "booked" / "checked_in"
};

// ---- audit ------------------------------------------------------------------------------------

struct AuditRow {
  int64_t seq = 0;
  std::string at;  // RFC 3339
  std::string actor, action, result, detail;
  std::string hash, prev_hash;  // 64 hex each (SHA-256); the first row received anchors
};

// The action of a row that restarts a kiosk's lost chain (docs/center-api.md, "Restarting a lost
// chain"); the kiosk's offline-cache names the same string (kAuditChainRestarted).
inline constexpr const char* kAuditChainRestartedAction = "audit.chain_restarted";

struct AuditBatch {
  std::string terminal;
  std::vector<AuditRow> rows;
};

struct AuditAccepted {
  int64_t accepted_through = 0;
};

// ---- enum names -------------------------------------------------------------------------------

std::string_view to_string(HoldingForm v);
std::string_view to_string(HoldingFormAction v);
std::string_view to_string(IssuerOperation v);
std::string_view to_string(PhaseName v);

// ---- JSON -------------------------------------------------------------------------------------

// T is a type name: it cannot take parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define MK_CENTER_API_JSON(T)        \
  void to_json(Json& j, const T& v); \
  void from_json(const Json& j, T& v);
// NOLINTEND(bugprone-macro-parentheses)
MK_CENTER_API_JSON(ErrorBody)
MK_CENTER_API_JSON(KioskInfo)
MK_CENTER_API_JSON(Fee)
MK_CENTER_API_JSON(OpeningHours)
MK_CENTER_API_JSON(TextOverride)
MK_CENTER_API_JSON(ReferenceData)
MK_CENTER_API_JSON(Health)
MK_CENTER_API_JSON(HolderLookupRequest)
MK_CENTER_API_JSON(HistoryLookupRequest)
MK_CENTER_API_JSON(LicenseClass)
MK_CENTER_API_JSON(LicenseRecordView)
MK_CENTER_API_JSON(CardStatusRequest)
MK_CENTER_API_JSON(AuthChallenge)
MK_CENTER_API_JSON(CardLookupRequest)
MK_CENTER_API_JSON(CardStatus)
MK_CENTER_API_JSON(HoldingFormRequest)
MK_CENTER_API_JSON(RenewalOffer)
MK_CENTER_API_JSON(HoldingFormChange)
MK_CENTER_API_JSON(IssuerSessionRequest)
MK_CENTER_API_JSON(PhaseStart)
MK_CENTER_API_JSON(IssuerSession)
MK_CENTER_API_JSON(PhaseOpenRequest)
MK_CENTER_API_JSON(PhaseCommands)
MK_CENTER_API_JSON(PhaseAnswersRequest)
MK_CENTER_API_JSON(PhaseVerdict)
MK_CENTER_API_JSON(ConsentItems)
MK_CENTER_API_JSON(SignedSubmission)
MK_CENTER_API_JSON(ConsentRequest)
MK_CENTER_API_JSON(Consent)
MK_CENTER_API_JSON(Linkage)
MK_CENTER_API_JSON(Appointment)
MK_CENTER_API_JSON(AuditRow)
MK_CENTER_API_JSON(AuditBatch)
MK_CENTER_API_JSON(AuditAccepted)
#undef MK_CENTER_API_JSON

// The error envelope: {"error":{...}}.
Json error_envelope(const ErrorBody& e);
// Reads an error envelope; WireError when the body is not one.
ErrorBody parse_error_envelope(std::string_view text);

}  // namespace mk::center::api
