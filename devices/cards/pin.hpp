#pragma once

#include <cstdint>
#include <string>

#include "base/secret_bytes.hpp"
#include "devices/apdu/channel.hpp"

namespace mk::devices {

// Every PIN the kiosk deals with, with its format and retry limit (card-profile.md).
enum class PinKind { jpki_auth, jpki_sign, basic4, license, dl_pin1, dl_pin2 };
const char* to_string(PinKind kind);  // "jpki_auth", ...
int max_tries(PinKind kind);

// Checks (and for the signing PIN, upper-cases in place) a typed PIN before anything is sent:
// 4 digits, or 6–16 of A–Z 0–9 for the JPKI signing PIN. Returns the reason when it fails.
std::optional<std::string> check_pin_format(PinKind kind, base::SecretBytes& pin);

enum class VerifyOutcome { ok, wrong, blocked };
struct VerifyResult {
  VerifyOutcome outcome = VerifyOutcome::wrong;
  int tries_left = -1;  // after this VERIFY
};

// Tries left, from an empty VERIFY (costs nothing). 9000 (already verified) reports `max`.
int read_pin_tries(ApduChannel& channel, uint8_t p2, int max);

// The one VERIFY path of the kiosk: format check, then the tries via an empty VERIFY — a
// blocked PIN is never sent —, then the VERIFY with the PIN, which is wiped afterwards.
// Throws CardError(pin_format | pin_blocked) without sending the PIN.
VerifyResult verify_pin(ApduChannel& channel, uint8_t p2, PinKind kind, base::SecretBytes pin);

}  // namespace mk::devices
