// The host side of the SCP03 channel against a card side written independently from
// docs/issuer-channel.md (scp03_card_double.hpp).

#include "center/issuer/scp03_host.hpp"

#include <gtest/gtest.h>

#include "tests/center/scp03_card_double.hpp"
#include "tests/center/test_keys.hpp"

namespace mk::center::issuer {
namespace {

namespace cd = tests::card_double;
using cd::hex;

const Bytes kEnc = hex("404142434445464748494a4b4c4d4e4f");
const Bytes kMac = hex("505152535455565758595a5b5c5d5e5f");
const Bytes kDek = hex("606162636465666768696a6b6c6d6e6f");
const Bytes kDiv = hex("4d4b a1a2a3a4a5a6a7a8");
const Bytes kCardChallenge = hex("c1c2c3c4c5c6c7c8");
const Bytes kHostChallenge = hex("0102030405060708");

MasterKeys master() {
  return test::master_keys(kEnc, kMac, kDek);
}

// The INITIALIZE UPDATE answer data (without SW) of `card` to kHostChallenge.
Bytes initialize(cd::Application& card) {
  Bytes answer = card.transmit(Scp03Host::initialize_update_command(kHostChallenge));
  EXPECT_EQ(answer.size(), 31u);
  EXPECT_EQ(Bytes(answer.end() - 2, answer.end()), hex("9000"));
  answer.resize(answer.size() - 2);
  return answer;
}

std::string error_of(const Bytes& answer) {
  try {
    Scp03Host host(master(), kHostChallenge, answer);
  } catch (const IssuerError& e) {
    return e.what();
  }
  return "(no error)";
}

class Scp03HostTest : public ::testing::Test {
 protected:
  cd::Application card{kEnc, kMac, kDiv, kCardChallenge};
};

TEST_F(Scp03HostTest, InitializeUpdateCommand) {
  EXPECT_EQ(Scp03Host::initialize_update_command(kHostChallenge),
            hex("80 50 30 00 08 0102030405060708 00"));
  EXPECT_THROW(Scp03Host::initialize_update_command(hex("01020304050607")), IssuerError);
  EXPECT_EQ(Scp03Host::random_host_challenge().size(), 8u);
  EXPECT_NE(Scp03Host::random_host_challenge(), Scp03Host::random_host_challenge());
}

TEST_F(Scp03HostTest, HandshakeAgreesWithTheCard) {
  const Bytes answer = initialize(card);
  Scp03Host host(master(), kHostChallenge, answer);
  EXPECT_EQ(host.diversification_data(), kDiv);
  EXPECT_EQ(host.card_challenge(), kCardChallenge);

  const Bytes ea = host.external_authenticate();
  ASSERT_EQ(ea.size(), 21u);
  EXPECT_EQ(Bytes(ea.begin(), ea.begin() + 5), hex("84 82 13 00 10"));
  // The host cryptogram, as the card computes it.
  const Bytes context = cd::concat({kHostChallenge, kCardChallenge});
  EXPECT_EQ(Bytes(ea.begin() + 5, ea.begin() + 13), cd::derive(card.s_mac(), 0x01, 64, context));
  // The C-MAC over a zero chaining value.
  const Bytes mac =
      cd::cmac(card.s_mac(), cd::concat({Bytes(16, 0), Bytes(ea.begin(), ea.end() - 8)}));
  EXPECT_EQ(Bytes(ea.end() - 8, ea.end()), Bytes(mac.begin(), mac.begin() + 8));
  EXPECT_EQ(card.transmit(ea), hex("9000"));

  EXPECT_THROW(host.external_authenticate(), IssuerError);
}

TEST_F(Scp03HostTest, SessionKeysFollowTheDoc) {
  // The card double derives S-ENC from K-ENC, S-MAC and S-RMAC from K-MAC; a host that derived
  // any of them differently fails below (cryptogram, decryption or R-MAC).
  const Bytes answer = initialize(card);
  const Bytes k_mac = cd::diversify(kMac, kDiv);
  const Bytes context = cd::concat({kHostChallenge, kCardChallenge});
  EXPECT_EQ(card.s_mac(), cd::derive(k_mac, 0x06, 128, context));
  EXPECT_EQ(Bytes(answer.begin() + 21, answer.end()), cd::derive(card.s_mac(), 0x00, 64, context));
  EXPECT_EQ(Bytes(answer.begin() + 10, answer.begin() + 13), hex("30 03 20"));

  Scp03Host host(master(), kHostChallenge, answer);
  ASSERT_EQ(card.transmit(host.external_authenticate()), hex("9000"));
  const Bytes plain = hex("0102030405");
  const Bytes response = card.transmit(host.wrap(0x80, 0xD6, 0x00, 0x00, plain));
  ASSERT_EQ(card.received.size(), 1u);
  EXPECT_EQ(card.received[0].data, plain);
  EXPECT_TRUE(host.check_response(response));
}

TEST_F(Scp03HostTest, CommandsDecryptOnTheCardWithCounterAndChaining) {
  Scp03Host host(master(), kHostChallenge, initialize(card));
  ASSERT_EQ(card.transmit(host.external_authenticate()), hex("9000"));

  std::vector<Bytes> plaintexts;
  for (size_t n : {1u, 0u, 15u, 16u, 17u, 0u, 200u, 239u}) {
    Bytes p(n);
    for (size_t i = 0; i < n; ++i) {
      p[i] = static_cast<uint8_t>(i * 7 + n);
    }
    plaintexts.push_back(p);
  }
  size_t counter = 0;
  for (const Bytes& p : plaintexts) {
    ++counter;
    const Bytes apdu = host.wrap(0x80, 0xD6, 0x01, 0x02, p);
    EXPECT_EQ(apdu[0], 0x84);
    // Padding is always added: 80 then 00 to the next multiple of 16.
    const size_t encrypted = p.empty() ? 0 : (p.size() / 16 + 1) * 16;
    EXPECT_EQ(apdu.size(), 5 + encrypted + 8);
    EXPECT_EQ(static_cast<size_t>(apdu[4]), encrypted + 8);
    if (!p.empty()) {
      // ICV = AES-ECB(S-ENC, counter), the counter moving on for commands without data too.
      Bytes counter_block(16, 0);
      counter_block[15] = static_cast<uint8_t>(counter);
      const Bytes icv = cd::aes(true, card.s_enc(), {}, counter_block);
      Bytes padded = p;
      padded.push_back(0x80);
      padded.resize(encrypted, 0x00);
      EXPECT_EQ(Bytes(apdu.begin() + 5, apdu.end() - 8), cd::aes(true, card.s_enc(), icv, padded))
          << "command " << counter;
    }
    const Bytes response = card.transmit(apdu);
    ASSERT_EQ(response.size(), 10u) << "command " << counter << " refused by the card";
    EXPECT_TRUE(host.check_response(response));
  }
  ASSERT_EQ(card.received.size(), plaintexts.size());
  for (size_t i = 0; i < plaintexts.size(); ++i) {
    EXPECT_EQ(card.received[i].data, plaintexts[i]);
    EXPECT_EQ(card.received[i].cla, 0x80);
    EXPECT_EQ(card.received[i].ins, 0xD6);
  }
  EXPECT_EQ(host.wrapped_count(), plaintexts.size());
  EXPECT_THROW(host.wrap(0x80, 0xD6, 0, 0, Bytes(240)), IssuerError);
}

TEST_F(Scp03HostTest, CommandsWrappedAheadVerifyInOrder) {
  // The issuer wraps a whole list before the kiosk relays it: R-MACs are checked per command.
  Scp03Host host(master(), kHostChallenge, initialize(card));
  card.handler = [](const cd::Command& c) { return cd::Answer{c.data, 0x9000}; };  // echo
  std::vector<Bytes> apdus = {host.external_authenticate()};
  for (uint8_t i = 0; i < 4; ++i) {
    apdus.push_back(host.wrap(0x80, 0xCA, i, 0x00, Bytes(i, i)));
  }
  std::vector<Bytes> answers;
  answers.reserve(apdus.size());
  for (const Bytes& a : apdus) {
    answers.push_back(card.transmit(a));
  }
  EXPECT_EQ(answers[0], hex("9000"));
  for (size_t i = 1; i < answers.size(); ++i) {
    EXPECT_TRUE(host.check_response_at(i - 1, answers[i])) << i;
    EXPECT_FALSE(host.check_response_at(i % 4, answers[i])) << i;  // another command's chaining
  }
  EXPECT_TRUE(host.check_response(answers.back()));
  EXPECT_EQ(host.unwrap_response(answers.back()), Bytes(3, 3));
  EXPECT_FALSE(host.check_response_at(4, answers.back()));
}

TEST_F(Scp03HostTest, ReplayedOrReorderedCommandIsRefusedByTheCard) {
  Scp03Host host(master(), kHostChallenge, initialize(card));
  ASSERT_EQ(card.transmit(host.external_authenticate()), hex("9000"));
  const Bytes first = host.wrap(0x80, 0xD6, 0, 0, hex("01"));
  const Bytes second = host.wrap(0x80, 0xD6, 0, 0, hex("02"));
  ASSERT_EQ(card.transmit(first).size(), 10u);
  EXPECT_EQ(card.transmit(first), hex("6982"));  // replay: the chaining value moved on
  EXPECT_FALSE(card.channel_open());
  EXPECT_EQ(card.transmit(second), hex("6982"));  // closed
}

TEST_F(Scp03HostTest, TamperedRmacIsRejected) {
  Scp03Host host(master(), kHostChallenge, initialize(card));
  card.handler = [](const cd::Command&) { return cd::Answer{hex("a1a2a3"), 0x9000}; };
  ASSERT_EQ(card.transmit(host.external_authenticate()), hex("9000"));
  const Bytes response = card.transmit(host.wrap(0x80, 0xCA, 0, 0, {}));
  ASSERT_EQ(response.size(), 3u + 8 + 2);
  EXPECT_TRUE(host.check_response(response));
  EXPECT_EQ(host.unwrap_response(response), hex("a1a2a3"));
  for (size_t i = 0; i < response.size(); ++i) {
    Bytes tampered = response;
    tampered[i] ^= 0x01;
    EXPECT_FALSE(host.check_response(tampered)) << "byte " << i;  // data, R-MAC and SW covered
  }
  Bytes stripped = response;
  stripped.erase(stripped.begin() + 3, stripped.begin() + 11);
  EXPECT_FALSE(host.check_response(stripped));
  EXPECT_FALSE(host.check_response(hex("9000")));  // a success must be protected
  Bytes tampered = response;
  tampered[5] ^= 0x80;
  EXPECT_THROW(host.unwrap_response(tampered), IssuerError);
}

// GP Amendment D §6.2.5: no R-MAC on an error status word, which comes alone; 9000 and the
// warnings (62xx, 63xx) are protected.
TEST_F(Scp03HostTest, AnErrorStatusComesAloneWithoutAnRmac) {
  Scp03Host host(master(), kHostChallenge, initialize(card));
  card.handler = [](const cd::Command&) { return cd::Answer{{}, 0x6A88}; };
  ASSERT_EQ(card.transmit(host.external_authenticate()), hex("9000"));
  const Bytes response = card.transmit(host.wrap(0x80, 0xE4, 0, 0, hex("4f01aa")));
  EXPECT_EQ(response, hex("6a88"));
  EXPECT_TRUE(host.check_response(response));
  EXPECT_EQ(host.unwrap_response(response), Bytes{});
  // The same status with an R-MAC-looking tail, or with data, is not a card's answer.
  EXPECT_FALSE(host.check_response(hex("0102030405060708 6a88")));
  EXPECT_FALSE(host.check_response(hex("aa 6a88")));
  EXPECT_THROW(host.unwrap_response(hex("0102030405060708 6a88")), IssuerError);

  card.handler = [](const cd::Command&) { return cd::Answer{hex("01"), 0x6283}; };
  const Bytes warning = card.transmit(host.wrap(0x80, 0xCA, 0, 0, {}));
  EXPECT_EQ(warning.size(), 1u + 8 + 2);  // a warning is protected
  EXPECT_TRUE(host.check_response(warning));
  EXPECT_FALSE(host.check_response(hex("6283")));
  EXPECT_TRUE(Scp03Host::carries_rmac(0x9000));
  EXPECT_TRUE(Scp03Host::carries_rmac(0x6300));
  EXPECT_FALSE(Scp03Host::carries_rmac(0x6B00));
  EXPECT_FALSE(Scp03Host::carries_rmac(0x6982));
}

TEST_F(Scp03HostTest, NothingToCheckBeforeAWrappedCommand) {
  Scp03Host host(master(), kHostChallenge, initialize(card));
  EXPECT_THROW(host.wrap(0x80, 0xD6, 0, 0, hex("01")), IssuerError);
  EXPECT_FALSE(host.check_response(hex("0102030405060708 9000")));
}

TEST_F(Scp03HostTest, WrongCardCryptogramIsRejected) {
  // A card personalised from other master keys.
  cd::Application other(kMac, kEnc, kDiv, kCardChallenge);
  std::string e = error_of(initialize(other));
  EXPECT_NE(e.find("card cryptogram does not verify"), std::string::npos) << e;

  // Each byte of the challenge and cryptogram counts; so does the div data.
  const Bytes answer = initialize(card);
  for (size_t i : {0u, 9u, 13u, 20u, 21u, 28u}) {
    Bytes altered = answer;
    altered[i] ^= 0x40;
    e = error_of(altered);
    EXPECT_NE(e.find("card cryptogram does not verify"), std::string::npos) << i << ": " << e;
  }
  // The same answer against another host challenge.
  EXPECT_THROW(Scp03Host(master(), hex("0102030405060709"), answer), IssuerError);
}

TEST_F(Scp03HostTest, WrongLengthOrKeyInfoIsRejected) {
  const Bytes answer = initialize(card);
  std::string e = error_of(Bytes(answer.begin(), answer.end() - 1));
  EXPECT_NE(e.find("expected 29 bytes"), std::string::npos) << e;
  e = error_of(cd::concat({answer, hex("9000")}));
  EXPECT_NE(e.find("got 31"), std::string::npos) << e;

  Bytes kvn = answer;
  kvn[10] = 0x31;
  e = error_of(kvn);
  EXPECT_NE(e.find("key version 31"), std::string::npos) << e;
  Bytes scp = answer;
  scp[11] = 0x02;
  e = error_of(scp);
  EXPECT_NE(e.find("protocol 02"), std::string::npos) << e;
  Bytes i = answer;
  i[12] = 0x70;
  e = error_of(i);
  EXPECT_NE(e.find("i = 70"), std::string::npos) << e;

  EXPECT_THROW(Scp03Host(master(), hex("01020304"), answer), IssuerError);
}

}  // namespace
}  // namespace mk::center::issuer
