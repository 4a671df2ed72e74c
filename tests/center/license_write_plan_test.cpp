// The command lists of the write procedure, run through an ISD and a 免許AP emulated from
// docs/issuer-channel.md on top of the independent card double.

#include "center/issuer/license_write_plan.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "tests/center/scp03_card_double.hpp"
#include "tests/center/test_keys.hpp"

namespace mk::center::issuer {
namespace {

namespace cd = tests::card_double;
using cd::hex;

const Bytes kEnc = hex("000102030405060708090a0b0c0d0e0f");
const Bytes kMac = hex("101112131415161718191a1b1c1d1e1f");
const Bytes kDek = hex("202122232425262728292a2b2c2d2e2f");
const Bytes kDiv = hex("4d4b 0011223344556677");
const Bytes kLicenseApAid = hex("A0000002310600000000000000000000");

MasterKeys master() {
  return test::master_keys(kEnc, kMac, kDek);
}

Bytes pattern(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) {
    b[i] = static_cast<uint8_t>(seed + i * 13);
  }
  return b;
}

// The 免許AP as the doc describes it, on top of the channel double.
struct LicenseApModel {
  std::map<uint16_t, Bytes> efs = {{0x001A, {}}, {0x001B, {}}, {0x001C, {}}, {0x001D, {}}};
  uint16_t selected = 0;
  Bytes pin;
  std::vector<std::string> log;  // what happened, in order

  LicenseApModel() {
    efs[0x001A] = Bytes(32, 0xFF);
    const Bytes initial = hex("C10100C20100");
    std::copy(initial.begin(), initial.end(), efs[0x001A].begin());
    efs[0x001B] = Bytes(1024, 0x00);
    efs[0x001C] = Bytes(2048, 0x00);
    efs[0x001D] = Bytes(4608, 0x00);
  }

  cd::Answer handle(const cd::Command& c) {
    if (c.cla != 0x80) {
      return {{}, 0x6E00};
    }
    if (c.ins == 0xA4 && c.p1 == 0x02 && c.p2 == 0x0C && c.data.size() == 2) {
      const auto fid = static_cast<uint16_t>(c.data[0] << 8 | c.data[1]);
      if (!efs.contains(fid)) {
        return {{}, 0x6A82};
      }
      selected = fid;
      return {};
    }
    if (c.ins == 0xD6 && selected != 0) {
      const size_t offset = size_t{c.p1} << 8 | c.p2;
      Bytes& ef = efs[selected];
      if ((c.p1 & 0x80) != 0 || c.data.size() > 200 || offset + c.data.size() > ef.size()) {
        return {{}, 0x6B00};
      }
      std::copy(c.data.begin(), c.data.end(), ef.begin() + static_cast<std::ptrdiff_t>(offset));
      if (offset == 0) {
        char text[32];
        (void)std::snprintf(text, sizeof text, "write %04X", selected);
        std::string entry = text;
        if (selected == 0x001A) {
          entry += " state " + std::to_string(c.data[5]);
        }
        log.push_back(entry);
      }
      return {};
    }
    if (c.ins == 0x24 && c.p1 == 0x01 && c.p2 == 0x86) {
      pin = c.data;
      log.push_back("change reference data");
      return {};
    }
    if (c.ins == 0x2C && c.p1 == 0x02 && c.p2 == 0x86) {
      pin = c.data;
      log.push_back("reset retry counter");
      return {};
    }
    return {{}, 0x6D00};
  }
};

// Sends every command like LicenseAp::relay: stops after the first status other than 9000.
std::vector<Bytes> relay(cd::Application& card, const std::vector<Bytes>& commands) {
  std::vector<Bytes> answers;
  for (const Bytes& c : commands) {
    answers.push_back(card.transmit(c));
    const Bytes& a = answers.back();
    if (a[a.size() - 2] != 0x90 || a.back() != 0x00) {
      break;
    }
  }
  return answers;
}

Scp03Host open(cd::Application& card, const Bytes& host_challenge) {
  Bytes answer = card.transmit(Scp03Host::initialize_update_command(host_challenge));
  answer.resize(answer.size() - 2);
  return Scp03Host(master(), host_challenge, answer);
}

LicenseImage image() {
  return {pattern(700, 1), pattern(300, 2), pattern(4096, 3)};
}

TEST(SelectCommand, PlainSelectByAid) {
  EXPECT_EQ(select_command(card::kIsdAid), hex("00 A4 04 0C 07 A0000001510000"));
  EXPECT_EQ(select_command(card::kLicenseApAid),
            cd::concat({hex("00 A4 04 0C 10"), kLicenseApAid}));
}

TEST(LicenseWritePlan, IsdInstallsTheLicenseAp) {
  cd::Application isd(kEnc, kMac, kDiv, hex("1122334455667788"));
  std::vector<cd::Command> seen;
  isd.handler = [&](const cd::Command& c) {
    seen.push_back(c);
    return cd::Answer{};
  };
  const LicenseWritePlan plan(image(), base::SecretBytes("1234"));
  Scp03Host host = open(isd, hex("0807060504030201"));
  const auto commands = plan.isd_commands(host);
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(Bytes(commands[0].begin(), commands[0].begin() + 5), hex("84 82 13 00 10"));
  EXPECT_EQ(Bytes(commands[1].begin(), commands[1].begin() + 4), hex("84 E6 0C 00"));
  const auto answers = relay(isd, commands);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].data, hex("06 A00000023106"
                              "06 A00000023106"
                              "10 A0000002310600000000000000000000"
                              "01 00"
                              "02 C900"
                              "00"));
  const RelayVerdict verdict = check_relay_answers(host, commands.size(), answers);
  EXPECT_TRUE(verdict.complete) << verdict.problem.value_or("");
  EXPECT_EQ(verdict.accepted, 2u);
}

