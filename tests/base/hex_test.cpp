// The one hex codec (base/hex.hpp).
#include "base/hex.hpp"

#include <array>

#include <gtest/gtest.h>

namespace mk::base {
namespace {

const std::vector<uint8_t> kBytes = {0x00, 0xA4, 0x04, 0x0C, 0xFF};

TEST(Hex, WritesUpperLowerAndSeparated) {
  EXPECT_EQ(to_hex(kBytes), "00A4040CFF");
  EXPECT_EQ(to_hex(kBytes, " "), "00 A4 04 0C FF");
  EXPECT_EQ(to_lower_hex(kBytes), "00a4040cff");
  EXPECT_EQ(to_hex({}), "");
  std::array<char, 10> out{};
  encode_hex(kBytes, out, HexCase::lower);
  EXPECT_EQ(std::string(out.data(), out.size()), "00a4040cff");
}

TEST(Hex, ReadsStrictHexOfEitherCase) {
  EXPECT_EQ(from_hex("00a4040CfF"), kBytes);
  EXPECT_EQ(from_hex(""), std::vector<uint8_t>{});
  EXPECT_FALSE(from_hex("0"));
  EXPECT_FALSE(from_hex("0G"));
  EXPECT_FALSE(from_hex("00 A4")) << "a separator is not hex";
}

TEST(Hex, ReadsADumpSkippingSeparators) {
  EXPECT_EQ(from_hex_dump("00 a4:04\t0C\nFF"), kBytes);
  EXPECT_EQ(from_hex_dump("0 0A4040CFF"), kBytes) << "even between two digits of a byte";
  EXPECT_FALSE(from_hex_dump("00 A"));
  EXPECT_FALSE(from_hex_dump("00-A4"));
}

TEST(Hex, DecodesIntoTheCallersBufferExactly) {
  std::array<uint8_t, 5> out{};
  EXPECT_TRUE(decode_hex("00A4040Cff", out));
  EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.end()), kBytes);
  EXPECT_FALSE(decode_hex("00A4040C", out)) << "too short";
  EXPECT_EQ(out, (std::array<uint8_t, 5>{})) << "zeroed after a failure";
  out.fill(7);
  EXPECT_FALSE(decode_hex("00A4040CfG", out));
  EXPECT_EQ(out, (std::array<uint8_t, 5>{}));
}

TEST(Hex, LinesGoThereAndBack) {
  const std::vector<std::vector<uint8_t>> apdus = {{0x00, 0xA4, 0x04, 0x00}, {}, {0x90, 0x00}};
  const std::string text = to_hex_lines(apdus);
  EXPECT_EQ(text, "00A40400\n\n9000");
  const auto back = from_hex_lines(text);
  ASSERT_TRUE(back.has_value());
  // An empty byte string is an empty line, and empty lines are skipped: nothing sends one.
  EXPECT_EQ(*back, (std::vector<std::vector<uint8_t>>{{0x00, 0xA4, 0x04, 0x00}, {0x90, 0x00}}));
  EXPECT_EQ(from_hex_lines("0a\n\nFF\n"), (std::vector<std::vector<uint8_t>>{{0x0A}, {0xFF}}));
  EXPECT_EQ(from_hex_lines("").value().size(), 0U);
  EXPECT_FALSE(from_hex_lines("00A4\n0G").has_value());
  EXPECT_FALSE(from_hex_lines("00 A4").has_value()) << "lines are strict hex, not a dump";
}

}  // namespace
}  // namespace mk::base
