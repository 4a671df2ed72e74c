// The card side of the issuer channel (docs/issuer-channel.md) on the virtual My Number card, with
// raw APDUs: INITIALIZE UPDATE / EXTERNAL AUTHENTICATE, INSTALL and DELETE in the ISD, SELECT EF /
// UPDATE BINARY / CHANGE REFERENCE DATA / RESET RETRY COUNTER in the 免許AP, refusals (wrong
// cryptogram, replayed or altered commands, bad padding, outside a channel), R-MACs, and the
// state file across card objects.

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hex.hpp"
#include "devices/profile/card_profile.hpp"
#include "devices/sim/cards.hpp"
#include "devices/sim/runner.hpp"
#include "devices/sim/scp03.hpp"
#include "tests/sim/sim_support.hpp"

namespace mk::test {
namespace {

namespace prof = devices::profile;
namespace la = prof::license_ap;
using devices::sim::ascii;
using devices::sim::CardEngine;

// ============================================================================================
// TEST DOUBLE: a tiny host side of SCP03, written from docs/issuer-channel.md for these tests
// only. It is not the issuer (center/issuer/ is) and shares no code with the card side.
// ============================================================================================
namespace host {

Bytes cmac(const Bytes& key, const Bytes& data) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char cipher[] = "AES-128-CBC";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
                         OSSL_PARAM_END};
  Bytes out(16);
  size_t n = 0;
  EXPECT_EQ(EVP_MAC_init(ctx, key.data(), key.size(), params), 1);
  EXPECT_EQ(EVP_MAC_update(ctx, data.data(), data.size()), 1);
  EXPECT_EQ(EVP_MAC_final(ctx, out.data(), &n, out.size()), 1);
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  return out;
}

Bytes aes(const EVP_CIPHER* cipher, const Bytes& key, const Bytes& iv, const Bytes& data) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  Bytes out(data.size() + 16);
  int n = 0, m = 0;
  EVP_EncryptInit_ex(ctx, cipher, nullptr, key.data(), iv.empty() ? nullptr : iv.data());
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  EVP_EncryptUpdate(ctx, out.data(), &n, data.data(), static_cast<int>(data.size()));
  EVP_EncryptFinal_ex(ctx, out.data() + n, &m);
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<size_t>(n + m));
  return out;
}

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes first(const Bytes& b, size_t n) {
  EXPECT_LE(n, b.size());
  n = std::min(n, b.size());
  return Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
}

// label 00x11 || constant || 00 || L || counter 01 || context
Bytes derive(const Bytes& key, uint8_t constant, uint16_t l, const Bytes& context) {
  Bytes in(11, 0);
  in.insert(in.end(),
            {constant, 0x00, static_cast<uint8_t>(l >> 8), static_cast<uint8_t>(l & 0xFF), 0x01});
  return first(cmac(key, cat(in, context)), l / 8);
}

Bytes div_data(const std::string& id) {
  unsigned char d[32];
  SHA256(reinterpret_cast<const unsigned char*>(id.data()), id.size(), d);
  return cat(Bytes{'M', 'K'}, Bytes(d, d + 8));
}

struct Keys {
  Bytes enc, mac, dek;
};

Keys card_keys(const std::string& fixture_id) {
  devices::sim::PkiCache pki(pki_cache());
  const auto master = devices::sim::load_or_create_issuer_master_keys(pki);
  const Bytes in =
      cat(Bytes{'M', 'K', '-', 'S', 'C', 'P', '0', '3', '-', 'D', 'I', 'V'}, div_data(fixture_id));
  return {cmac(master.enc, in), cmac(master.mac, in), cmac(master.dek, in)};
}

class Session {
 public:
  Session(devices::sim::VirtualCard& card, const std::string& fixture_id)
      : card_(card), keys_(card_keys(fixture_id)) {}