// GP Amendment D §6.2.5: a refusal comes as its bare status word, and is reported as what it is
// (a real card's bare 6985 is not "no valid R-MAC").
TEST(LicenseWritePlan, InstallRefusedGivesTheStatus) {
  cd::Application isd(kEnc, kMac, kDiv, hex("1122334455667788"));
  isd.handler = [](const cd::Command&) { return cd::Answer{{}, 0x6985}; };  // exists already
  const LicenseWritePlan plan(image(), base::SecretBytes("1234"));
  Scp03Host host = open(isd, hex("0807060504030201"));
  const auto commands = plan.isd_commands(host);
  const RelayVerdict verdict = check_relay_answers(host, commands.size(), relay(isd, commands));
  EXPECT_FALSE(verdict.complete);
  EXPECT_EQ(verdict.accepted, 1u);
  EXPECT_EQ(verdict.status, 0x6985);
  ASSERT_TRUE(verdict.problem);
  EXPECT_NE(verdict.problem->find("answered 6985"), std::string::npos) << *verdict.problem;

  // An error status that came with an R-MAC (or data) is not what a card sends: refused too,
  // named as such.
  auto answers = relay(isd, commands);
  answers[1] = hex("0102030405060708 6985");
  const RelayVerdict odd = check_relay_answers(host, commands.size(), answers);
  EXPECT_FALSE(odd.complete);
  EXPECT_EQ(odd.status, 0x6985);
  ASSERT_TRUE(odd.problem);
  EXPECT_NE(odd.problem->find("came with data or an R-MAC"), std::string::npos) << *odd.problem;
}

TEST(LicenseWritePlan, LicenseApWritesEveryEfInOrder) {
  cd::Application ap(kEnc, kMac, kDiv, hex("a0a1a2a3a4a5a6a7"));
  LicenseApModel model;
  ap.handler = [&](const cd::Command& c) { return model.handle(c); };
  const LicenseImage img = image();
  const LicenseWritePlan plan(img, base::SecretBytes("0427"));
  Scp03Host host = open(ap, hex("0102030405060708"));
  const auto commands = plan.license_ap_commands(host);
  const auto answers = relay(ap, commands);
  const RelayVerdict verdict = check_relay_answers(host, commands.size(), answers);
  ASSERT_TRUE(verdict.complete) << verdict.problem.value_or("");
  EXPECT_EQ(verdict.accepted, commands.size());

  // 1 EA + WEF01 (2) + WEF02 (1 + 6) + WEF04 (1 + 24) + WEF03 (1 + 11) + PIN + WEF01 (2)
  EXPECT_EQ(commands.size(), 1u + 2 + 7 + 25 + 12 + 1 + 2);
  EXPECT_EQ(model.log, (std::vector<std::string>{"write 001A state 1", "write 001B", "write 001D",
                                                 "write 001C", "change reference data",
                                                 "write 001A state 2"}));
  const auto padded = [](const Bytes& b, size_t n) {
    Bytes out = b;
    out.resize(n, 0xFF);
    return out;
  };
  EXPECT_EQ(model.efs[0x001A], padded(hex("C10101C20102"), 32));
  EXPECT_EQ(model.efs[0x001B], padded(img.wef02, 1024));
  EXPECT_EQ(model.efs[0x001C], padded(img.wef03, 2048));
  EXPECT_EQ(model.efs[0x001D], padded(img.wef04, 4608));
  EXPECT_EQ(model.pin, hex("30343237"));  // "0427"
  for (const cd::Command& c : ap.received) {
    EXPECT_LE(c.data.size(), 200u);
  }
  // The PIN never travels in clear.
  const Bytes pin_text = hex("30343237");
  for (const Bytes& c : commands) {
    EXPECT_EQ(std::search(c.begin(), c.end(), pin_text.begin(), pin_text.end()), c.end());
  }
}

TEST(LicenseWritePlan, FullSizeImagesFitExactly) {
  cd::Application ap(kEnc, kMac, kDiv, hex("a0a1a2a3a4a5a6a7"));
  LicenseApModel model;
  ap.handler = [&](const cd::Command& c) { return model.handle(c); };
  const LicenseImage img{pattern(1024, 4), pattern(2048, 5), pattern(4608, 6)};
  const LicenseWritePlan plan(img, base::SecretBytes("9999"));
  Scp03Host host = open(ap, hex("0102030405060708"));
  const auto commands = plan.license_ap_commands(host);
  EXPECT_TRUE(check_relay_answers(host, commands.size(), relay(ap, commands)).complete);
  EXPECT_EQ(model.efs[0x001B], img.wef02);
  EXPECT_EQ(model.efs[0x001C], img.wef03);
  EXPECT_EQ(model.efs[0x001D], img.wef04);
}

