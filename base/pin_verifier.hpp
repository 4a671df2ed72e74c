#pragma once

// A PIN's verifier: Argon2id through libsodium (crypto_pwhash_str), the string the centre keeps
// for each staff member and the kiosk caches to check a staff PIN while the centre is out of
// reach. The verifier is slow to test on purpose (memory-hard): a stolen copy does not give up a
// PIN quickly. Never the PIN itself.

#include <string>
#include <string_view>

#include "base/secret_bytes.hpp"

namespace mk::base {

// How much work one check costs: `interactive` is libsodium's interactive limits (64 MiB, about
// 0.1 s here), what the centre uses; `test` is its minimum, for unit tests only.
enum class VerifierCost { interactive, test };

// Throws std::runtime_error when libsodium cannot be initialised or runs out of memory.
std::string make_pin_verifier(const SecretBytes& pin,
                              VerifierCost cost = VerifierCost::interactive);

// True when `pin` is the one `verifier` was made from. False for anything that is not an Argon2id
// verifier (another algorithm, a damaged string): a verifier is never trusted blindly.
bool pin_matches(std::string_view verifier, const SecretBytes& pin);

// Whether `text` is an Argon2id verifier at all (what the kiosk accepts from its centre).
bool is_pin_verifier(std::string_view text);

// Spends the time a check against a real verifier takes, and says no: what a check for an ID
// that has no verifier does, so that how long a refusal takes does not tell an unknown ID from a
// wrong PIN.
bool pin_matches_nobody(const SecretBytes& pin);

}  // namespace mk::base