  // INITIALIZE UPDATE; returns its answer (with SW).
  Bytes initialize_update() {
    host_challenge_.resize(8);
    RAND_bytes(host_challenge_.data(), 8);
    return tx(card_, cat(cat(Bytes{0x80, 0x50, 0x30, 0x00, 0x08}, host_challenge_), Bytes{0x00}));
  }
  // Derives the session keys from an INITIALIZE UPDATE answer; false when the card cryptogram
  // is wrong.
  bool derive_keys(const Bytes& answer) {
    const Bytes card_challenge(answer.begin() + 13, answer.begin() + 21);
    context_ = cat(host_challenge_, card_challenge);
    s_enc_ = derive(keys_.enc, 0x04, 0x80, context_);
    s_mac_ = derive(keys_.mac, 0x06, 0x80, context_);
    s_rmac_ = derive(keys_.mac, 0x07, 0x80, context_);
    return Bytes(answer.begin() + 21, answer.begin() + 29) == derive(s_mac_, 0x00, 0x40, context_);
  }
  Bytes host_cryptogram() const { return derive(s_mac_, 0x01, 0x40, context_); }
  Bytes external_authenticate(Bytes cryptogram) {
    chaining_ = Bytes(16, 0);
    Bytes apdu = cat(Bytes{0x84, 0x82, 0x13, 0x00, 0x10}, cryptogram);
    chaining_ = cmac(s_mac_, cat(chaining_, apdu));
    counter_ = 1;
    return tx(card_, cat(apdu, first(chaining_, 8)));
  }
  // The whole opening; asserts success.
  void open() {
    const Bytes iu = initialize_update();
    ASSERT_EQ(sw(iu), 0x9000);
    ASSERT_TRUE(derive_keys(iu));
    ASSERT_EQ(external_authenticate(host_cryptogram()), hex("9000"));
  }

  // Wraps a command: C-DECRYPTION of the padded data with the counter ICV, then C-MAC.
  // `pad` false: the data goes in unpadded (it must be a multiple of 16: bad padding tests).
  Bytes wrap(uint8_t ins, uint8_t p1, uint8_t p2, const Bytes& plain, bool pad = true) {
    Bytes enc;
    if (!plain.empty()) {
      Bytes padded = plain;
      if (pad) {
        padded.push_back(0x80);
        while (padded.size() % 16 != 0) {
          padded.push_back(0x00);
        }
      }
      Bytes block(16, 0);
      for (int i = 0; i < 8; ++i) {
        block[15 - static_cast<size_t>(i)] = static_cast<uint8_t>(counter_ >> (8 * i));
      }
      const Bytes icv = aes(EVP_aes_128_ecb(), s_enc_, {}, block);
      enc = aes(EVP_aes_128_cbc(), s_enc_, icv, padded);
    }
    ++counter_;
    const Bytes apdu = cat(Bytes{0x84, ins, p1, p2, static_cast<uint8_t>(enc.size() + 8)}, enc);
    chaining_ = cmac(s_mac_, cat(chaining_, apdu));
    return cat(apdu, first(chaining_, 8));
  }
  // The R-MAC the card must have appended to `response` (data || R-MAC || SW).
  bool rmac_ok(const Bytes& response) const {
    if (response.size() < 10) {
      return false;
    }
    const Bytes body(response.begin(), response.end() - 10);
    const Bytes mac(response.end() - 10, response.end() - 2);
    const Bytes sw_bytes(response.end() - 2, response.end());
    return first(cmac(s_rmac_, cat(cat(chaining_, body), sw_bytes)), 8) == mac;
  }
  // Sends a wrapped command and checks the answer: 9000 and warnings with their R-MAC, an error
  // status alone (GP Amendment D §6.2.5); returns the SW.
  uint16_t send(uint8_t ins, uint8_t p1, uint8_t p2, const Bytes& plain) {
    const Bytes r = tx(card_, wrap(ins, p1, p2, plain));
    const uint16_t status = sw(r);
    const auto sw1 = static_cast<uint8_t>(status >> 8);
    if (status == 0x9000 || sw1 == 0x62 || sw1 == 0x63) {
      EXPECT_TRUE(rmac_ok(r)) << base::to_hex(r);
    } else {
      EXPECT_EQ(r.size(), 2u) << "an error status carries no R-MAC: " << base::to_hex(r);
    }
    return status;
  }

