#include "base/pin_verifier.hpp"

#include <stdexcept>

#include <sodium.h>

namespace mk::base {

namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

// The PIN's characters for libsodium, which takes a pointer even for none (never null: an empty
// buffer has no storage).
const char* chars_of(const SecretBytes& pin) {
  return pin.empty() ? "" : reinterpret_cast<const char*>(pin.bytes().data());
}

void ready() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium could not be initialised");
  }
}

}  // namespace

std::string make_pin_verifier(const SecretBytes& pin, VerifierCost cost) {
  ready();
  const bool interactive = cost == VerifierCost::interactive;
  char out[crypto_pwhash_STRBYTES] = {};
  if (crypto_pwhash_str_alg(
          out, chars_of(pin), pin.size(),
          interactive ? crypto_pwhash_OPSLIMIT_INTERACTIVE : crypto_pwhash_OPSLIMIT_MIN,
          interactive ? crypto_pwhash_MEMLIMIT_INTERACTIVE : crypto_pwhash_MEMLIMIT_MIN,
          crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("a PIN verifier could not be made (out of memory)");
  }
  return out;
}

bool is_pin_verifier(std::string_view text) {
  return text.starts_with(kArgon2idPrefix) && text.size() < crypto_pwhash_STRBYTES;
}

bool pin_matches(std::string_view verifier, const SecretBytes& pin) {
  if (!is_pin_verifier(verifier)) {
    return false;
  }
  ready();
  // crypto_pwhash_str_verify reads a NUL-terminated string.
  char text[crypto_pwhash_STRBYTES] = {};
  verifier.copy(text, verifier.size());
  return crypto_pwhash_str_verify(text, chars_of(pin), pin.size()) == 0;
}

bool pin_matches_nobody(const SecretBytes& pin) {
  // Made once, at the interactive cost the centre's verifiers have, of a PIN nobody can type.
  static const std::string nobody = make_pin_verifier(SecretBytes("not a PIN"));
  (void)pin_matches(nobody, pin);
  return false;
}

}  // namespace mk::base
