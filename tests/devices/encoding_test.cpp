#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "devices/apdu/bytes.hpp"
#include "devices/encoding/dates.hpp"
#include "devices/encoding/jisx0208.hpp"
#include "devices/encoding/tlv.hpp"

namespace mk::devices {
namespace {

Bytes hex(const char* h) {
  return *base::from_hex_dump(h);
}
Bytes ascii(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

TEST(Tlv, FlatOneByteTagsAndBerLengths) {
  // 1F is an ordinary tag in flat form (a BER parser would read it as a multi-byte tag).
  const Bytes data = hex("12 02 AAAA 1F 81 03 010203 21 82 0001 FF FFFF");
  const auto parsed = parse_tlv(data, TagForm::flat);
  ASSERT_TRUE(std::holds_alternative<TlvList>(parsed));
  const auto& items = std::get<TlvList>(parsed).items;
  ASSERT_EQ(items.size(), 3U);
  EXPECT_EQ(items[0].tag, 0x12U);
  EXPECT_EQ(items[1].tag, 0x1FU);
  EXPECT_EQ(items[1].value.size(), 3U);
  EXPECT_EQ(items[1].header_size, 3U);
  EXPECT_EQ(items[2].tag, 0x21U);
  EXPECT_EQ(items[2].value.size(), 1U);
  EXPECT_EQ(std::get<TlvList>(parsed).consumed, data.size() - 2) << "up to the padding";
}

TEST(Tlv, BerMultiByteTagsAndThePaddingAfterThem) {
  const Bytes data = hex("FF20 09 DF22 02 4142 DF25 01 31 FFFFFF");
  const auto outer = parse_tlv(data, TagForm::ber);
  ASSERT_TRUE(std::holds_alternative<TlvList>(outer));
  const auto& items = std::get<TlvList>(outer).items;
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].tag, 0xFF20U);
  const auto inner = parse_tlv(items[0].value, TagForm::ber);
  ASSERT_EQ(std::get<TlvList>(inner).items.size(), 2U);
  EXPECT_EQ(std::get<TlvList>(inner).items[1].tag, 0xDF25U);
}

TEST(Tlv, HostileInputsAreErrorsNeverOverreads) {
  const std::vector<std::pair<const char*, TagForm>> bad = {
      {"12", TagForm::flat},                   // tag without length
      {"12 05 0102", TagForm::flat},           // value overruns
      {"12 81", TagForm::flat},                // truncated long length
      {"12 82 01", TagForm::flat},             // truncated long length
      {"12 83 000001 00", TagForm::flat},      // 3-byte length: refused
      {"12 80 00 00", TagForm::flat},          // indefinite length
      {"12 82 FFFF 00", TagForm::flat},        // 65535 claimed, 1 present
      {"DF", TagForm::ber},                    // truncated multi-byte tag
      {"DF 81 81 81 81 01 00", TagForm::ber},  // over-long tag
  };
  for (const auto& [h, form] : bad) {
    const auto parsed = parse_tlv(hex(h), form);
    EXPECT_TRUE(std::holds_alternative<TlvError>(parsed)) << h;
  }
  // Every truncation of a good buffer is an error or a shorter list, never a crash.
  const Bytes good = hex("12 02 AAAA 1F 81 03 010203 21 82 0001 FF");
  for (size_t n = 0; n < good.size(); ++n) {
    (void)parse_tlv(std::span(good.data(), n), TagForm::flat);
  }
}

TEST(Der, ObjectSizeFromTheHeader) {
  EXPECT_EQ(der_object_size(hex("3082 04D2 3082")), 4U + 0x04D2);
  EXPECT_EQ(der_object_size(hex("3081 80")), 3U + 0x80);
  EXPECT_EQ(der_object_size(hex("3005")), 7U);
  EXPECT_FALSE(der_object_size(hex("3082 04")));    // truncated
  EXPECT_FALSE(der_object_size(hex("3182 0010")));  // not a SEQUENCE
  EXPECT_FALSE(der_object_size(hex("3080")));       // indefinite
  EXPECT_FALSE(der_object_size(hex("30")));
  EXPECT_EQ(encode_ber_length(5), hex("05"));
  EXPECT_EQ(encode_ber_length(200), hex("81C8"));
  EXPECT_EQ(encode_ber_length(1234), hex("8204D2"));
}

TEST(EraDates, EveryEraAndItsBoundaries) {
  EXPECT_EQ(parse_era_date("5060401")->iso(), "2024-04-01");  // 令和6年
  EXPECT_EQ(parse_era_date("5010501")->iso(), "2019-05-01");  // 令和元年, first day
  EXPECT_EQ(parse_era_date("4310430")->iso(), "2019-04-30");  // 平成31年, last day
  EXPECT_EQ(parse_era_date("4010108")->iso(), "1989-01-08");  // 平成元年
  EXPECT_EQ(parse_era_date("3640107")->iso(), "1989-01-07");  // 昭和64年
  EXPECT_EQ(parse_era_date("3551231")->iso(), "1980-12-31");
  EXPECT_EQ(parse_era_date("2150101")->iso(), "1926-01-01");  // 大正15年
  EXPECT_EQ(parse_era_date("1450101")->iso(), "1912-01-01");  // 明治45年
  EXPECT_EQ(parse_era_date("4080229")->iso(), "1996-02-29");  // leap day
  for (const char* bad : {"4310501",                          // 平成31年5月1日 is 令和
                          "5010430",                          // 令和元年4月30日 is 平成
                          "3640108",                          // 昭和64年1月8日 is 平成
                          "4090229",                          // 1997 is not a leap year
                          "5061301", "5060432", "5000101", "6010101", "0010101", "506040",
                          "50604011", "5O60401", ""}) {
    EXPECT_FALSE(parse_era_date(bad)) << bad;
  }
  EXPECT_TRUE(is_era_date_empty(ascii("5000000")));
  EXPECT_TRUE(is_era_date_empty({}));
  EXPECT_FALSE(is_era_date_empty(ascii("5060401")));
  EXPECT_EQ(to_era_date({2024, 4, 1}), "5060401");
  EXPECT_EQ(to_era_date({2019, 4, 30}), "4310430");
  EXPECT_EQ(to_era_date({1989, 1, 7}), "3640107");
  EXPECT_FALSE(to_era_date({1867, 12, 31}));
  EXPECT_EQ(to_era_date({2117, 12, 31}), "5991231");  // 令和99年
  EXPECT_FALSE(to_era_date({2118, 1, 1})) << "令和100年 has no 7-digit form (found by fuzz_dates)";
}

TEST(Dates, YyyymmddAndPackedBcd) {
  EXPECT_EQ(parse_yyyymmdd("19800229")->iso(), "1980-02-29");
  EXPECT_FALSE(parse_yyyymmdd("19810229"));
  EXPECT_FALSE(parse_yyyymmdd("1980022"));
  EXPECT_FALSE(parse_yyyymmdd("1980-2-2"));
  EXPECT_EQ(parse_bcd_date(hex("20290131"))->iso(), "2029-01-31");
  EXPECT_FALSE(parse_bcd_date(hex("2029013A")));
  EXPECT_FALSE(parse_bcd_date(hex("20291331")));
  EXPECT_FALSE(parse_bcd_date(hex("202901")));
}

TEST(JisX0208, DecodesKanjiKanaAndFullWidthAndRefusesGarbage) {
  // 優良 = JIS 4D25 4E49; 山田 = 3B33 4544; ア = 2522; ０ = 2330.
  EXPECT_EQ(jisx0208_to_utf8(hex("4D25 4E49")), "優良");
  EXPECT_EQ(jisx0208_to_utf8(hex("3B33 4544")), "山田");
  EXPECT_EQ(jisx0208_to_utf8(hex("2522 2330")), "ア０");
  EXPECT_EQ(jisx0208_to_utf8({}), "");
  EXPECT_FALSE(jisx0208_to_utf8(hex("3C")));         // odd length
  EXPECT_FALSE(jisx0208_to_utf8(hex("4D25 CE49")));  // high bit set
  EXPECT_FALSE(jisx0208_to_utf8(hex("2920")));       // below 21
  EXPECT_FALSE(jisx0208_to_utf8(hex("2F21")));       // unassigned row
  for (const char* text : {"優良", "東京都公安委員会", "眼鏡等", "中型車は中型車（８ｔ）に限る"}) {
    const auto jis = utf8_to_jisx0208(text);
    ASSERT_TRUE(jis) << text;
    EXPECT_EQ(jisx0208_to_utf8(Bytes(jis->begin(), jis->end())), text);
  }
  EXPECT_FALSE(utf8_to_jisx0208("ABC"));  // ASCII has no place in a JIS X 0208 field
  EXPECT_FALSE(utf8_to_jisx0208("😀"));
  // Found by fuzz_jisx0208: vendor rows are not JIS X 0208, and nothing may vanish on encoding.
  EXPECT_FALSE(jisx0208_to_utf8(hex("2D72"))) << "NEC row 13";
  EXPECT_FALSE(jisx0208_to_utf8(hex("7921"))) << "IBM extension row 89";
  EXPECT_FALSE(utf8_to_jisx0208("優\u00AD良")) << "a soft hyphen would silently disappear";
  EXPECT_FALSE(utf8_to_jisx0208("\u034F"));
  EXPECT_FALSE(utf8_to_jisx0208("東京都凬安委員会")) << "凬 is an IBM extension, not JIS X 0208";
}

}  // namespace
}  // namespace mk::devices
