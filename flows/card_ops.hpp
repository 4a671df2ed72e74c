#pragma once

// The card operations a flow may ask for (CardRequest::op) and the fields their answers carry
// (Event::fields). The runtime in kiosk/ implements each with devices/; a scenario file or a test
// answers them by name. Outcomes: "ok", or one of the codes below.

namespace mk::flows::card_ops {

// Waits for a card on the reader, then looks at its 免許AP without a PIN: SELECT, WEF01, and the
// licence PIN's retry counter read with an empty VERIFY (never a guessed PIN).
// ok fields: has_license_ap "0"/"1", record_state "00"/"01"/"02", tries "0".."10".
// Outcomes: not_my_number_card, error.
inline constexpr const char* kProbeLicenseAp = "probe_license_ap";

// VERIFY with the PIN the person just typed, then read WEF02/WEF04/WEF03 and check the signature.
// ok fields: kind ("license"/"history"), number, expiry, recorded_on, color, commission,
// conditions (joined by "、"), classes ("<name> <YYYY-MM-DD>" joined by "、"), signature
// ("valid"/"invalid"), signature_detail; blob: the photo (JPEG 2000).
// Outcomes: wrong_pin (fields: tries), blocked, error.
inline constexpr const char* kReadLicense = "read_license";

// Outcome codes shared by every op.
inline constexpr const char* kOk = "ok";
inline constexpr const char* kWrongPin = "wrong_pin";
inline constexpr const char* kBlocked = "blocked";
inline constexpr const char* kNotMyNumberCard = "not_my_number_card";
inline constexpr const char* kError = "error";

}  // namespace mk::flows::card_ops
