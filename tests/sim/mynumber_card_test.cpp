// The virtual My Number card built from the fixtures: JPKI (certificates, PINs, signatures that
// verify with OpenSSL), 券面事項入力補助 (basic 4 info layout, the My Number EF behind its PIN)
// and the 免許AP of profile v1 (data, PIN, signature chain).

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "devices/profile/card_profile.hpp"
#include "devices/sim/cards.hpp"
#include "tests/sim/sim_support.hpp"

namespace mk::test {
namespace {

namespace prof = devices::profile;
using devices::sim::CardEngine;

CardEngine make_card(const std::string& id) {
  devices::sim::PkiCache pki(pki_cache());
  const auto person = devices::sim::load_person(fixture(id), devices::sim::Date{2026, 11, 26});
  return CardEngine(devices::sim::make_mynumber_card(person, pki));
}

devices::sim::X509Ptr cert_of(const Bytes& der) {
  return devices::sim::x509_from_der(der);
}

// Reads a certificate EF the way clients do: 4 header bytes first, then the whole DER.
Bytes read_cert(CardEngine& card, uint16_t fid) {
  EXPECT_EQ(sw(tx(card, select_ef(fid))), 0x9000);
  const Bytes head = data(tx(card, "00B0000004"));
  if (head.size() != 4 || head[0] != 0x30 || head[1] != 0x82) {
    return {};
  }
  const size_t len = (static_cast<size_t>(head[2]) << 8 | head[3]) + 4;
  Bytes der = read_all(card);
  der.resize(len);
  return der;
}

bool verify_sha256(X509* cert, const Bytes& message, const Bytes& signature) {
  EVP_PKEY* pub = X509_get0_pubkey(cert);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pub) == 1 &&
                  EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(),
                                   message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

bool chains_to(X509* leaf, const std::string& ca_pem_file) {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_load_file(store, (pki_cache() / ca_pem_file).c_str());
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf, nullptr);
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), 1'790'000'000);  // 2026-09
  const bool ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return ok;
}

Bytes digest_info_sha256(const Bytes& message) {
  Bytes di = hex("3031300D060960864801650304020105000420");
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(message.data(), message.size(), md);
  di.insert(di.end(), md, md + sizeof md);
  return di;
}

Bytes sign_apdu(uint8_t p2, const Bytes& digest_info) {
  Bytes a = {0x80, 0x2A, 0x00, p2, static_cast<uint8_t>(digest_info.size())};
  a.insert(a.end(), digest_info.begin(), digest_info.end());
  a.push_back(0x00);
  return a;
}

class MyNumberCardTest : public ::testing::Test {
 protected:
  CardEngine card = make_card("yamada-taro");
  void select(std::span<const uint8_t> aid) { ASSERT_EQ(sw(tx(card, select_aid(aid))), 0x9000); }
};

TEST_F(MyNumberCardTest, AtrAndApplications) {
  EXPECT_EQ(card.atr(), Bytes(prof::kMyNumberAtr.begin(), prof::kMyNumberAtr.end()));
  EXPECT_EQ(sw(tx(card, select_aid(prof::kJpkiAid))), 0x9000);
  EXPECT_EQ(sw(tx(card, select_aid(prof::kBasic4Aid))), 0x9000);
  EXPECT_EQ(sw(tx(card, select_aid(prof::kFaceCheckAid))), 0x9000);
  EXPECT_EQ(sw(tx(card, select_aid(prof::license_ap::kAid))), 0x9000);
  EXPECT_EQ(sw(tx(card, select_aid(prof::kIsdAid))), 0x9000);
  // Some of the AIDs OpenSC probes before it matches JPKI.
  for (const char* aid : {"A000000063504B43532D3135", "E828BD080FA000000167455349474E",
                          "A0000000030000", "D2760001240102", "A000000308000010000100"}) {
    EXPECT_EQ(sw(tx(card, concat(hex("00A4040C"),
                                 concat(Bytes{static_cast<uint8_t>(hex(aid).size())}, hex(aid))))),
              0x6A82)
        << aid;
  }
}