  // SELECT EF, then UPDATE BINARY in 200-byte chunks of `content` padded with FF to `size`.
  void write_ef(uint16_t fid, const Bytes& content, size_t size) {
    ASSERT_EQ(send(0xA4, 0x02, 0x0C, {static_cast<uint8_t>(fid >> 8), static_cast<uint8_t>(fid)}),
              0x9000);
    Bytes all = content;
    all.resize(size, 0xFF);
    for (size_t off = 0; off < size; off += 200) {
      const size_t n = std::min<size_t>(200, size - off);
      const Bytes chunk(all.begin() + static_cast<std::ptrdiff_t>(off),
                        all.begin() + static_cast<std::ptrdiff_t>(off + n));
      ASSERT_EQ(send(0xD6, static_cast<uint8_t>(off >> 8), static_cast<uint8_t>(off), chunk),
                0x9000)
          << fid << " at " << off;
    }
  }

 private:
  devices::sim::VirtualCard& card_;
  Keys keys_;
  Bytes host_challenge_, context_, s_enc_, s_mac_, s_rmac_, chaining_;
  uint64_t counter_ = 0;
};

Bytes install_data() {
  const Bytes pkg(la::kAid.begin(), la::kAid.begin() + 6);
  Bytes d = cat(Bytes{0x06}, pkg);
  d = cat(d, cat(Bytes{0x06}, pkg));
  d = cat(d, cat(Bytes{0x10}, Bytes(la::kAid.begin(), la::kAid.end())));
  return cat(d, Bytes{0x01, 0x00, 0x02, 0xC9, 0x00, 0x00});
}

Bytes delete_data() {
  return cat(Bytes{0x4F, 0x10}, Bytes(la::kAid.begin(), la::kAid.end()));
}

}  // namespace host
// ============================================================================================
// END OF TEST DOUBLE
// ============================================================================================

const devices::sim::Date kToday{2026, 11, 26};

devices::sim::Person person(const std::string& id) {
  return devices::sim::load_person(fixture(id), kToday);
}

CardEngine make_card(const std::string& id) {
  devices::sim::PkiCache pki(pki_cache());
  return CardEngine(devices::sim::make_mynumber_card(person(id), pki));
}

Bytes isd() {
  return Bytes(prof::kIsdAid.begin(), prof::kIsdAid.end());
}
Bytes ap() {
  return Bytes(la::kAid.begin(), la::kAid.end());
}

// What an issuer writes: yamada-taro's record, photo and signature (any valid record will do).
struct Record {
  Bytes wef02, wef03, wef04;
};
Record record() {
  devices::sim::PkiCache pki(pki_cache());
  const auto p = person("yamada-taro");
  Record r;
  r.wef02 = devices::sim::license_ap_wef02(*p.license_ap);
  r.wef04 = devices::sim::license_ap_wef04(p);
  r.wef03 =
      devices::sim::license_ap_wef03(r.wef02, r.wef04, devices::sim::make_license_authority(pki));
  return r;
}

// Reads a whole EF with plain commands (it is selected first).
Bytes read_ef(devices::sim::VirtualCard& card, uint16_t fid) {
  EXPECT_EQ(sw(tx(card, select_ef(fid))), 0x9000);
  return read_all(card);
}

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("mk-issuer-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(Scp03Primitives, AesCmacKnownAnswer) {  // RFC 4493 example 1 and 2
  const Bytes key = hex("2B7E151628AED2A6ABF7158809CF4F3C");
  EXPECT_EQ(devices::sim::scp03::aes_cmac(key, Bytes{}), hex("BB1D6929E95937287FA37D129B756746"));
  EXPECT_EQ(devices::sim::scp03::aes_cmac(key, hex("6BC1BEE22E409F96E93D7E117393172A")),
            hex("070A16B46B4D4144F79BDD9DD04A287C"));
}

