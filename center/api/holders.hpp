#pragma once

// Holders and the lookups that find them (docs/center-api.md): by the conventional licence, by the
// basic 4 info (マイナ経歴証明書), by a JPKI authentication of the My Number card; the licence
// record the centre answers with, which card holds it, and changes of the holding form.

#include <string>
#include <string_view>
#include <vector>

#include "center/api/wire_codec.hpp"

namespace mk::center::api {

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

std::string_view to_string(HoldingForm v);
std::string_view to_string(HoldingFormAction v);

MK_CENTER_API_JSON(HolderLookupRequest)
MK_CENTER_API_JSON(HistoryLookupRequest)
MK_CENTER_API_JSON(LicenseClass)
MK_CENTER_API_JSON(LicenseRecordView)
MK_CENTER_API_JSON(CardStatusRequest)
MK_CENTER_API_JSON(AuthChallenge)
MK_CENTER_API_JSON(CardLookupRequest)
MK_CENTER_API_JSON(CardStatus)
MK_CENTER_API_JSON(HoldingFormRequest)
MK_CENTER_API_JSON(HoldingFormChange)
}  // namespace mk::center::api