TEST_F(MyNumberCardTest, JpkiFilesAndTokenInfo) {
  select(prof::kJpkiAid);
  ASSERT_EQ(sw(tx(card, select_ef(prof::jpki::kTokenInfo))), 0x9000);
  const Bytes token = read_all(card);
  ASSERT_EQ(token.size(), 160U);
  EXPECT_EQ(std::string(token.begin(), token.begin() + 15), "JPKIAPICCTOKEN2");
  EXPECT_EQ(token[15], ' ');
  EXPECT_EQ(token[159], ' ');

  const Bytes auth = read_cert(card, prof::jpki::kAuthCert);
  const Bytes auth_ca = read_cert(card, prof::jpki::kAuthCaCert);
  const Bytes sign_ca = read_cert(card, prof::jpki::kSignCaCert);
  ASSERT_FALSE(auth.empty());
  auto auth_cert = cert_of(auth);
  auto ca = cert_of(auth_ca);
  EXPECT_EQ(X509_check_issued(ca.get(), auth_cert.get()), X509_V_OK);
  EXPECT_TRUE(chains_to(auth_cert.get(), "jpki-auth-ca.pem"));
  char buf[256];
  X509_NAME_oneline(X509_get_subject_name(cert_of(sign_ca).get()), buf, sizeof buf);
  EXPECT_NE(std::string(buf).find("O=JPKI-TEST/OU=JPKI for digital signature"), std::string::npos)
      << buf;
  // The sign certificate needs the sign PIN.
  ASSERT_EQ(sw(tx(card, select_ef(prof::jpki::kSignCert))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000004"), 0x6982);
  EXPECT_EQ(sw(tx(card, verify(0x9B, "YAMADA2025"))), 0x9000);
  EXPECT_FALSE(read_cert(card, prof::jpki::kSignCert).empty());
}

TEST_F(MyNumberCardTest, SignCertificateCarriesTheFourInfo) {
  select(prof::kJpkiAid);
  ASSERT_EQ(sw(tx(card, verify(0x9B, "YAMADA2025"))), 0x9000);
  const auto cert = cert_of(read_cert(card, prof::jpki::kSignCert));
  EXPECT_TRUE(chains_to(cert.get(), "jpki-sign-ca.pem"));
  char buf[512];
  X509_NAME_oneline(X509_get_subject_name(cert.get()), buf, sizeof buf);
  EXPECT_NE(std::string(buf).find("L=Tokyo/L=Chiyoda-ku"), std::string::npos) << buf;
  EXPECT_EQ(X509_get_key_usage(cert.get()),
            static_cast<uint32_t>(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION));
  // notBefore is the fixture's day.
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notBefore(cert.get()), 1'742'774'400), 0);  // 2025-03-24
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
  ASSERT_NE(names, nullptr);
  std::map<std::string, std::string> info;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
    ASSERT_EQ(g->type, GEN_OTHERNAME);
    char oid[64];
    OBJ_obj2txt(oid, sizeof oid, g->d.otherName->type_id, 1);
    ASSERT_EQ(g->d.otherName->value->type, V_ASN1_UTF8STRING);
    const ASN1_UTF8STRING* s = g->d.otherName->value->value.utf8string;
    info[oid] = std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                            static_cast<size_t>(ASN1_STRING_length(s)));
  }
  GENERAL_NAMES_free(names);
  EXPECT_EQ(info["1.2.392.200149.8.5.5.1"], "山田\u3000太郎");
  EXPECT_EQ(info["1.2.392.200149.8.5.5.4"], "19850412");
  EXPECT_EQ(info["1.2.392.200149.8.5.5.3"], "1");
  EXPECT_EQ(info["1.2.392.200149.8.5.5.5"], "東京都千代田区霞が関二丁目１番２号");
}

TEST_F(MyNumberCardTest, AuthSignatureVerifiesWithTheCertificate) {
  select(prof::kJpkiAid);
  const Bytes message = {'h', 'e', 'l', 'l', 'o'};
  const Bytes di = digest_info_sha256(message);
  ASSERT_EQ(sw(tx(card, select_ef(prof::jpki::kAuthKey))), 0x9000);
  EXPECT_EQ(sw(tx(card, sign_apdu(0x80, di))), 0x6982);  // no PIN yet
  ASSERT_EQ(sw(tx(card, verify(0x98, "1234"))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(prof::jpki::kAuthKey))), 0x9000);
  const Bytes r = tx(card, sign_apdu(0x80, di));
  ASSERT_EQ(sw(r), 0x9000);
  ASSERT_EQ(data(r).size(), 256U);
  const auto cert = cert_of(read_cert(card, prof::jpki::kAuthCert));
  EXPECT_TRUE(verify_sha256(cert.get(), message, data(r)));
  // P2 = 97 without SELECT gives the same (deterministic) signature.
  EXPECT_EQ(tx(card, sign_apdu(prof::jpki::kAuthKeyP2, di)), r);
  // The sign key needs the sign PIN, not the auth PIN.
  EXPECT_EQ(sw(tx(card, sign_apdu(prof::jpki::kSignKeyP2, di))), 0x6982);
}