TEST(IssuerMasterKeys, FileIsPrivateAndStable) {
  devices::sim::PkiCache pki(pki_cache());
  const auto a = devices::sim::load_or_create_issuer_master_keys(pki);
  const auto b = devices::sim::load_or_create_issuer_master_keys(pki);
  EXPECT_EQ(a.enc.size(), 16u);
  EXPECT_EQ(a.enc, b.enc);
  EXPECT_EQ(a.mac, b.mac);
  EXPECT_EQ(a.dek, b.dek);
  EXPECT_NE(a.enc, a.mac);
  struct stat st {};
  ASSERT_EQ(::stat((pki_cache() / "issuer-master-keys.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(pki_cache() / "issuer-master-keys.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(base::from_hex_dump(j.at("enc").get<std::string>()), a.enc);
  EXPECT_EQ(base::from_hex_dump(j.at("dek").get<std::string>()), a.dek);
}

TEST(IssuerChannel, InitializeUpdateAnswerAndCardCryptogram) {
  CardEngine card = make_card("yamada-taro");
  ASSERT_EQ(sw(tx(card, select_aid(isd()))), 0x9000);
  host::Session s(card, "yamada-taro");
  const Bytes a = s.initialize_update();
  ASSERT_EQ(a.size(), 29u + 2u);
  EXPECT_EQ(sw(a), 0x9000);
  EXPECT_EQ(Bytes(a.begin(), a.begin() + 10), host::div_data("yamada-taro"));
  EXPECT_EQ(Bytes(a.begin(), a.begin() + 2), ascii("MK"));
  EXPECT_EQ(Bytes(a.begin() + 10, a.begin() + 13), hex("300320"));
  EXPECT_TRUE(s.derive_keys(a));
  // The card challenge is random.
  const Bytes again = s.initialize_update();
  EXPECT_NE(Bytes(again.begin() + 13, again.begin() + 21), Bytes(a.begin() + 13, a.begin() + 21));
  // Another card has other div data and other keys.
  CardEngine other = make_card("suzuki-hanako");
  ASSERT_EQ(sw(tx(other, select_aid(isd()))), 0x9000);
  host::Session wrong(other, "yamada-taro");
  const Bytes b = wrong.initialize_update();
  EXPECT_EQ(Bytes(b.begin(), b.begin() + 10), host::div_data("suzuki-hanako"));
  EXPECT_FALSE(wrong.derive_keys(b));
  // Key version 31 does not exist; wrong lengths.
  EXPECT_EQ(sw_of(card, "8050310008010203040506070800"), 0x6A88);
  EXPECT_EQ(sw_of(card, "80503000040102030400"), 0x6700);
}

TEST(IssuerChannel, WrongHostCryptogramOrMacClosesTheChannel) {
  CardEngine card = make_card("suzuki-hanako");
  ASSERT_EQ(sw(tx(card, select_aid(isd()))), 0x9000);
  host::Session s(card, "suzuki-hanako");
  ASSERT_TRUE(s.derive_keys(s.initialize_update()));
  Bytes bad = s.host_cryptogram();
  bad[0] ^= 0x01;
  EXPECT_EQ(s.external_authenticate(bad), hex("6982"));
  // The channel is closed: the right cryptogram now fails too, and so does INSTALL.
  EXPECT_EQ(s.external_authenticate(s.host_cryptogram()), hex("6982"));
  EXPECT_EQ(sw(tx(card, s.wrap(0xE6, 0x0C, 0x00, host::install_data()))), 0x6982);
  // EXTERNAL AUTHENTICATE with a wrong C-MAC.
  ASSERT_TRUE(s.derive_keys(s.initialize_update()));
  Bytes ea = hex("8482130010");
  ea = host::cat(host::cat(ea, s.host_cryptogram()), Bytes(8, 0x00));
  EXPECT_EQ(tx(card, ea), hex("6982"));
  // Nothing was installed.
  EXPECT_EQ(sw(tx(card, select_aid(ap()))), 0x6A82);
}

TEST(IssuerChannel, OutsideAChannelIssuerCommandsAre6982) {
  CardEngine card = make_card("yamada-taro");
  ASSERT_EQ(sw(tx(card, select_aid(isd()))), 0x9000);
  EXPECT_EQ(sw_of(card, "84E60C0008000102030405060708"), 0x6982);
  EXPECT_EQ(sw_of(card, "84E4000008000102030405060708"), 0x6982);
  EXPECT_EQ(sw_of(card, "8482130010000102030405060708090A0B0C0D0E0F"), 0x6982);
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  EXPECT_EQ(sw_of(card, "84D6000004AABBCCDD"), 0x6982);
  EXPECT_EQ(sw_of(card, "84240186083132333431323334"), 0x6982);
  EXPECT_EQ(sw_of(card, "842C0286083132333431323334"), 0x6982);
  EXPECT_EQ(sw_of(card, "84A4020C021234"), 0x6982);
  // INITIALIZE UPDATE is for the ISD and the 免許AP only.
  ASSERT_EQ(sw(tx(card, select_aid(prof::kJpkiAid))), 0x9000);
  EXPECT_EQ(sw_of(card, "8050300008010203040506070800"), 0x6D00);
}

// The write procedure of docs/issuer-channel.md on a card without a 免許AP, then the plain read.
TEST(IssuerChannel, InstallWriteAndReadBackWithThePlainCommands) {
  CardEngine card = make_card("suzuki-hanako");
  EXPECT_EQ(sw(tx(card, select_aid(ap()))), 0x6A82);
  ASSERT_EQ(sw(tx(card, select_aid(isd()))), 0x9000);
  host::Session isd_session(card, "suzuki-hanako");
  isd_session.open();
  ASSERT_EQ(isd_session.send(0xE6, 0x0C, 0x00, host::install_data()), 0x9000);
  EXPECT_EQ(isd_session.send(0xE6, 0x0C, 0x00, host::install_data()), 0x6985);

  // The new, empty instance.
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  Bytes wef01 = read_ef(card, la::kWef01);
  ASSERT_EQ(wef01.size(), 32u);
  EXPECT_EQ(host::first(wef01, 6), hex("C10100C20100"));
  EXPECT_EQ(Bytes(wef01.begin() + 6, wef01.end()), Bytes(26, 0xFF));
  EXPECT_EQ(read_ef(card, la::kWef03), Bytes(2048, 0xFF));
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, ""))), 0x63CA);
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, "1234"))), 0x6A88);  // no PIN yet
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, ""))), 0x63CA);

  const Record rec = record();
  host::Session s(card, "suzuki-hanako");
  s.open();
  s.write_ef(la::kWef01, hex("C10100C20101"), 6);
  s.write_ef(la::kWef02, rec.wef02, 1024);
  s.write_ef(la::kWef04, rec.wef04, 4608);
  s.write_ef(la::kWef03, rec.wef03, 2048);
  // Refusals inside the channel: the bare status word, no R-MAC (GP Amendment D §6.2.5).
  EXPECT_EQ(s.send(0xD6, 0x07, 0xF9, Bytes(8, 0x00)), 0x6B00);    // past the end of WEF03
  EXPECT_EQ(s.send(0xD6, 0x00, 0x00, Bytes(201, 0x00)), 0x6700);  // more than 200 bytes
  EXPECT_EQ(s.send(0x24, 0x01, 0x86, ascii("12a4")), 0x6A80);     // not 4 digits
  EXPECT_EQ(s.send(0x24, 0x01, 0x86, ascii("12345")), 0x6A80);    // not 4 digits
  EXPECT_EQ(s.send(0xCA, 0x00, 0x66, {}), 0x6D00);                // unknown INS
  ASSERT_EQ(s.send(0x24, 0x01, 0x86, ascii("5678")), 0x9000);
  s.write_ef(la::kWef01, hex("C10101C20102"), 6);

  // A plain SELECT ends the channel; the 免許AP reads as today.
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  EXPECT_EQ(sw(tx(card, s.wrap(0xA4, 0x02, 0x0C, {0x00, 0x1B}))), 0x6982);
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(la::kWef01))), 0x9000);
  EXPECT_EQ(tx(card, "00B0000006"), hex("C10101C201029000"));
  ASSERT_EQ(sw(tx(card, select_ef(la::kWef02))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000004"), 0x6982);  // PIN first
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, "0000"))), 0x63C9);
  ASSERT_EQ(sw(tx(card, verify(la::kPinP2, "5678"))), 0x9000);
  Bytes want02 = rec.wef02;
  want02.resize(1024, 0xFF);
  Bytes want03 = rec.wef03;
  want03.resize(2048, 0xFF);
  Bytes want04 = rec.wef04;
  want04.resize(4608, 0xFF);
  EXPECT_EQ(read_ef(card, la::kWef02), want02);
  EXPECT_EQ(read_ef(card, la::kWef04), want04);
  EXPECT_EQ(read_ef(card, la::kWef03), want03);
}

