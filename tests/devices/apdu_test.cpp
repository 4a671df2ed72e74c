#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "devices/apdu/channel.hpp"
#include "devices/apdu/command.hpp"
#include "devices/apdu/response.hpp"
#include "devices/profile/card_profile.hpp"
#include "tests/support/scripted_transport.hpp"

namespace mk::devices {
namespace {

using test::ScriptedTransport;

Bytes hex(const char* h) {
  return *base::from_hex_dump(h);
}

TEST(Command, ShortAndExtendedEncodings) {
  EXPECT_EQ(Command::select_ef(0x000A).encode(), hex("00A4020C02000A"));
  EXPECT_EQ(Command::select_aid(profile::kJpkiAid).encode(), hex("00A4040C0AD392F000260100000001"));
  EXPECT_EQ(Command::read_binary(0x0123, 256).encode(), hex("00B0012300"));
  EXPECT_EQ(Command::read_binary(0, 17).encode(), hex("00B0000011"));
  EXPECT_EQ(Command::read_binary_sfi(0x0A, 0, 65536).encode(), hex("00B08A00000000"));
  EXPECT_EQ(Command::read_binary_sfi(0x0A, 0, 1000).encode(), hex("00B08A000003E8"));
  EXPECT_EQ(Command::verify_status(0x98).encode(), hex("00200098"));
  EXPECT_EQ(Command::verify(0x86, base::SecretBytes("1234")).encode(), hex("002000860431323334"));
  const Bytes digest(51, 0xAB);
  const Bytes signature = Command::compute_signature(0x9A, digest).encode();
  EXPECT_EQ(Bytes(signature.begin(), signature.begin() + 5), hex("802A009A33"));
  EXPECT_EQ(signature.back(), 0x00);
  EXPECT_EQ(signature.size(), 5U + 51U + 1U);
  Command big{0x80, 0xD6, 0, 0, Bytes(300, 1), 65536, false};
  const Bytes e = big.encode();
  EXPECT_EQ(Bytes(e.begin(), e.begin() + 7), hex("80D60000 00012C"));
  EXPECT_EQ(Bytes(e.end() - 2, e.end()), hex("0000"));
  EXPECT_THROW(Command::read_binary(0x8000, 1), std::invalid_argument);
}

TEST(Command, DecodeIsTheInverseOfEncodeForEveryCase) {
  const std::vector<Command> commands = {
      {0x00, 0x20, 0x00, 0x86, {}, std::nullopt, false},
      {0x00, 0xB0, 0x00, 0x00, {}, 256, false},
      {0x00, 0xB0, 0x8A, 0x00, {}, 65536, false},
      {0x00, 0xA4, 0x02, 0x0C, {0x00, 0x0A}, std::nullopt, false},
      {0x80, 0x2A, 0x00, 0x9A, Bytes(51, 7), 256, false},
      {0x84, 0xD6, 0x00, 0x00, Bytes(600, 9), std::nullopt, false},
      {0x84, 0xD6, 0x00, 0x00, Bytes(600, 9), 300, false},
  };
  for (const auto& c : commands) {
    const auto back = Command::decode(c.encode());
    ASSERT_TRUE(back) << c.trace();
    EXPECT_EQ(back->encode(), c.encode()) << c.trace();
  }
  EXPECT_FALSE(Command::decode(hex("00A4")));
  EXPECT_FALSE(Command::decode(hex("00A4040C0AD392")));    // Lc says 10, 3 follow
  EXPECT_FALSE(Command::decode(hex("00D60000000005AA")));  // extended Lc 5, 1 follows
}

// The virtual cards parse their commands with Command::decode too (devices/sim/card_engine.cpp).
TEST(Command, DecodeTellsTheShortAndExtendedCasesApart) {
  auto a = Command::decode(hex("00A4040C02A101"));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->data, hex("A101"));
  EXPECT_FALSE(a->le);
  a =
      Command::decode(hex("802A0080020102"
                          "00"));
  ASSERT_TRUE(a);
  EXPECT_EQ(*a->le, 256U);
  a = Command::decode(hex("00B0000000"));
  EXPECT_EQ(*a->le, 256U);
  a = Command::decode(hex("00B00000000000"));
  EXPECT_EQ(*a->le, 65536U);
  a = Command::decode(hex("802A0080000002AABB0100"));
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->extended);
  EXPECT_EQ(a->data, hex("AABB"));
  EXPECT_EQ(*a->le, 256U);
  EXPECT_FALSE(Command::decode(hex("00B000")));
  EXPECT_FALSE(Command::decode(hex("00A4040C03A101")));
  EXPECT_FALSE(Command::decode(hex("00B0000000FF")));
}