TEST(LicenseWritePlan, RelayStoppedOrTamperedIsReported) {
  cd::Application ap(kEnc, kMac, kDiv, hex("a0a1a2a3a4a5a6a7"));
  LicenseApModel model;
  ap.handler = [&](const cd::Command& c) { return model.handle(c); };
  const LicenseWritePlan plan(image(), base::SecretBytes("1234"));
  Scp03Host host = open(ap, hex("0102030405060708"));
  const auto commands = plan.license_ap_commands(host);
  auto answers = relay(ap, commands);
  ASSERT_EQ(answers.size(), commands.size());

  auto stopped = answers;
  stopped.resize(10);  // the card was pulled
  RelayVerdict v = check_relay_answers(host, commands.size(), stopped);
  EXPECT_FALSE(v.complete);
  EXPECT_EQ(v.accepted, 10u);
  ASSERT_TRUE(v.problem);
  EXPECT_NE(v.problem->find("not answered"), std::string::npos) << *v.problem;

  auto tampered = answers;
  tampered[5][0] ^= 0x01;  // an R-MAC byte
  v = check_relay_answers(host, commands.size(), tampered);
  EXPECT_FALSE(v.complete);
  EXPECT_EQ(v.accepted, 5u);
  ASSERT_TRUE(v.problem);
  EXPECT_NE(v.problem->find("no valid R-MAC"), std::string::npos) << *v.problem;

  auto bad_ea = answers;
  bad_ea[0] = hex("6982");
  v = check_relay_answers(host, commands.size(), bad_ea);
  EXPECT_EQ(v.accepted, 0u);
  EXPECT_EQ(v.status, 0x6982);
}

TEST(LicenseWritePlan, DeleteAndResetPin) {
  cd::Application isd(kEnc, kMac, kDiv, hex("1122334455667788"));
  std::vector<cd::Command> seen;
  isd.handler = [&](const cd::Command& c) {
    seen.push_back(c);
    return cd::Answer{};
  };
  Scp03Host isd_host = open(isd, hex("0807060504030201"));
  const auto del = delete_commands(isd_host);
  ASSERT_EQ(del.size(), 2u);
  EXPECT_EQ(Bytes(del[1].begin(), del[1].begin() + 4), hex("84 E4 00 00"));
  EXPECT_TRUE(check_relay_answers(isd_host, del.size(), relay(isd, del)).complete);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].data, cd::concat({hex("4F 10"), kLicenseApAid}));

  cd::Application ap(kEnc, kMac, kDiv, hex("a0a1a2a3a4a5a6a7"));
  LicenseApModel model;
  ap.handler = [&](const cd::Command& c) { return model.handle(c); };
  Scp03Host ap_host = open(ap, hex("0102030405060708"));
  const auto reset = reset_pin_commands(ap_host, base::SecretBytes("5678"));
  ASSERT_EQ(reset.size(), 2u);
  EXPECT_EQ(Bytes(reset[1].begin(), reset[1].begin() + 4), hex("84 2C 02 86"));
  EXPECT_TRUE(check_relay_answers(ap_host, reset.size(), relay(ap, reset)).complete);
  EXPECT_EQ(model.pin, hex("35363738"));
  EXPECT_EQ(model.log, std::vector<std::string>{"reset retry counter"});
}

TEST(LicenseWritePlan, RefusesBadInput) {
  EXPECT_THROW(LicenseWritePlan(image(), base::SecretBytes("123")), IssuerError);
  EXPECT_THROW(LicenseWritePlan(image(), base::SecretBytes("12345")), IssuerError);
  EXPECT_THROW(LicenseWritePlan(image(), base::SecretBytes("12a4")), IssuerError);
  EXPECT_THROW(LicenseWritePlan({pattern(1025, 0), {}, {}}, base::SecretBytes("1234")),
               IssuerError);
  EXPECT_THROW(LicenseWritePlan({{}, pattern(2049, 0), {}}, base::SecretBytes("1234")),
               IssuerError);
  EXPECT_THROW(LicenseWritePlan({{}, {}, pattern(4609, 0)}, base::SecretBytes("1234")),
               IssuerError);

  cd::Application ap(kEnc, kMac, kDiv, hex("a0a1a2a3a4a5a6a7"));
  Scp03Host host = open(ap, hex("0102030405060708"));
  EXPECT_THROW(reset_pin_commands(host, base::SecretBytes("12 4")), IssuerError);
  const LicenseWritePlan plan(image(), base::SecretBytes("1234"));
  plan.license_ap_commands(host);
  EXPECT_THROW(plan.license_ap_commands(host), IssuerError);  // not a fresh session
}

TEST(SecretBytes, MovesAndClears) {
  base::SecretBytes a("1234");
  base::SecretBytes b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.size(), 4u);
  b.clear();
  EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace mk::center::issuer
