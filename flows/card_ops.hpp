#pragma once

// The card operations a flow may ask for (CardRequest::op) and the fields their answers carry
// (Event::fields). The runtime in kiosk/ implements each with devices/; a scenario file or a test
// answers them by name. Outcomes: "ok", or one of the codes below.

namespace mk::flows::card_ops {

// Waits for a card on the reader, then looks at its 免許AP without a PIN: SELECT, WEF01, and the
// licence PIN's retry counter read with an empty VERIFY (never a guessed PIN).
// ok fields: has_license_ap "0"/"1", record_state "00"/"01"/"02", tries "0".."10", card_id (as
// probe_mynumber's).
// Outcomes: not_my_number_card, error.
inline constexpr const char* kProbeLicenseAp = "probe_license_ap";

// VERIFY with the PIN the person just typed, then read WEF02/WEF04/WEF03 and check the signature.
// ok fields: kind ("license"/"history"), number, expiry, recorded_on, color, commission,
// conditions (joined by "、"), classes ("<name> <YYYY-MM-DD>" joined by "、"), history (kind
// "history" only: the driving history text), signature
// ("valid"/"invalid"), signature_detail; blob: the photo (JPEG 2000).
// Outcomes: wrong_pin (fields: tries), blocked, error.
inline constexpr const char* kReadLicense = "read_license";

// Waits for a card on the conventional licence's reader; reads PIN1's tries with an empty VERIFY.
// ok fields: tries. Outcomes: not_dl_card, error.
inline constexpr const char* kProbeDl = "probe_dl";

// VERIFY PIN1 (the one just typed) and read the licence's common data and entries.
// ok fields: license_number, name, birth_date, expiry, color. Outcomes: wrong_pin (tries), blocked.
inline constexpr const char* kReadDl = "read_dl";

// Waits for a My Number card; reads, without a PIN, the 入力補助 PIN's tries and the 免許AP state.
// ok fields: basic4_tries, auth_tries (the JPKI authentication PIN's), sign_tries (the JPKI
// signing PIN's; absent when unreadable), has_license_ap,
// record_state, license_tries, card_id (which card this is: a hash of its public JPKI
// authentication certificate, hex).
// Outcomes: not_my_number_card, error.
inline constexpr const char* kProbeMyNumber = "probe_mynumber";

// VERIFY the JPKI authentication PIN (just typed), sign args "challenge" (hex, the centre's) with
// the authentication key, read its certificate. ok fields: certificate, signature (hex).
// Outcomes: wrong_pin (tries), blocked, error.
inline constexpr const char* kJpkiAuthenticate = "jpki_authenticate";

// VERIFY the JPKI signing PIN (just typed), read the signing certificate and sign args
// "document" (hex: the exact bytes) with the signing key (SHA-256, PKCS#1 v1.5). ok fields:
// certificate, signature (hex), not_before, not_after (the certificate's first and last days in
// Japan, YYYY-MM-DD). Outcomes: wrong_pin (tries), blocked, error.
inline constexpr const char* kJpkiSign = "jpki_sign";

// VERIFY the 入力補助 PIN (just typed) and read the basic 4 info (never the My Number).
// ok fields: name, address, birth_date, sex. Outcomes: wrong_pin (tries), blocked.
inline constexpr const char* kReadBasic4 = "read_basic4";

// The issuer channel: send these APDUs (args "apdus": hex, one per line) to the card as they
// are, stopping after the first answer that is not 9000. ok fields: answers (hex with SW1 SW2,
// one per line). A pulled card is Event::removed(), whatever was sent.
inline constexpr const char* kRelay = "relay";

// Outcome codes shared by every op.
inline constexpr const char* kOk = "ok";
inline constexpr const char* kWrongPin = "wrong_pin";
inline constexpr const char* kBlocked = "blocked";
inline constexpr const char* kNotMyNumberCard = "not_my_number_card";
inline constexpr const char* kNotDlCard = "not_dl_card";
inline constexpr const char* kError = "error";

}  // namespace mk::flows::card_ops
