// The virtual conventional IC driver's license: MF files, PIN1/PIN2, DF1 記載事項 and 本籍, DF2
// photo, JIS X 0208 text and 元号 dates.

#include <map>

#include <gtest/gtest.h>

#include "devices/profile/card_profile.hpp"
#include "devices/sim/cards.hpp"
#include "tests/sim/sim_support.hpp"

namespace mk::test {
namespace {

namespace dl = devices::profile::dl;
using devices::sim::CardEngine;

CardEngine make_card(const std::string& id) {
  const auto person = devices::sim::load_person(fixture(id), devices::sim::Date{2026, 11, 26});
  return CardEngine(devices::sim::make_dl_card(person));
}

std::map<uint8_t, Bytes> parse_one_byte_tlvs(const Bytes& b) {
  std::map<uint8_t, Bytes> out;
  size_t at = 0;
  while (at < b.size() && b[at] != 0xFF) {
    const uint8_t tag = b[at++];
    const size_t n = ber_length(b, at);
    out[tag] = Bytes(b.begin() + static_cast<std::ptrdiff_t>(at),
                     b.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
  }
  return out;
}

class DlCardTest : public ::testing::Test {
 protected:
  CardEngine card = make_card("yamada-taro");
};

TEST_F(DlCardTest, AtrIsNotTheMyNumberAtr) {
  const Bytes atr = card.atr();
  EXPECT_NE(atr,
            Bytes(devices::profile::kMyNumberAtr.begin(), devices::profile::kMyNumberAtr.end()));
  uint8_t tck = 0;
  for (size_t i = 1; i < atr.size(); ++i) {
    tck ^= atr[i];
  }
  EXPECT_EQ(tck, 0);  // T=1 ATRs carry a valid check byte
}

TEST_F(DlCardTest, CommonDataAndPinSettingAreFree) {
  ASSERT_EQ(sw(tx(card, select_ef(dl::kCommonData))), 0x9000);
  // 45 0B, spec version "008", issue 2024-05-10, expiry 2029-05-12 in packed BCD.
  EXPECT_EQ(tx(card, "00B000000D"), hex("450B303038202405102029051290 00"));
  ASSERT_EQ(sw(tx(card, select_ef(dl::kPinSetting))), 0x9000);
  EXPECT_EQ(tx(card, "00B0000003"), hex("0501019000"));
}

TEST_F(DlCardTest, EntriesNeedPin1) {
  ASSERT_EQ(sw(tx(card, select_aid(dl::kDf1Aid))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(dl::kEntries))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000010"), 0x6982);
  // PINs live in the MF: VERIFY P2 81 works from DF1 too; selecting a DF keeps them verified.
  EXPECT_EQ(sw(tx(card, verify(dl::kPin1P2, ""))), 0x63C3);
  ASSERT_EQ(sw(tx(card, verify(dl::kPin1P2, "1111"))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_aid(dl::kDf1Aid))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(dl::kEntries))), 0x9000);
  const auto f = parse_one_byte_tlvs(read_all(card));
  // 山田　太郎 in JIS X 0208: 3B33 4544 2121 4240 4F3A.
  EXPECT_EQ(f.at(dl::kName), hex("3B33454421214240 4F3A"));
  EXPECT_EQ(f.at(dl::kBirthDate), devices::sim::ascii("3600412"));  // 昭和60年4月12日
  EXPECT_EQ(f.at(dl::kIssueDate), devices::sim::ascii("5060510"));  // 令和6年5月10日
  EXPECT_EQ(f.at(dl::kExpiry), devices::sim::ascii("5110512"));
  EXPECT_EQ(f.at(dl::kColor), hex("4D254E49"));  // 優良
  EXPECT_EQ(f.at(dl::kLicenseNumber), devices::sim::ascii("301234567890"));
  EXPECT_EQ(f.at(0x26), devices::sim::ascii("4170601"));  // 普通: 平成17年6月1日
  EXPECT_TRUE(f.at(0x25).empty());                        // 大型 not held
  EXPECT_EQ(f.at(dl::kCondition1), hex("346336404579"));  // 眼鏡等
  EXPECT_TRUE(f.at(dl::kCondition4).empty());
  for (uint8_t tag = dl::kFirstClass; tag <= dl::kLastClass; ++tag) {
    EXPECT_TRUE(f.contains(tag)) << int{tag};
  }
  // No byte of JIS X 0208 text has the high bit.
  for (const uint8_t b : f.at(dl::kAddress)) {
    EXPECT_LT(b, 0x80);
  }
}

TEST_F(DlCardTest, HonsekiAndPhotoNeedBothPins) {
  ASSERT_EQ(sw(tx(card, verify(dl::kPin1P2, "1111"))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_aid(dl::kDf1Aid))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(dl::kHonseki))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000004"), 0x6982);
  ASSERT_EQ(sw(tx(card, select_aid(dl::kDf2Aid))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0810004"), 0x6982);  // SFI 1 = photo
  // PIN2 by SELECT + P2 80 under the MF.
  ASSERT_EQ(sw_of(card, "00A4000C023F00"), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(dl::kPin2))), 0x9000);
  ASSERT_EQ(sw(tx(card, verify(0x80, "2222"))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_aid(dl::kDf2Aid))), 0x9000);
  const Bytes head = data(tx(card, "00B0810008"));
  ASSERT_EQ(head.size(), 8U);
  EXPECT_EQ(head[0], 0x5F);
  EXPECT_EQ(head[1], 0x40);
  ASSERT_EQ(sw(tx(card, select_aid(dl::kDf1Aid))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(dl::kHonseki))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000004"), 0x9000);
}

TEST_F(DlCardTest, PinsBlockAfterThreeTries) {
  EXPECT_EQ(sw(tx(card, verify(dl::kPin2P2, "0000"))), 0x63C2);
  EXPECT_EQ(sw(tx(card, verify(dl::kPin2P2, "0000"))), 0x63C1);
  EXPECT_EQ(sw(tx(card, verify(dl::kPin2P2, "0000"))), 0x63C0);
  EXPECT_EQ(sw(tx(card, verify(dl::kPin2P2, "2222"))), 0x6984);
  EXPECT_EQ(sw(tx(card, verify(dl::kPin1P2, "1111"))), 0x9000);  // PIN1 unaffected
}

TEST(DlCardFixtures, NoLicenseNoCard) {
  const auto person =
      devices::sim::load_person(fixture("sato-ichiro"), devices::sim::Date{2026, 11, 26});
  EXPECT_THROW(devices::sim::make_dl_card(person), std::runtime_error);
}

TEST(Encoding, EraDatesAndJis) {
  using devices::sim::Date;
  using devices::sim::era_date;
  EXPECT_EQ(era_date(Date{2019, 4, 30}), "4310430");
  EXPECT_EQ(era_date(Date{2019, 5, 1}), "5010501");
  EXPECT_EQ(era_date(Date{1989, 1, 7}), "3640107");
  EXPECT_EQ(era_date(Date{1989, 1, 8}), "4010108");
  EXPECT_EQ(era_date(Date{1926, 12, 25}), "3011225");
  EXPECT_EQ(era_date(Date{1912, 7, 29}), "1450729");
  EXPECT_EQ(devices::sim::bcd_date(Date{2029, 5, 12}), hex("20290512"));
  EXPECT_EQ(devices::sim::jis_x0208("一般"), hex("306C484C"));
  EXPECT_THROW(devices::sim::jis_x0208("ｱ"), std::runtime_error);  // half-width kana: JIS X 0201
  EXPECT_THROW(devices::sim::jis_x0208("A"), std::runtime_error);  // ASCII is not JIS X 0208
  EXPECT_THROW(devices::sim::jis_x0208("🚗"), std::runtime_error);  // not in EUC-JP at all
  EXPECT_EQ(devices::sim::jis_x0208("Ａ"), hex("2341"));           // full-width is
}

}  // namespace
}  // namespace mk::test