TEST(IssuerChannel, ReplayedOrAlteredCommandsChangeNothing) {
  CardEngine card = make_card("tanaka-jiro");  // fixture 免許AP, record state 01
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  const Bytes before = read_ef(card, la::kWef01);
  host::Session s(card, "tanaka-jiro");
  s.open();
  ASSERT_EQ(s.send(0xA4, 0x02, 0x0C, {0x00, 0x1A}), 0x9000);
  const Bytes write = s.wrap(0xD6, 0x00, 0x00, hex("C10101C20102"));
  const Bytes first_answer = tx(card, write);
  ASSERT_EQ(sw(first_answer), 0x9000);
  ASSERT_TRUE(s.rmac_ok(first_answer));
  // Replayed: refused without an R-MAC, the channel is closed.
  EXPECT_EQ(tx(card, write), hex("6982"));
  EXPECT_EQ(sw(tx(card, s.wrap(0xD6, 0x00, 0x00, hex("C10101C20101")))), 0x6982);
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  const Bytes after_first = read_ef(card, la::kWef01);
  EXPECT_EQ(host::first(after_first, 6), hex("C10101C20102"));  // only the first one counted

  // One flipped byte anywhere (header, data, MAC) is refused and changes nothing.
  for (size_t at : {size_t{3}, size_t{6}, size_t{20}, size_t{28}}) {
    host::Session t(card, "tanaka-jiro");
    t.open();
    ASSERT_EQ(t.send(0xA4, 0x02, 0x0C, {0x00, 0x1A}), 0x9000);
    Bytes altered = t.wrap(0xD6, 0x00, 0x00, hex("C10100C20100"));
    ASSERT_LT(at, altered.size());
    altered[at] ^= 0x01;
    EXPECT_EQ(tx(card, altered), hex("6982")) << at;
    ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
    EXPECT_EQ(read_ef(card, la::kWef01), after_first) << at;
  }
  // A PIN change that is altered does not change the PIN.
  host::Session u(card, "tanaka-jiro");
  u.open();
  Bytes pin_change = u.wrap(0x24, 0x01, 0x86, ascii("9999"));
  pin_change[7] ^= 0x80;
  EXPECT_EQ(tx(card, pin_change), hex("6982"));
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, "9999"))), 0x63C9);
  EXPECT_NE(before, after_first);
}

