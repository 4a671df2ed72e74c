// The card data parsers with good and hostile input: every truncation, wrong tags, over-long
// lengths, bad text and impossible dates give an error, never a crash or a wrong value.
#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "devices/apdu/bytes.hpp"
#include "devices/cards/basic4_info.hpp"
#include "devices/cards/dl_record.hpp"
#include "devices/cards/license_record.hpp"
#include "devices/encoding/jisx0208.hpp"
#include "devices/encoding/tlv.hpp"

namespace mk::devices {
namespace {

Bytes tlv(std::initializer_list<uint8_t> tag, const Bytes& value) {
  Bytes out(tag);
  const Bytes length = encode_ber_length(value.size());
  out.insert(out.end(), length.begin(), length.end());
  out.insert(out.end(), value.begin(), value.end());
  return out;
}
Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}
Bytes jis(std::string_view s) {
  const auto j = utf8_to_jisx0208(s);
  return Bytes(j->begin(), j->end());
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}
Bytes padded(Bytes b, size_t to) {
  b.resize(std::max(to, b.size()), 0xFF);
  return b;
}

Bytes basic4_ef(const std::string& sex = "1", const std::string& birth = "19800229") {
  const Bytes inner =
      cat({tlv({0xDF, 0x21}, Bytes(10, 0)), tlv({0xDF, 0x22}, text("山田\u3000太郎")),
           tlv({0xDF, 0x23}, text("東京都千代田区霞が関２－１－２")),
           tlv({0xDF, 0x24}, text(birth)), tlv({0xDF, 0x25}, text(sex))});
  return padded(tlv({0xFF, 0x20}, inner), 512);
}

TEST(Basic4, ParsesTheFourItems) {
  const auto parsed = parse_basic4(basic4_ef());
  ASSERT_TRUE(std::holds_alternative<Basic4Info>(parsed)) << std::get<ParseError>(parsed).reason;
  const auto& info = std::get<Basic4Info>(parsed);
  EXPECT_EQ(info.name, "山田\u3000太郎");
  EXPECT_EQ(info.address, "東京都千代田区霞が関２－１－２");
  EXPECT_EQ(info.birth_date.iso(), "1980-02-29");
  EXPECT_EQ(info.sex, Sex::male);
  EXPECT_EQ(std::get<Basic4Info>(parse_basic4(basic4_ef("2"))).sex, Sex::female);
  EXPECT_EQ(std::get<Basic4Info>(parse_basic4(basic4_ef("9"))).sex, Sex::not_applicable);
}

TEST(Basic4, HostileInputsAreErrors) {
  EXPECT_TRUE(std::holds_alternative<ParseError>(parse_basic4(basic4_ef("3"))));
  EXPECT_TRUE(std::holds_alternative<ParseError>(parse_basic4(basic4_ef("1", "19810229"))));
  EXPECT_TRUE(std::holds_alternative<ParseError>(parse_basic4(Bytes(64, 0xFF))));
  EXPECT_TRUE(std::holds_alternative<ParseError>(parse_basic4({})));
  Bytes bad_utf8 = basic4_ef();
  bad_utf8[bad_utf8.size() - 512 + 20] = 0xC3;  // somewhere inside the name: a broken sequence
  (void)parse_basic4(bad_utf8);
  const Bytes good = basic4_ef();
  ASSERT_LT(good[2], 0x80);
  const size_t tlv_size = 3U + good[2];
  for (size_t n = 0; n < tlv_size; ++n) {  // every truncation of the TLV part
    const auto parsed = parse_basic4(std::span(good.data(), n));
    EXPECT_TRUE(std::holds_alternative<ParseError>(parsed)) << n;
  }
  Bytes overlong = good;
  overlong[2] = 0xF0;  // template length beyond the data
  EXPECT_TRUE(std::holds_alternative<ParseError>(parse_basic4(overlong)));
}

Bytes dl_entries(const std::string& expiry = "5110131", const Bytes& name = jis("山田　太郎")) {
  return padded(
      cat({tlv({0x12}, name), tlv({0x13}, jis("ヤマダ　タロウ")), tlv({0x16}, text("3550229")),
           tlv({0x17}, jis("東京都千代田区霞が関２－１－２")), tlv({0x18}, text("5060401")),
           tlv({0x19}, text("12345")), tlv({0x1A}, jis("優良")), tlv({0x1B}, text(expiry)),
           tlv({0x1C}, jis("眼鏡等")), tlv({0x1D}, {}), tlv({0x20}, jis("東京都公安委員会")),
           tlv({0x21}, text("301234567890")), tlv({0x22}, text("5000000")),
           tlv({0x26}, text("4100715")), tlv({0x29}, {}), tlv({0x33}, text("4100715"))}),
      1024);
}

TEST(DlEntries, ParsesTextDatesConditionsAndClasses) {
  const auto parsed = parse_dl_entries(dl_entries());
  ASSERT_TRUE(std::holds_alternative<DlEntries>(parsed)) << std::get<ParseError>(parsed).reason;
  const auto& e = std::get<DlEntries>(parsed);
  EXPECT_EQ(e.name, "山田　太郎");
  EXPECT_EQ(e.call_name, "ヤマダ　タロウ");
  EXPECT_EQ(e.birth_date.iso(), "1980-02-29");
  EXPECT_EQ(e.issue_date.iso(), "2024-04-01");
  EXPECT_EQ(e.expiry.iso(), "2029-01-31");
  EXPECT_EQ(e.color, "優良");
  EXPECT_EQ(e.commission, "東京都公安委員会");
  EXPECT_EQ(e.license_number, "301234567890");
  ASSERT_EQ(e.conditions.size(), 1U) << "an empty condition is no condition";
  EXPECT_EQ(e.conditions[0], "眼鏡等");
  ASSERT_EQ(e.classes.size(), 2U) << "5000000 and empty mean 'not held'";
  EXPECT_EQ(e.classes[0].id, "futsu");
  EXPECT_EQ(e.classes[0].name, "普通");
  EXPECT_EQ(e.classes[0].since.iso(), "1998-07-15");
  EXPECT_EQ(e.classes[1].id, "junchugata");
}

TEST(DlEntries, HostileInputsAreErrors) {
  // 令和11年 = 2029 is not a leap year.
  EXPECT_TRUE(std::holds_alternative<ParseError>(parse_dl_entries(dl_entries("5110229"))));
  EXPECT_TRUE(std::holds_alternative<ParseError>(parse_dl_entries(dl_entries("51101"))));
  EXPECT_TRUE(std::holds_alternative<ParseError>(
      parse_dl_entries(dl_entries("5110131", {0x3B, 0x33, 0x45}))))
      << "odd-length JIS text";
  EXPECT_TRUE(
      std::holds_alternative<ParseError>(parse_dl_entries(dl_entries("5110131", {0xBB, 0xB3}))))
      << "high bit set: EUC-JP, not JIS X 0208";
  const Bytes good = dl_entries();
  const size_t content = good.size() - 1024 + 200;  // rough end of the TLVs
  for (size_t n = 0; n < std::min(good.size(), content); ++n) {
    (void)parse_dl_entries(std::span(good.data(), n));  // never crashes
  }
  EXPECT_TRUE(std::holds_alternative<ParseError>(parse_dl_entries(Bytes(32, 0xFF))));
}

TEST(DlCommonData, BcdDatesAndTheHeader) {
  const Bytes ef = padded(*base::from_hex_dump("450B 303039 20240401 20290131"), 32);
  const auto parsed = parse_dl_common_data(ef);
  ASSERT_TRUE(std::holds_alternative<DlCommonData>(parsed));
  EXPECT_EQ(std::get<DlCommonData>(parsed).issued.iso(), "2024-04-01");
  EXPECT_EQ(std::get<DlCommonData>(parsed).expiry.iso(), "2029-01-31");
  EXPECT_TRUE(std::holds_alternative<ParseError>(
      parse_dl_common_data(*base::from_hex_dump("450A 303039"))));
  EXPECT_TRUE(std::holds_alternative<ParseError>(
      parse_dl_common_data(*base::from_hex_dump("450B 303039 20241301 20290131"))));
  EXPECT_EQ(parse_dl_pin_setting(*base::from_hex_dump("050101")), true);
  EXPECT_EQ(parse_dl_pin_setting(*base::from_hex_dump("050100")), false);
  EXPECT_FALSE(parse_dl_pin_setting(*base::from_hex_dump("050102")));
  EXPECT_FALSE(parse_dl_pin_setting(*base::from_hex_dump("0501")));
}

Bytes license_wef02(const Bytes& number = text("123456789012")) {
  return cat({tlv({0xC0}, text("001")), tlv({0xC1}, text("1")), tlv({0xC2}, number),
              tlv({0xC3}, text("5070401")), tlv({0xC4}, jis("優良")), tlv({0xC5}, text("5110131")),
              tlv({0xC6}, jis("東京都公安委員会")), tlv({0xC7}, jis("眼鏡等")),
              tlv({0xC7}, jis("ＡＴ車に限る")),
              tlv({0xE8}, cat({tlv({0x26}, text("4100715")), tlv({0x2B}, text("4100715"))}))});
}

TEST(LicenseRecord, ParsesProfileV1AndReturnsTheSignedBytes) {
  const Bytes content = license_wef02();
  Bytes signed_bytes;
  const auto parsed = parse_license_record(padded(content, 512), &signed_bytes);
  ASSERT_TRUE(std::holds_alternative<LicenseRecord>(parsed)) << std::get<ParseError>(parsed).reason;
  const auto& r = std::get<LicenseRecord>(parsed);
  EXPECT_EQ(r.kind, RecordKind::license);
  EXPECT_EQ(r.number, "123456789012");
  EXPECT_EQ(r.recorded_on.iso(), "2025-04-01");
  EXPECT_EQ(r.expiry.iso(), "2029-01-31");
  EXPECT_EQ(r.color, "優良");
  ASSERT_EQ(r.conditions.size(), 2U);
  EXPECT_EQ(r.conditions[1], "ＡＴ車に限る");
  ASSERT_EQ(r.classes.size(), 2U);
  EXPECT_EQ(r.classes[1].id, "gentsuki");
  EXPECT_EQ(signed_bytes, content) << "the signature covers the TLVs without the FF padding";
}

// R-HISTORY, FAQ 8: a driving history carries its number, recording date, the licences once held
// and the history — no last day of validity; a licence without one is broken.
TEST(LicenseRecord, AHistoryHasNoLastDayALicenceMust) {
  const Bytes history =
      cat({tlv({0xC0}, text("001")), tlv({0xC1}, text("2")), tlv({0xC2}, text("304400123456")),
           tlv({0xC3}, text("5081127")), tlv({0xE8}, tlv({0x22}, text("3400801"))),
           tlv({0xC9}, jis("昭和４０年取得"))});
  const auto parsed = parse_license_record(padded(history, 512), nullptr);
  ASSERT_TRUE(std::holds_alternative<LicenseRecord>(parsed)) << std::get<ParseError>(parsed).reason;
  EXPECT_EQ(std::get<LicenseRecord>(parsed).kind, RecordKind::driving_history);
  EXPECT_TRUE(std::get<LicenseRecord>(parsed).color.empty());
  const Bytes licence_without_last_day =
      cat({tlv({0xC0}, text("001")), tlv({0xC1}, text("1")), tlv({0xC2}, text("123456789012")),
           tlv({0xC3}, text("5070401"))});
  EXPECT_TRUE(std::holds_alternative<ParseError>(
      parse_license_record(padded(licence_without_last_day, 512), nullptr)));
}

TEST(LicenseRecord, HostileInputsAreErrors) {
  for (const Bytes& number : {text("12345678901"), text("12345678901X"), text("1234567890123")}) {
    EXPECT_TRUE(std::holds_alternative<ParseError>(
        parse_license_record(padded(license_wef02(number), 512), nullptr)));
  }
  // A truncation inside an item is an error; one at an item boundary may parse as a shorter
  // record — but then the signed bytes are the shorter prefix, so the signature cannot verify.
  const Bytes good = license_wef02();
  for (size_t n = 0; n < good.size(); ++n) {
    Bytes signed_bytes;
    const auto parsed = parse_license_record(std::span(good.data(), n), &signed_bytes);
    if (std::holds_alternative<LicenseRecord>(parsed)) {
      EXPECT_EQ(signed_bytes, Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n)))
          << "truncated at " << n;
    }
  }
  EXPECT_TRUE(
      std::holds_alternative<ParseError>(parse_license_record(std::span(good.data(), 20), nullptr)))
      << "without the number and expiry";
  EXPECT_TRUE(std::holds_alternative<ParseError>(
      parse_license_record(cat({tlv({0xC0}, text("002")), good}), nullptr)))
      << "another profile version";
}