TEST(StatusWord, EveryStatusOfTheProfileDecodes) {
  struct Case {
    uint16_t sw;
    Status status;
    int tries;
  };
  for (const Case c :
       {Case{0x9000, Status::ok, -1}, Case{0x63C2, Status::wrong_pin, 2},
        Case{0x63CA, Status::wrong_pin, 10}, Case{0x63C0, Status::pin_blocked, 0},
        Case{0x6984, Status::pin_blocked, 0}, Case{0x6982, Status::security_not_satisfied, -1},
        Case{0x6985, Status::conditions_not_satisfied, -1},
        Case{0x6A82, Status::file_not_found, -1}, Case{0x6A86, Status::wrong_p1p2, -1},
        Case{0x6986, Status::no_current_ef, -1}, Case{0x6B00, Status::offset_beyond_end, -1},
        Case{0x6700, Status::wrong_length, -1}, Case{0x6D00, Status::ins_not_supported, -1},
        Case{0x6E00, Status::cla_not_supported, -1}, Case{0x6F00, Status::other, -1}}) {
    const StatusWord s = StatusWord::decode(c.sw);
    EXPECT_EQ(s.status, c.status) << std::hex << c.sw;
    EXPECT_EQ(s.tries_left, c.tries) << std::hex << c.sw;
  }
  EXPECT_EQ(StatusWord::decode(0x6A82).describe(), "6A82 file or application not found");
}

TEST(Response, RawIsWhatParseSplit) {
  const Bytes answer = {0x01, 0x02, 0x63, 0xC2};
  const auto r = Response::parse(answer);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->data, (Bytes{0x01, 0x02}));
  EXPECT_EQ(r->status.tries_left, 2);
  EXPECT_EQ(r->raw(), answer);
  EXPECT_EQ(Response::parse(Bytes{0x90, 0x00})->raw(), (Bytes{0x90, 0x00}));
}

TEST(ApduChannel, GetResponseChainsAndWrongLeIsResent) {
  ScriptedTransport card;
  card.then("9000");       // SELECT EF
  card.then("0102 6103");  // 2 bytes, 3 more waiting
  card.then("030405 9000");
  ApduChannel channel(card);
  channel.transmit(Command::select_ef(0x2F01));
  const Response r = channel.transmit(Command::read_binary(0, 256));
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.data, hex("0102030405"));
  EXPECT_EQ(card.sent[2], hex("00C0000003"));
  EXPECT_EQ(channel.apdu_count(), 3U);

  ScriptedTransport card2;
  card2.then("9000");
  card2.then("6C10");
  card2.then("00112233445566778899AABBCCDDEEFF 9000");
  ApduChannel channel2(card2);
  channel2.transmit(Command::select_ef(0x2F01));
  EXPECT_EQ(channel2.transmit(Command::read_binary(0, 256)).data.size(), 16U);
  EXPECT_EQ(card2.sent[2], hex("00B0000010"));
}

TEST(ApduChannel, AHostileCardCannotLoopOnGetResponse) {
  ScriptedTransport card(
      [](const Bytes& c) { return c[1] == 0xA4 ? hex("9000") : hex("AA 6101"); });
  ApduChannel channel(card);
  channel.transmit(Command::select_ef(0x2F01));
  try {
    channel.transmit(Command::read_binary(0, 1));
    FAIL();
  } catch (const CardError& e) {
    EXPECT_EQ(e.kind(), CardErrorKind::invalid_response);
  }
  EXPECT_LT(card.sent.size(), 100U);
}

TEST(ApduChannel, AnAnswerShorterThanAStatusWordIsInvalid) {
  for (const char* answer : {"", "90"}) {
    ScriptedTransport card;
    card.then(answer);
    ApduChannel channel(card);
    try {
      channel.transmit(Command::select_ef(0x000A));
      FAIL() << answer;
    } catch (const CardError& e) {
      EXPECT_EQ(e.kind(), CardErrorKind::invalid_response);
    }
  }
}

