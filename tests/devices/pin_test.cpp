// The one VERIFY path: format first, tries second, a blocked PIN never sent, a pulled card told
// apart from a wrong PIN.
#include "devices/cards/pin.hpp"

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "devices/cards/my_number_card.hpp"
#include "tests/support/scripted_transport.hpp"

namespace mk::devices {
namespace {

using test::ScriptedTransport;

bool sent_a_pin(const ScriptedTransport& card) {
  for (const auto& c : card.sent) {
    if (c.size() > 4 && c[1] == 0x20) {
      return true;
    }
  }
  return false;
}

TEST(PinFormat, FourDigitsOrTheSigningPinsAlphabet) {
  for (const char* ok : {"0000", "1234"}) {
    base::SecretBytes pin(ok);
    EXPECT_FALSE(check_pin_format(PinKind::license, pin)) << ok;
  }
  for (const char* bad : {"123", "12345", "12a4", "", "１２３４"}) {
    base::SecretBytes pin(bad);
    EXPECT_TRUE(check_pin_format(PinKind::basic4, pin)) << bad;
  }
  base::SecretBytes lower("abc123");
  EXPECT_FALSE(check_pin_format(PinKind::jpki_sign, lower));
  EXPECT_EQ(std::string(lower.bytes().begin(), lower.bytes().end()), "ABC123")
      << "the signing PIN is upper-cased";
  for (const char* bad : {"ABC12", "ABCDEFGHIJ1234567", "ABC-123", "ABC 123"}) {
    base::SecretBytes pin(bad);
    EXPECT_TRUE(check_pin_format(PinKind::jpki_sign, pin)) << bad;
  }
}

TEST(VerifyPin, ABadlyFormattedPinIsNeverSent) {
  ScriptedTransport card;
  ApduChannel channel(card);
  try {
    verify_pin(channel, 0x86, PinKind::license, base::SecretBytes("12"));
    FAIL();
  } catch (const CardError& e) {
    EXPECT_EQ(e.kind(), CardErrorKind::pin_format);
  }
  EXPECT_TRUE(card.sent.empty());
}

TEST(VerifyPin, TheTriesAreReadFirstAndABlockedPinIsNeverSent) {
  for (const char* blocked : {"63C0", "6984"}) {
    ScriptedTransport card;
    card.then(blocked);
    ApduChannel channel(card);
    try {
      verify_pin(channel, 0x86, PinKind::license, base::SecretBytes("1234"));
      FAIL();
    } catch (const CardError& e) {
      EXPECT_EQ(e.kind(), CardErrorKind::pin_blocked);
    }
    ASSERT_EQ(card.sent.size(), 1U);
    EXPECT_EQ(card.sent[0], *base::from_hex_dump("00200086")) << "an empty VERIFY";
    EXPECT_FALSE(sent_a_pin(card));
  }
}

TEST(VerifyPin, WrongRightAndTheLastTry) {
  ScriptedTransport card;
  card.then("63CA");
  card.then("63C9");
  ApduChannel channel(card);
  VerifyResult r = verify_pin(channel, 0x86, PinKind::license, base::SecretBytes("1111"));
  EXPECT_EQ(r.outcome, VerifyOutcome::wrong);
  EXPECT_EQ(r.tries_left, 9);
  EXPECT_EQ(card.sent[1], *base::from_hex_dump("002000860431313131"));

  card.then("63C9");
  card.then("9000");
  r = verify_pin(channel, 0x86, PinKind::license, base::SecretBytes("1234"));
  EXPECT_EQ(r.outcome, VerifyOutcome::ok);
  EXPECT_EQ(r.tries_left, 10);

  card.then("63C1");
  card.then("63C0");
  r = verify_pin(channel, 0x86, PinKind::license, base::SecretBytes("0000"));
  EXPECT_EQ(r.outcome, VerifyOutcome::blocked);
  EXPECT_EQ(r.tries_left, 0);
}

TEST(VerifyPin, APulledCardIsReportedAsRemovedNotAsAWrongPin) {
  for (size_t at = 0; at < 2; ++at) {  // during the empty VERIFY, during the VERIFY
    ScriptedTransport card;
    card.then("63C3");
    card.remove_card_after(at);
    ApduChannel channel(card);
    try {
      verify_pin(channel, 0x98, PinKind::jpki_auth, base::SecretBytes("1234"));
      FAIL() << at;
    } catch (const CardError& e) {
      EXPECT_EQ(e.kind(), CardErrorKind::card_removed) << at;
      EXPECT_TRUE(e.retryable());
    }
  }
}

TEST(MyNumberCard, SelectsOnceAndVerifiesTheRightPinReference) {
  ScriptedTransport card;
  card.then("9000");  // SELECT JPKI
  card.then("63C3");  // empty VERIFY auth
  card.then("63C5");  // empty VERIFY sign
  ApduChannel channel(card);
  MyNumberCard mynumber(channel);
  EXPECT_EQ(mynumber.jpki_tries(JpkiKey::auth), 3);
  EXPECT_EQ(mynumber.jpki_tries(JpkiKey::sign), 5);
  ASSERT_EQ(card.sent.size(), 3U) << "no redundant SELECT";
  EXPECT_EQ(card.sent[1], *base::from_hex_dump("00200098"));
  EXPECT_EQ(card.sent[2], *base::from_hex_dump("0020009B"));
}

TEST(SecureBytes, MovesAndWipes) {
  base::SecretBytes a("4711");
  base::SecretBytes b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(b.size(), 4U);
  for (int i = 0; i < 100; ++i) {
    b.push_back('0');
  }
  EXPECT_EQ(b.size(), 104U);
  b.clear();
  EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace mk::devices