TEST(IssuerChannel, BadPaddingIs6982) {
  CardEngine card = make_card("tanaka-jiro");
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  host::Session s(card, "tanaka-jiro");
  s.open();
  ASSERT_EQ(s.send(0xA4, 0x02, 0x0C, {0x00, 0x1A}), 0x9000);
  // 16 bytes of data with no 80: a right C-MAC, wrong padding.
  EXPECT_EQ(tx(card, s.wrap(0xD6, 0x00, 0x00, Bytes(16, 0x41), false)), hex("6982"));
  Bytes full_block_of_zeros(16, 0x41);
  full_block_of_zeros.push_back(0x80);
  full_block_of_zeros.resize(48, 0x00);  // 31 bytes of padding
  host::Session t(card, "tanaka-jiro");
  t.open();
  ASSERT_EQ(t.send(0xA4, 0x02, 0x0C, {0x00, 0x1A}), 0x9000);
  EXPECT_EQ(tx(card, t.wrap(0xD6, 0x00, 0x00, full_block_of_zeros, false)), hex("6982"));
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  EXPECT_EQ(host::first(read_ef(card, la::kWef01), 6), hex("C10101C20101"));
}

TEST(IssuerChannel, ResetRetryCounterUnblocks) {
  CardEngine card = make_card("sato-ichiro");  // license PIN blocked
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, "8642"))), 0x6984);
  host::Session s(card, "sato-ichiro");
  s.open();
  EXPECT_EQ(s.send(0x2C, 0x01, 0x86, ascii("2468")), 0x6A86);  // P1 02 only
  ASSERT_EQ(s.send(0x2C, 0x02, 0x86, ascii("2468")), 0x9000);
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, ""))), 0x63CA);
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, "8642"))), 0x63C9);
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, "2468"))), 0x9000);
}

