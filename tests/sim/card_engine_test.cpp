// The card engine's status words and rules, with raw APDU bytes on a small synthetic card.

#include "devices/sim/card_engine.hpp"

#include <gtest/gtest.h>

#include "tests/sim/sim_support.hpp"

namespace mk::test {
namespace {

using devices::sim::CardEngine;
using devices::sim::CardSpec;
using devices::sim::DfSpec;

// AP "A1": EF 0001 free (300 bytes content in a 400-byte EF), EF 0002 needs PIN A, EF 0003
// needs A and B, PIN A at 0011 (3 tries), PIN B at 0012 (5 tries), key 0017 (PIN A).
// AP "A2": nothing. MF: EF 2F01 free, PIN M at 0001 (10 tries).
CardSpec test_spec() {
  CardSpec spec;
  spec.atr = {0x3B, 0x00};
  spec.mf.efs = {{0x2F01, {0x45, 0x01, 0x02}, 16, {}}};
  spec.mf.pins = {{"m", 0x0001, "0000", 10}};
  DfSpec a1;
  a1.aid = {0xA1, 0x01};
  Bytes big(300);
  for (size_t i = 0; i < big.size(); ++i) {
    big[i] = static_cast<uint8_t>(i);
  }
  a1.efs = {
      {0x0001, big, 400, {}}, {0x0002, {0x11, 0x22}, 8, {"a"}}, {0x0003, {0x33}, 4, {"a", "b"}}};
  a1.pins = {{"a", 0x0011, "1234", 3}, {"b", 0x0012, "ABCDEF", 5}};
  a1.keys = {{0x0017, "a", [](std::span<const uint8_t> d) {
                Bytes s(256, 0xAB);
                s[0] = static_cast<uint8_t>(d.size());
                return s;
              }}};
  DfSpec a2;
  a2.aid = {0xA2, 0x02};
  spec.dfs = {a1, a2};
  spec.secure_only_ins = {0xD6, 0x24, 0x2C};
  return spec;
}

class EngineTest : public ::testing::Test {
 protected:
  CardEngine card{test_spec()};
  void select_a1() { ASSERT_EQ(sw_of(card, "00A4040C02A101"), 0x9000); }
};

TEST_F(EngineTest, UnknownAidIs6A82AndNever9000) {
  EXPECT_EQ(sw_of(card, "00A4040C02A1FF"), 0x6A82);
  EXPECT_EQ(sw_of(card, "00A4040007A0000000031010"), 0x6A82);
  EXPECT_EQ(sw_of(card, "00A4040C02A101"), 0x9000);
}

TEST_F(EngineTest, ClaInsP1P2AndLengthErrors) {
  EXPECT_EQ(sw_of(card, "00CA010000"), 0x6D00);
  EXPECT_EQ(sw_of(card, "A0A4040C02A101"), 0x6E00);
  EXPECT_EQ(sw_of(card, "00A4080C02A101"), 0x6A86);
  EXPECT_EQ(sw_of(card,
                  "00A40401"
                  "02A101"),
            0x6A86);
  EXPECT_EQ(sw_of(card, "00A4040C05A101"), 0x6700);  // Lc says 5, 2 bytes follow
  EXPECT_EQ(sw_of(card, "00A4"), 0x6700);
  select_a1();
  EXPECT_EQ(sw_of(card, "00A4020C03000100"), 0x6700);  // a FID is 2 bytes
  EXPECT_EQ(sw_of(card, "00A4020C020099"), 0x6A82);
  EXPECT_EQ(sw_of(card, "00B0000000"), 0x6986);  // no current EF after selecting the AP
  EXPECT_EQ(sw_of(card, "00200100"), 0x6A86);
}

TEST_F(EngineTest, ReadBinaryOffsetsAndLe) {
  select_a1();
  ASSERT_EQ(sw_of(card, "00A4020C020001"), 0x9000);
  Bytes r = tx(card, "00B0000004");
  EXPECT_EQ(r, hex("000102039000"));
  r = tx(card, "00B0000000");  // Le 00 = 256
  ASSERT_EQ(r.size(), 258U);
  EXPECT_EQ(r[255], 0xFF);
  // Offset 0x0100, Le 256: 44 content bytes, then FF padding to the EF size (400).
  r = tx(card, "00B0010000");
  ASSERT_EQ(r.size(), 146U);  // 400 - 256 = 144 left, + SW
  EXPECT_EQ(r[43], 43);       // byte 299
  EXPECT_EQ(r[44], 0xFF);     // padding
  EXPECT_EQ(sw(r), 0x9000);
  // Over-long Le returns what is left with 9000.
  r = tx(card, "00B0018CFF");  // offset 396
  EXPECT_EQ(r, hex("FFFFFFFF9000"));
  EXPECT_EQ(sw_of(card, "00B0019001"), 0x6B00);  // offset 400 = end
  EXPECT_EQ(sw_of(card, "00B07FFF01"), 0x6B00);
  // Extended Le 00 hh ll.
  r = tx(card, "00B0000000012C");  // 300
  ASSERT_EQ(r.size(), 302U);
  EXPECT_EQ(r[299], 43);
  r = tx(card, "00B0000000FFFF");
  EXPECT_EQ(r.size(), 402U);
  // No Le at all is a length error.
  EXPECT_EQ(sw_of(card, "00B00000"), 0x6700);
}

TEST_F(EngineTest, ReadBinaryBySfi) {
  select_a1();
  // P1 = 80 | SFI 1, 8-bit offset, without a SELECT EF.
  EXPECT_EQ(tx(card, "00B0810202"), hex("02039000"));
  // The SFI read made EF 0001 current.
  EXPECT_EQ(tx(card, "00B0000001"), hex("009000"));
  EXPECT_EQ(sw_of(card, "00B0820001"), 0x6982);  // EF 0002 needs PIN A
  EXPECT_EQ(sw_of(card, "00B0850001"), 0x6A82);
  EXPECT_EQ(sw_of(card, "00B0A10001"), 0x6A86);  // bits 7-6 of P1 must be 0
}

TEST_F(EngineTest, VerifyCountsDownBlocksAndResets) {
  select_a1();
  ASSERT_EQ(sw_of(card, "00A4020C020011"), 0x9000);
  EXPECT_EQ(sw_of(card, "00200080"), 0x63C3);  // empty VERIFY: tries left, at no cost
  EXPECT_EQ(sw_of(card, "00200080"), 0x63C3);
  EXPECT_EQ(sw(tx(card, verify(0x80, "0000"))), 0x63C2);
  EXPECT_EQ(sw(tx(card, verify(0x80, "1234"))), 0x9000);  // right: back to max
  EXPECT_EQ(sw_of(card, "00200080"), 0x63C3);
  EXPECT_EQ(sw(tx(card, verify(0x91, "0000"))), 0x63C2);  // P2 = 80 | SFI, no SELECT needed
  EXPECT_EQ(sw(tx(card, verify(0x91, "0000"))), 0x63C1);
  EXPECT_EQ(sw(tx(card, verify(0x91, "0000"))), 0x63C0);  // the exhausting try
  EXPECT_EQ(sw(tx(card, verify(0x91, "1234"))), 0x6984);  // blocked, even the right PIN
  EXPECT_EQ(sw(tx(card, verify(0x91, "0000"))), 0x6984);
  EXPECT_EQ(sw_of(card, "00200091"), 0x63C0);  // empty VERIFY still costs nothing
  EXPECT_EQ(card.pin_state("a")->tries_left, 0);
  EXPECT_EQ(sw_of(card, "00B0820001"), 0x6982);
}

TEST_F(EngineTest, VerifyNeedsAPinFile) {
  select_a1();
  ASSERT_EQ(sw_of(card, "00A4020C020001"), 0x9000);
  EXPECT_EQ(sw(tx(card, verify(0x80, "1234"))), 0x6986);  // EF 0001 is not a PIN
  EXPECT_EQ(sw(tx(card, verify(0x9E, "1234"))), 0x6A82);  // no PIN with SFI 1E
}

TEST_F(EngineTest, AccessConditions) {
  select_a1();
  EXPECT_EQ(sw(tx(card, select_ef(0x0002))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000002"), 0x6982);
  ASSERT_EQ(sw(tx(card, verify(0x91, "1234"))), 0x9000);
  EXPECT_EQ(sw(tx(card, select_ef(0x0002))), 0x9000);
  EXPECT_EQ(tx(card, "00B0000002"), hex("11229000"));
  // EF 0003 needs A and B.
  EXPECT_EQ(sw(tx(card, select_ef(0x0003))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000001"), 0x6982);
  ASSERT_EQ(sw(tx(card, verify(0x92, "ABCDEF"))), 0x9000);
  EXPECT_EQ(tx(card, "00B0000001"), hex("339000"));
  // A wrong try unverifies that PIN.
  EXPECT_EQ(sw(tx(card, verify(0x92, "ABCDEX"))), 0x63C4);
  EXPECT_EQ(sw_of(card, "00B0000001"), 0x6982);
}

TEST_F(EngineTest, SelectingAnApClearsVerifiedPins) {
  select_a1();
  ASSERT_EQ(sw(tx(card, verify(0x91, "1234"))), 0x9000);
  ASSERT_EQ(sw_of(card, "00A4040C02A202"), 0x9000);
  select_a1();  // selecting it again is a new AP selection too
  EXPECT_EQ(sw(tx(card, select_ef(0x0002))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000002"), 0x6982);
  // A failed SELECT changes nothing.
  ASSERT_EQ(sw(tx(card, verify(0x91, "1234"))), 0x9000);
  EXPECT_EQ(sw_of(card, "00A4040C02A1FF"), 0x6A82);
  EXPECT_EQ(tx(card, "00B0820002"), hex("11229000"));
}

TEST_F(EngineTest, ResetClearsVerification) {
  select_a1();
  ASSERT_EQ(sw(tx(card, verify(0x91, "1234"))), 0x9000);
  card.reset();
  select_a1();
  EXPECT_EQ(sw_of(card, "00B0820002"), 0x6982);
}

TEST_F(EngineTest, ComputeDigitalSignature) {
  select_a1();
  const std::string di = "3031300D060960864801650304020105000420" + std::string(64, 'A');
  ASSERT_EQ(sw(tx(card, select_ef(0x0017))), 0x9000);
  // More than 256 - 11 bytes cannot be padded with PKCS#1 v1.5 type 1.
  EXPECT_EQ(sw_of(card, "802A0080F6" + std::string(size_t{2} * 246, '1') + "00"), 0x6700);
  const std::string apdu = "802A008033" + di + "00";
  EXPECT_EQ(sw_of(card, apdu), 0x6982);  // PIN A not verified
  ASSERT_EQ(sw(tx(card, verify(0x91, "1234"))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(0x0017))), 0x9000);
  Bytes r = tx(card, apdu);
  ASSERT_EQ(sw(r), 0x9000);
  EXPECT_EQ(r.size(), 258U);
  EXPECT_EQ(r[0], 0x33);  // the signer saw the whole DigestInfo
  // P2 = 80 | SFI of the key, without SELECT.
  EXPECT_EQ(sw_of(card, "802A009733" + di + "00"), 0x9000);
  EXPECT_EQ(sw_of(card, "802A009A33" + di + "00"), 0x6A82);
  // Without a current key file.
  select_a1();
  ASSERT_EQ(sw(tx(card, verify(0x91, "1234"))), 0x9000);
  EXPECT_EQ(sw_of(card, apdu), 0x6986);
}

TEST_F(EngineTest, MfPinsAreFoundFromADf) {
  EXPECT_EQ(sw_of(card, "00200081"), 0x63CA);  // 10 tries
  EXPECT_EQ(sw(tx(card, verify(0x81, "0000"))), 0x9000);
  EXPECT_EQ(tx(card, "00B0810003"), hex("4501029000"));
}

TEST_F(EngineTest, SecureChannelCommandsAre6982) {
  select_a1();
  EXPECT_EQ(sw_of(card, "84D6000004AABBCCDD"), 0x6982);
  EXPECT_EQ(sw_of(card, "842401860431323334"), 0x6982);
  EXPECT_EQ(sw_of(card, "842C02860431323334"), 0x6982);
  EXPECT_EQ(sw_of(card, "84E6000000"), 0x6D00);
}

TEST_F(EngineTest, LogKeepsEveryApduWithItsDfAndEf) {
  select_a1();
  tx(card, select_ef(0x0001));
  tx(card, "00B0000001");
  tx(card, "00B0820001");
  const auto& log = card.log();
  ASSERT_EQ(log.size(), 4U);
  EXPECT_EQ(log[0].command, hex("00A4040C02A101"));
  EXPECT_EQ(log[0].response, hex("9000"));
  EXPECT_EQ(log[2].df_aid, hex("A101"));
  EXPECT_EQ(log[2].ef, 0x0001);
  EXPECT_TRUE(card.touched(hex("A101"), 0x0001));
  EXPECT_TRUE(card.touched(hex("A101"), 0x0002));  // even a refused read counts
  EXPECT_FALSE(card.touched(hex("A101"), 0x0003));
  card.clear_log();
  EXPECT_TRUE(card.log().empty());
}

}  // namespace
}  // namespace mk::test