TEST_F(MyNumberCardTest, SignKeySignature) {
  select(prof::kJpkiAid);
  ASSERT_EQ(sw(tx(card, verify(0x9B, "YAMADA2025"))), 0x9000);
  const Bytes message = {'d', 'o', 'c'};
  const Bytes r = tx(card, sign_apdu(prof::jpki::kSignKeyP2, digest_info_sha256(message)));
  ASSERT_EQ(sw(r), 0x9000);
  const auto cert = cert_of(read_cert(card, prof::jpki::kSignCert));
  EXPECT_TRUE(verify_sha256(cert.get(), message, data(r)));
}

TEST_F(MyNumberCardTest, JpkiPinsBlockAt3And5) {
  select(prof::kJpkiAid);
  EXPECT_EQ(sw(tx(card, verify(0x98, ""))), 0x63C3);
  EXPECT_EQ(sw(tx(card, verify(0x98, "0000"))), 0x63C2);
  EXPECT_EQ(sw(tx(card, verify(0x98, "0000"))), 0x63C1);
  EXPECT_EQ(sw(tx(card, verify(0x98, "0000"))), 0x63C0);
  EXPECT_EQ(sw(tx(card, verify(0x98, "1234"))), 0x6984);
  ASSERT_EQ(sw(tx(card, select_ef(prof::jpki::kSignPin))), 0x9000);
  EXPECT_EQ(sw(tx(card, verify(0x80, ""))), 0x63C5);
  for (int left = 4; left >= 0; --left) {
    EXPECT_EQ(sw(tx(card, verify(0x80, "WRONG1"))), 0x63C0 | left);
  }
  EXPECT_EQ(sw(tx(card, verify(0x80, "YAMADA2025"))), 0x6984);
}

