// The centre's relying-party checks on a signed document (center/sim/relying_party.hpp), with
// the JPKI keys and certificates of devices/sim's test PKI.
#include "center/sim/relying_party.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/center/center_sim_support.hpp"

namespace mk::center::sim::testing {
namespace {

namespace fs = std::filesystem;

const Bytes kDocument = {'c', 'o', 'n', 's', 'e', 'n', 't'};

RelyingPartyOptions options(Clock::time_point now, bool same_day = true) {
  RelyingPartyOptions o;
  o.trusted_ca_pem = devices::sim::PkiCache::default_dir() / "jpki-sign-ca.pem";
  o.now = now;
  o.refuse_issued_today = same_day;
  return o;
}

ExpectedSigner signer(const std::string& id) {
  const auto p = person(id);
  return {p.family_name + " " + p.given_name, devices::sim::yyyymmdd(p.birth_date)};
}

std::string refusal(const std::string& id, const devices::sim::JpkiCredentials& creds,
                    const Bytes& document, const Bytes& signature, const RelyingPartyOptions& o) {
  try {
    (void)check_signed_document(document, signature, creds.sign.der, signer(id), o);
    return "accepted";
  } catch (const RelyingPartyError& e) {
    return e.code();
  }
}

TEST(RelyingParty, AValidSignatureIsAccepted) {
  const auto creds = jpki("yamada-taro");
  const Bytes sig = devices::sim::rsa_sign_sha256(creds.sign.key.get(), kDocument);
  EXPECT_EQ(refusal("yamada-taro", creds, kDocument, sig, options(pinned_now())), "accepted");
  EXPECT_EQ(check_signed_document(kDocument, sig, creds.sign.der, signer("yamada-taro"),
                                  options(pinned_now())),
            certificate_serial_hex(creds.sign.der));
}

TEST(RelyingParty, SuzukiHanakosCertificateIssuedTodayCannotStartOneStop) {
  const auto creds = jpki("suzuki-hanako");  // not_before = "today" (UTC) in her fixture
  const Bytes sig = devices::sim::rsa_sign_sha256(creds.sign.key.get(), kDocument);
  const auto cert = devices::sim::x509_from_der(creds.sign.der);
  std::tm tm{};
  ASSERT_EQ(ASN1_TIME_to_tm(X509_get0_notBefore(cert.get()), &tm), 1);
  const auto issued = Clock::from_time_t(timegm(&tm));
  const auto later_that_day = issued + std::chrono::hours(2);
  EXPECT_EQ(refusal("suzuki-hanako", creds, kDocument, sig, options(later_that_day)),
            "certificate_issued_today");
  EXPECT_EQ(refusal("suzuki-hanako", creds, kDocument, sig, options(later_that_day, false)),
            "accepted")
      << "the same-day rule is the one-stop start's only";
  EXPECT_EQ(
      refusal("suzuki-hanako", creds, kDocument, sig, options(issued + std::chrono::hours(24))),
      "accepted");
}

TEST(RelyingParty, RevokedExpiredAlteredAndForeignAreRefused) {
  const auto creds = jpki("yamada-taro");
  const Bytes sig = devices::sim::rsa_sign_sha256(creds.sign.key.get(), kDocument);
  auto o = options(pinned_now());
  // On the signing CA's CRL (as the centre simulator publishes it): revoked. Another person's
  // serial on it: not.
  devices::sim::PkiCache cache(devices::sim::PkiCache::default_dir());
  const auto crl_with = [&](const std::string& serial) {
    const fs::path file = fs::path(::testing::TempDir()) /
                          ("rp-" + std::to_string(::getpid()) + "-" + serial + ".crl");
    std::ofstream(file) << devices::sim::make_crl(cache, "jpki-sign-ca", {{serial, 1764000000}},
                                                  1764000000);
    return file;
  };
  o.crl_pem = crl_with(certificate_serial_hex(creds.sign.der));
  EXPECT_EQ(refusal("yamada-taro", creds, kDocument, sig, o), "certificate_revoked");
  o.crl_pem = crl_with(certificate_serial_hex(jpki("sato-ichiro").sign.der));
  EXPECT_EQ(refusal("yamada-taro", creds, kDocument, sig, o), "accepted");
  o.crl_pem = fs::path(::testing::TempDir()) / "no-such.crl";
  EXPECT_EQ(refusal("yamada-taro", creds, kDocument, sig, o), "certificate_untrusted")
      << "no list to read is no \"not revoked\"";

  const auto far_future = pinned_now() + std::chrono::hours(24 * 365 * 20);
  EXPECT_EQ(refusal("yamada-taro", creds, kDocument, sig, options(far_future)),
            "certificate_expired");

  Bytes altered = kDocument;
  altered[0] ^= 1;
  EXPECT_EQ(refusal("yamada-taro", creds, altered, sig, options(pinned_now())),
            "signature_invalid");
  const Bytes other_key = devices::sim::rsa_sign_sha256(creds.auth.key.get(), kDocument);
  EXPECT_EQ(refusal("yamada-taro", creds, kDocument, other_key, options(pinned_now())),
            "signature_invalid");

  EXPECT_EQ(refusal("sato-ichiro", creds, kDocument, sig, options(pinned_now())),
            "certificate_holder_mismatch");
  try {
    (void)check_signed_document(kDocument, other_key, creds.auth.der, signer("yamada-taro"),
                                options(pinned_now()));
    ADD_FAILURE() << "the authentication certificate was accepted";
  } catch (const RelyingPartyError& e) {
    EXPECT_EQ(e.code(), "certificate_untrusted") << "another CA";
  }
  try {
    (void)check_signed_document(kDocument, sig, Bytes{0x30, 0x03, 0x02, 0x01, 0x01},
                                signer("yamada-taro"), options(pinned_now()));
    ADD_FAILURE() << "garbage was accepted";
  } catch (const RelyingPartyError& e) {
    EXPECT_EQ(e.code(), "certificate_untrusted");
  }
}

TEST(RelyingParty, JstDateIsUtcPlusNine) {
  using namespace std::chrono;
  const auto t = sys_days{year{2026} / 1 / 15} + hours(14) + minutes(59);
  EXPECT_EQ(jst_date(t), "2026-01-15");
  EXPECT_EQ(jst_date(t + minutes(1)), "2026-01-16");
}

}  // namespace
}  // namespace mk::center::sim::testing

namespace mk::center::sim::testing {
namespace {

TEST(RelyingParty, ACertificateWithoutNonRepudiationIsNotASigningCertificate) {
  // The authentication certificate, trusted through its own CA: digitalSignature only.
  const auto creds = jpki("yamada-taro");
  const Bytes sig = devices::sim::rsa_sign_sha256(creds.auth.key.get(), kDocument);
  auto o = options(pinned_now());
  o.trusted_ca_pem = devices::sim::PkiCache::default_dir() / "jpki-auth-ca.pem";
  try {
    (void)check_signed_document(kDocument, sig, creds.auth.der, signer("yamada-taro"), o);
    ADD_FAILURE() << "accepted";
  } catch (const RelyingPartyError& e) {
    EXPECT_EQ(e.code(), "certificate_wrong_key_usage");
  }
}

}  // namespace
}  // namespace mk::center::sim::testing
