// Argon2id PIN verifiers (base/pin_verifier.hpp): a PIN matches only its own verifier, and only an
// Argon2id verifier is trusted at all.
#include "base/pin_verifier.hpp"

#include <gtest/gtest.h>

namespace mk::base {
namespace {

TEST(PinVerifier, MatchesItsOwnPinOnly) {
  const std::string v = make_pin_verifier(SecretBytes("246810"), VerifierCost::test);
  EXPECT_TRUE(v.starts_with("$argon2id$"));
  EXPECT_EQ(v.find("246810"), std::string::npos);
  EXPECT_TRUE(is_pin_verifier(v));
  EXPECT_TRUE(pin_matches(v, SecretBytes("246810")));
  EXPECT_FALSE(pin_matches(v, SecretBytes("246811")));
  EXPECT_FALSE(pin_matches(v, SecretBytes("24681")));
  EXPECT_FALSE(pin_matches(v, SecretBytes("")));
}

TEST(PinVerifier, NobodysVerifierMatchesNoPin) {
  EXPECT_FALSE(pin_matches_nobody(SecretBytes("246810")));
  EXPECT_FALSE(pin_matches_nobody(SecretBytes("not a PIN")));
}

TEST(PinVerifier, TheSamePinGivesAnotherVerifierEachTime) {
  const SecretBytes pin("135791");
  EXPECT_NE(make_pin_verifier(pin, VerifierCost::test), make_pin_verifier(pin, VerifierCost::test));
}

TEST(PinVerifier, ANonArgon2idOrDamagedVerifierNeverMatches) {
  std::string v = make_pin_verifier(SecretBytes("246810"), VerifierCost::test);
  // Argon2i (the weaker variant) with the same parameters: refused, not verified.
  std::string argon2i = v;
  argon2i.replace(0, 10, "$argon2i$");
  EXPECT_FALSE(is_pin_verifier(argon2i));
  EXPECT_FALSE(pin_matches(argon2i, SecretBytes("246810")));
  std::string damaged = v;
  damaged.back() = damaged.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(pin_matches(damaged, SecretBytes("246810")));
  EXPECT_FALSE(pin_matches("", SecretBytes("246810")));
  EXPECT_FALSE(pin_matches("246810", SecretBytes("246810")));
  EXPECT_FALSE(pin_matches(std::string(500, '$'), SecretBytes("246810")));
}

}  // namespace
}  // namespace mk::base