TEST_F(MyNumberCardTest, Basic4InfoLayout) {
  select(prof::kBasic4Aid);
  ASSERT_EQ(sw(tx(card, select_ef(prof::basic4::kBasic4))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000004"), 0x6982);
  ASSERT_EQ(sw(tx(card, verify(0x91, "1234"))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(prof::basic4::kBasic4))), 0x9000);
  const Bytes ef = read_all(card);
  ASSERT_GT(ef.size(), 16U);
  ASSERT_EQ(ef[0], 0xFF);
  ASSERT_EQ(ef[1], 0x20);
  size_t at = 2;
  const size_t len = ber_length(ef, at);
  const size_t end = at + len;
  EXPECT_EQ(ef[end], 0xFF);  // padding after the template
  std::map<uint16_t, std::pair<size_t, std::string>> fields;
  while (at < end) {
    const size_t start = at;
    const auto tag = static_cast<uint16_t>(ef[at] << 8 | ef[at + 1]);
    at += 2;
    const size_t n = ber_length(ef, at);
    fields[tag] = {start, std::string(ef.begin() + static_cast<std::ptrdiff_t>(at),
                                      ef.begin() + static_cast<std::ptrdiff_t>(at + n))};
    at += n;
  }
  EXPECT_EQ(at, end);
  EXPECT_EQ(fields[0xDF22].second, "山田\u3000太郎");
  EXPECT_EQ(fields[0xDF23].second, "東京都千代田区霞が関二丁目１番２号");
  EXPECT_EQ(fields[0xDF24].second, "19850412");
  EXPECT_EQ(fields[0xDF25].second, "1");
  // DF21: the offsets of DF22..DF25 from the start of the EF, 2 bytes each.
  const std::string& off = fields[0xDF21].second;
  ASSERT_EQ(off.size(), 8U);
  uint16_t tag = 0xDF22;
  for (size_t i = 0; i < 4; ++i, ++tag) {
    const size_t o = static_cast<size_t>(static_cast<uint8_t>(off[2 * i])) << 8 |
                     static_cast<uint8_t>(off[2 * i + 1]);
    EXPECT_EQ(o, fields[tag].first) << std::hex << tag;
  }
}

TEST_F(MyNumberCardTest, MyNumberEfOnlyWithThePin) {
  select(prof::kBasic4Aid);
  ASSERT_EQ(sw(tx(card, select_ef(prof::basic4::kMyNumber))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000011"), 0x6982);
  ASSERT_EQ(sw(tx(card, verify(0x91, "1234"))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(prof::basic4::kMyNumber))), 0x9000);
  const Bytes r = data(tx(card, "00B000000F"));
  EXPECT_EQ(std::string(r.begin() + 3, r.end()), "123456789018");
  // The log shows the EF was touched: a kiosk test can assert the opposite.
  const Bytes aid(prof::kBasic4Aid.begin(), prof::kBasic4Aid.end());
  EXPECT_TRUE(card.touched(aid, prof::basic4::kMyNumber));
  CardEngine fresh = make_card("yamada-taro");
  ASSERT_EQ(sw(tx(fresh, select_aid(prof::kBasic4Aid))), 0x9000);
  ASSERT_EQ(sw(tx(fresh, select_ef(prof::basic4::kBasic4))), 0x9000);
  EXPECT_FALSE(fresh.touched(aid, prof::basic4::kMyNumber));
}

TEST_F(MyNumberCardTest, LicenseApRecordAndPin) {
  namespace la = prof::license_ap;
  select(la::kAid);
  ASSERT_EQ(sw(tx(card, select_ef(la::kWef01))), 0x9000);
  EXPECT_EQ(tx(card, "00B0000006"), hex("C10101C201029000"));
  ASSERT_EQ(sw(tx(card, select_ef(la::kWef02))), 0x9000);
  EXPECT_EQ(sw_of(card, "00B0000004"), 0x6982);
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, ""))), 0x63CA);
  ASSERT_EQ(sw(tx(card, verify(la::kPinP2, "4321"))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(la::kWef02))), 0x9000);
  const Bytes wef02 = read_all(card);
  const size_t n = tlv_prefix_length(wef02, 1);
  // C0 "001", C1 "1", C2 number, C3 recording date (令和7年3月24日), C4 優良 in JIS X 0208.
  EXPECT_EQ(Bytes(wef02.begin(), wef02.begin() + 10), hex("C003303031C10131C20C"));
  const std::string text(wef02.begin(), wef02.begin() + static_cast<std::ptrdiff_t>(n));
  EXPECT_NE(text.find("\xC3\x07"
                      "5070324"),
            std::string::npos);
  EXPECT_NE(text.find(std::string("\xC4\x04", 2) + "\x4D\x25\x4E\x49"), std::string::npos);  // 優良
  EXPECT_NE(text.find("\xC5\x07"
                      "5110512"),
            std::string::npos);  // 令和11年5月12日
  EXPECT_NE(text.find(std::string("\xE8\x12\x26\x07"
                                  "4170601\x29\x07"
                                  "4190820")),
            std::string::npos);  // 普通 H17.6.1, 普自二 H19.8.20
}

TEST_F(MyNumberCardTest, LicenseApSignatureChainsToTheAuthority) {
  namespace la = prof::license_ap;
  select(la::kAid);
  ASSERT_EQ(sw(tx(card, verify(la::kPinP2, "4321"))), 0x9000);
  ASSERT_EQ(sw(tx(card, select_ef(la::kWef02))), 0x9000);
  Bytes wef02 = read_all(card);
  wef02.resize(tlv_prefix_length(wef02, 1));
  ASSERT_EQ(sw(tx(card, select_ef(la::kWef04))), 0x9000);
  Bytes wef04 = read_all(card);
  ASSERT_EQ(wef04[0], 0x5F);
  ASSERT_EQ(wef04[1], 0x40);
  wef04.resize(tlv_prefix_length(wef04, 2));
  EXPECT_LE(wef04.size(), la::kMaxPhotoBytes);
  size_t at = 2;
  ber_length(wef04, at);
  EXPECT_EQ(wef04[at], 0xFF);  // J2K SOC marker FF4F
  EXPECT_EQ(wef04[at + 1], 0x4F);
  EXPECT_EQ(wef04[wef04.size() - 2], 0xFF);  // EOC FFD9
  EXPECT_EQ(wef04.back(), 0xD9);
  // WEF03 is free to read.
  CardEngine other = make_card("yamada-taro");
  ASSERT_EQ(sw(tx(other, select_aid(la::kAid))), 0x9000);
  ASSERT_EQ(sw(tx(other, select_ef(la::kWef03))), 0x9000);
  const Bytes wef03 = read_all(other);
  ASSERT_EQ(Bytes(wef03.begin(), wef03.begin() + 4), hex("B1820100"));
  const Bytes sig(wef03.begin() + 4, wef03.begin() + 260);
  ASSERT_EQ(wef03[260], la::kSignerCertTag);
  at = 261;
  const size_t cert_len = ber_length(wef03, at);
  const Bytes cert_der(wef03.begin() + static_cast<std::ptrdiff_t>(at),
                       wef03.begin() + static_cast<std::ptrdiff_t>(at + cert_len));
  const auto signer = cert_of(cert_der);
  EXPECT_TRUE(chains_to(signer.get(), "license-ca.pem"));
  EXPECT_FALSE(chains_to(signer.get(), "jpki-sign-ca.pem"));
  EXPECT_TRUE(verify_sha256(signer.get(), concat(wef02, wef04), sig));
  // Changing one byte breaks it.
  wef02[5] ^= 1;
  EXPECT_FALSE(verify_sha256(signer.get(), concat(wef02, wef04), sig));
}