TEST(IssuerChannel, DeleteRemovesTheInstance) {
  CardEngine card = make_card("yamada-taro");
  ASSERT_EQ(sw(tx(card, select_aid(isd()))), 0x9000);
  host::Session s(card, "yamada-taro");
  s.open();
  EXPECT_EQ(s.send(0xE4, 0x00, 0x00, host::cat(hex("4F07"), isd())), 0x6A88);
  ASSERT_EQ(s.send(0xE4, 0x00, 0x00, host::delete_data()), 0x9000);
  EXPECT_EQ(s.send(0xE4, 0x00, 0x00, host::delete_data()), 0x6A88);
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x6A82);
  EXPECT_FALSE(card.pin_state(devices::sim::pin_id::kLicenseAp).has_value());
  // Installed again: empty, the fixture's data is gone.
  ASSERT_EQ(sw(tx(card, select_aid(isd()))), 0x9000);
  s.open();
  ASSERT_EQ(s.send(0xE6, 0x0C, 0x00, host::install_data()), 0x9000);
  ASSERT_EQ(sw(tx(card, select_aid(ap()))), 0x9000);
  EXPECT_EQ(host::first(read_ef(card, la::kWef01), 6), hex("C10100C20100"));
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, "4321"))), 0x6A88);
}

TEST(IssuerChannel, WritesPersistAcrossCardObjects) {
  const auto dir = temp_dir("persist");
  devices::sim::SimOptions o;
  o.card = "mynumber";
  o.fixture = fixture("suzuki-hanako");
  o.pki_cache = pki_cache();
  o.state_file = dir / "card.json";
  const Record rec = record();
  {
    auto card = devices::sim::build_virtual_card(o);
    ASSERT_EQ(sw(tx(*card, select_aid(isd()))), 0x9000);
    host::Session i(*card, "suzuki-hanako");
    i.open();
    ASSERT_EQ(i.send(0xE6, 0x0C, 0x00, host::install_data()), 0x9000);
    ASSERT_EQ(sw(tx(*card, select_aid(ap()))), 0x9000);
    host::Session s(*card, "suzuki-hanako");
    s.open();
    s.write_ef(la::kWef01, hex("C10100C20101"), 6);
    ASSERT_EQ(s.send(0x24, 0x01, 0x86, ascii("1357")), 0x9000);
    ASSERT_EQ(s.send(0xA4, 0x02, 0x0C, {0x00, 0x1B}), 0x9000);
    ASSERT_EQ(s.send(0xD6, 0x00, 0x00, host::first(rec.wef02, 64)), 0x9000);
    // ... and the card is pulled here.
  }
  {
    auto card = devices::sim::build_virtual_card(o);
    ASSERT_EQ(sw(tx(*card, select_aid(ap()))), 0x9000);
    EXPECT_EQ(host::first(read_ef(*card, la::kWef01), 6), hex("C10100C20101"));
    EXPECT_EQ(sw(tx(*card, verify(la::kPinP2, "0000"))), 0x63C9);
    ASSERT_EQ(sw(tx(*card, verify(la::kPinP2, "1357"))), 0x9000);
    const Bytes wef02 = read_ef(*card, la::kWef02);
    ASSERT_EQ(wef02.size(), 1024u);
    EXPECT_EQ(host::first(wef02, 64), host::first(rec.wef02, 64));
    EXPECT_EQ(wef02[64], 0xFF);
    EXPECT_EQ(sw(tx(*card, verify(la::kPinP2, "0000"))), 0x63C9);
    // The next session resumes (the INSTALL is refused: the instance exists).
    ASSERT_EQ(sw(tx(*card, select_aid(isd()))), 0x9000);
    host::Session i(*card, "suzuki-hanako");
    i.open();
    EXPECT_EQ(i.send(0xE6, 0x0C, 0x00, host::install_data()), 0x6985);
    ASSERT_EQ(i.send(0xE4, 0x00, 0x00, host::delete_data()), 0x9000);
  }
  {
    std::ifstream in(o.state_file);
    const auto j = nlohmann::json::parse(in);
    EXPECT_EQ(j["license_ap"]["instance"], "deleted");
    EXPECT_TRUE(j["files"].empty());
    auto card = devices::sim::build_virtual_card(o);
    EXPECT_EQ(sw(tx(*card, select_aid(ap()))), 0x6A82);
  }
  std::filesystem::remove_all(dir);
}