TEST(ApduChannel, TraceMasksThePin) {
  ScriptedTransport card;
  card.then("63C2");
  std::vector<std::string> lines;
  ApduChannel channel(card, [&](std::string_view l) { lines.emplace_back(l); });
  channel.transmit(Command::verify(0x86, base::SecretBytes("4711")));
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_THAT(lines[0], testing::HasSubstr("**"));
  EXPECT_THAT(lines[0], testing::Not(testing::HasSubstr("34373131")));
  EXPECT_THAT(lines[0], testing::Not(testing::HasSubstr("4711")));
  EXPECT_THAT(lines[1], testing::HasSubstr("63C2 2 tries left"));
}

// The My Number can never be asked for: the guard refuses before anything reaches the card.
TEST(MyNumberGuard, NoCommandTouchingTheMyNumberLeavesTheKiosk) {
  ScriptedTransport card([](const Bytes&) { return hex("9000"); });
  ApduChannel channel(card);
  channel.transmit(Command::select_aid(profile::kBasic4Aid));
  const std::vector<Command> forbidden = {
      Command::select_ef(profile::basic4::kMyNumber),  // EF 0001
      Command::read_binary_sfi(0x01, 0, 256),          // EF 0001 by SFI
      Command::select_ef(0x0015),                      // any other EF (照合番号A and friends)
      Command::verify_status(0x80),                    // VERIFY with nothing selected
      Command::verify(0x95, base::SecretBytes("123456789012")),
      Command::read_binary(0, 256),  // READ without EF 0002 selected
      Command{0x00, 0xCA, 0x00, 0x00, {}, 256, false},
  };
  for (const auto& c : forbidden) {
    const size_t before = card.sent.size();
    try {
      channel.transmit(c);
      ADD_FAILURE() << "sent: " << c.trace();
    } catch (const CardError& e) {
      EXPECT_EQ(e.kind(), CardErrorKind::refused) << c.trace();
    }
    EXPECT_EQ(card.sent.size(), before) << c.trace();
  }
  // What the basic 4 info needs passes.
  channel.transmit(Command::verify_status(0x91));
  channel.transmit(Command::read_binary_sfi(0x02, 0, 256));
  channel.transmit(Command::select_ef(profile::basic4::kBasic4));
  channel.transmit(Command::read_binary(0, 256));
  // Selecting the 券面事項確認 application is refused wherever we are.
  EXPECT_THROW(channel.transmit(Command::select_aid(profile::kFaceCheckAid)), CardError);
  // In another application the same FIDs are ordinary (JPKI's sign certificate is EF 0001).
  channel.transmit(Command::select_aid(profile::kJpkiAid));
  channel.transmit(Command::read_binary_sfi(0x01, 0, 256));
}

TEST(MyNumberGuard, BeforeAnyApplicationIsSelectedNothingCanReachEf0001) {
  // A shared card may still be in 券面事項入力補助 from another session.
  ScriptedTransport card([](const Bytes&) { return hex("9000"); });
  ApduChannel channel(card);
  EXPECT_THROW(channel.transmit(Command::select_ef(0x0001)), CardError);
  EXPECT_THROW(channel.transmit(Command::read_binary_sfi(0x01, 0, 256)), CardError);
  EXPECT_THROW(channel.transmit(Command::read_binary(0, 256)), CardError);
  EXPECT_THROW(channel.transmit(Command::verify_status(0x80)), CardError);
  EXPECT_TRUE(card.sent.empty());
  // The conventional license's MF files are still readable.
  channel.transmit(Command::select_ef(0x2F01));
  channel.transmit(Command::read_binary(0, 256));
  channel.transmit(Command::verify_status(0x81));
  EXPECT_EQ(card.sent.size(), 3U);
}

TEST(MyNumberGuard, AFailedSelectKeepsGuardingTheApplicationStillSelected) {
  ScriptedTransport card;
  card.then("9000");  // select 入力補助
  card.then("6A82");  // select of another application fails: the card stays in 入力補助
  ApduChannel channel(card);
  channel.transmit(Command::select_aid(profile::kBasic4Aid));
  EXPECT_EQ(channel.transmit(Command::select_aid(profile::kJpkiAid)).status.status,
            Status::file_not_found);
  EXPECT_THROW(channel.transmit(Command::read_binary_sfi(0x01, 0, 256)), CardError);
  EXPECT_EQ(card.sent.size(), 2U);
}

}  // namespace
}  // namespace mk::devices