TEST_F(MyNumberCardTest, LicensePinBlocksAfterTenTries) {
  namespace la = prof::license_ap;
  select(la::kAid);
  for (int left = 9; left >= 0; --left) {
    EXPECT_EQ(sw(tx(card, verify(la::kPinP2, "0000"))), 0x63C0 | left);
  }
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, "4321"))), 0x6984);
  EXPECT_EQ(sw(tx(card, verify(la::kPinP2, ""))), 0x63C0);
}

TEST_F(MyNumberCardTest, IssuerCommandsOutsideASecureChannel) {
  select(prof::license_ap::kAid);
  EXPECT_EQ(sw_of(card, "84D6000004AABBCCDD"), 0x6982);
  EXPECT_EQ(sw_of(card, "84240186083132333431323334"), 0x6982);
  EXPECT_EQ(sw_of(card, "842C0286083132333431323334"), 0x6982);
}

TEST(MyNumberCardFixtures, NoLicenseApMeansSelect6A82) {
  CardEngine card = make_card("suzuki-hanako");
  EXPECT_EQ(sw(tx(card, select_aid(prof::license_ap::kAid))), 0x6A82);
  EXPECT_EQ(sw(tx(card, select_aid(prof::kJpkiAid))), 0x9000);
}

TEST(MyNumberCardFixtures, BlockedLicensePin) {
  CardEngine card = make_card("sato-ichiro");
  ASSERT_EQ(sw(tx(card, select_aid(prof::license_ap::kAid))), 0x9000);
  EXPECT_EQ(sw(tx(card, verify(prof::license_ap::kPinP2, ""))), 0x63C0);
  EXPECT_EQ(sw(tx(card, verify(prof::license_ap::kPinP2, "8642"))), 0x6984);
}

TEST(MyNumberCardFixtures, RecordBeingWritten) {
  namespace la = prof::license_ap;
  CardEngine card = make_card("tanaka-jiro");
  ASSERT_EQ(sw(tx(card, select_aid(la::kAid))), 0x9000);
  EXPECT_EQ(tx(card, "00B09A0006"), hex("C10101C201019000"));  // SFI 1A
  EXPECT_EQ(tx(card, "00B09C0004"), hex("FFFFFFFF9000"));      // WEF03: no signature yet
}

TEST(MyNumberCardFixtures, CardsAreDeterministic) {
  CardEngine a = make_card("yamada-taro");
  CardEngine b = make_card("yamada-taro");
  for (CardEngine* c : {&a, &b}) {
    ASSERT_EQ(sw(tx(*c, select_aid(prof::kJpkiAid))), 0x9000);
  }
  EXPECT_EQ(read_cert(a, prof::jpki::kAuthCert), read_cert(b, prof::jpki::kAuthCert));
  EXPECT_EQ(read_cert(a, prof::jpki::kAuthCaCert), read_cert(b, prof::jpki::kAuthCaCert));
}

TEST(MyNumberCardFixtures, IssuedTodayCertificate) {
  devices::sim::PkiCache pki(pki_cache());
  const devices::sim::Date today{2026, 11, 26};
  const auto person = devices::sim::load_person(fixture("suzuki-hanako"), today);
  EXPECT_EQ(person.cert_not_before, today);
}

}  // namespace
}  // namespace mk::test