TEST(IssuerChannel, TriesOfAWrittenPinPersist) {
  const auto dir = temp_dir("tries");
  devices::sim::SimOptions o;
  o.card = "mynumber";
  o.fixture = fixture("yamada-taro");
  o.pki_cache = pki_cache();
  o.state_file = dir / "card.json";
  {
    auto card = devices::sim::build_virtual_card(o);
    ASSERT_EQ(sw(tx(*card, select_aid(ap()))), 0x9000);
    host::Session s(*card, "yamada-taro");
    s.open();
    ASSERT_EQ(s.send(0x24, 0x01, 0x86, ascii("8080")), 0x9000);
    ASSERT_EQ(sw(tx(*card, select_aid(ap()))), 0x9000);
    EXPECT_EQ(sw(tx(*card, verify(la::kPinP2, "4321"))), 0x63C9);
  }
  std::ifstream in(o.state_file);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["pin_values"]["license_ap"], "8080");
  EXPECT_EQ(j["pins"]["license_ap"], 9);
  EXPECT_EQ(j["license_ap"]["record_state"], 2);
  auto card = devices::sim::build_virtual_card(o);
  ASSERT_EQ(sw(tx(*card, select_aid(ap()))), 0x9000);
  EXPECT_EQ(sw(tx(*card, verify(la::kPinP2, ""))), 0x63C9);
  EXPECT_EQ(sw(tx(*card, verify(la::kPinP2, "8080"))), 0x9000);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mk::test