TEST(LicenseFiles, PinSettingPhotoAndSignature) {
  auto setting = parse_license_pin_setting(padded(*base::from_hex_dump("C10101 C20102"), 16));
  ASSERT_TRUE(std::holds_alternative<LicensePinSetting>(setting));
  EXPECT_TRUE(std::get<LicensePinSetting>(setting).pin_set);
  EXPECT_EQ(std::get<LicensePinSetting>(setting).state, profile::license_ap::RecordState::complete);
  EXPECT_TRUE(std::holds_alternative<ParseError>(
      parse_license_pin_setting(*base::from_hex_dump("C20102"))));
  EXPECT_TRUE(std::holds_alternative<ParseError>(
      parse_license_pin_setting(*base::from_hex_dump("C10101 C20103"))));

  const Bytes codestream = *base::from_hex_dump("FF4FFF51 0102030405");
  const Bytes photo_tlv = tlv({0x5F, 0x40}, codestream);
  Bytes signed_photo;
  const auto photo = parse_license_photo(padded(photo_tlv, 4200), &signed_photo);
  ASSERT_TRUE(std::holds_alternative<Bytes>(photo));
  EXPECT_EQ(std::get<Bytes>(photo), codestream);
  EXPECT_EQ(signed_photo, photo_tlv);
  EXPECT_TRUE(std::holds_alternative<ParseError>(
      parse_license_photo(tlv({0x5F, 0x40}, Bytes(4097, 1)), nullptr)))
      << "larger than 4 KiB";

  const Bytes wef03 =
      cat({tlv({0xB1}, Bytes(256, 7)), tlv({0xB2}, *base::from_hex_dump("3003020101"))});
  const auto signature = parse_license_signature(padded(wef03, 2048));
  ASSERT_TRUE(std::holds_alternative<LicenseSignature>(signature));
  EXPECT_EQ(std::get<LicenseSignature>(signature).signature.size(), 256U);
  EXPECT_TRUE(
      std::holds_alternative<ParseError>(parse_license_signature(tlv({0xB1}, Bytes(255, 7)))));
}

}  // namespace
}  // namespace mk::devices
