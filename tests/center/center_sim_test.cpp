// The centre simulator over loopback HTTPS with mutual TLS (docs/center-api.md,
// docs/center-sim.md): every resource's happy path, the error codes a kiosk can provoke,
// idempotency, who may connect, the relying-party checks on signed documents and each fault.
#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "center/sim/relying_party.hpp"
#include "flows/rules/one_stop.hpp"
#include "flows/rules/portal_linkage.hpp"
#include "tests/center/center_sim_support.hpp"
#include "tests/support/run_process.hpp"

namespace mk::center::sim::testing {
namespace {

using api::Json;
using ::testing::HasSubstr;
using ::testing::Not;

Json lookup_body(const std::string& number, const std::string& birth, const std::string& name,
                 const std::string& address = "東京都千代田区霞が関二丁目１番２号") {
  return api::HolderLookupRequest{number, birth, name, address, ""};
}

Json yamada_lookup() {
  return lookup_body("301234567890", "1985-04-12", "山田　太郎");
}

Clock::time_point utc(int y, unsigned m, unsigned d, int hour = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours(hour);
}

class CenterSim : public ::testing::Test {
 protected:
  CenterWorld world{"sim"};

  std::string yamada() { return world.sim().holder_ref("yamada-taro"); }

  // A document signed by a fixture person's JPKI signing key, as the card would.
  Json signed_submission(const std::string& signer, const std::string& holder_ref,
                         const std::string& document = "one-stop consent v1: address, name") {
    const auto creds = jpki(signer);
    const Bytes doc(document.begin(), document.end());
    api::SignedSubmission s{
        holder_ref, doc, devices::sim::rsa_sign_sha256(creds.sign.key.get(), doc), creds.sign.der};
    return s;
  }
  // A nonce for one consent, as the kiosk asks for it before the card signs.
  api::SigningNonce nonce(const std::string& purpose = "onestop_consent") {
    const auto r = world.post("/v1/signing/nonces", api::SigningNonceRequest{purpose}, world.key());
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no answer");
    return api::parse_body<api::SigningNonce>(r ? r->body : "{}");
  }
  // The canonical consent document (flows/rules/one_stop.hpp) under a fresh nonce.
  flows::ConsentDocument consent_document(const std::string& holder_ref,
                                          flows::ConsentItems items = {true, true, false}) {
    const api::SigningNonce n = nonce();
    return {holder_ref,      items,       std::string(flows::kOneStopTermsVersion),
            kTestTerminalId, n.issued_at, base::to_hex(n.nonce)};
  }
  // A consent as the kiosk sends it: `document` signed by `signer`'s card, `items` requested.
  Json consent(const std::string& signer, const flows::ConsentDocument& document,
               flows::ConsentItems items) {
    Json j = signed_submission(signer, document.holder_ref, flows::to_canonical_text(document));
    j["items"] = api::ConsentItems{items.address, items.name, items.birth_date};
    return j;
  }
  Json consent(const std::string& signer, const std::string& holder_ref) {
    const flows::ConsentItems items{true, true, false};
    return consent(signer, consent_document(holder_ref, items), items);
  }
  // The canonical linkage document (flows/rules/portal_linkage.hpp) under a fresh nonce.
  flows::LinkageDocument linkage_document(const std::string& holder_ref,
                                          const std::string& purpose = "portal_linkage") {
    const api::SigningNonce n = nonce(purpose);
    return {holder_ref, kTestTerminalId, n.issued_at, base::to_hex(n.nonce)};
  }
  Json linkage(const std::string& signer, const flows::LinkageDocument& document) {
    return signed_submission(signer, document.holder_ref, flows::to_canonical_text(document));
  }
  void return_conventional(const std::string& ref) {
    const auto r = world.post("/v1/holders/" + ref + "/holding-form",
                              api::HoldingFormRequest{api::HoldingFormAction::return_conventional},
                              world.key());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }
};

// ---- kiosk, reference, health -----------------------------------------------------------

TEST_F(CenterSim, KioskIdentityIsTheClientCertificatesCommonName) {
  const auto r = world.get("/v1/kiosk");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const auto k = api::parse_body<api::KioskInfo>(r->body);
  EXPECT_EQ(k.terminal_id, kTestTerminalId);
  EXPECT_FALSE(k.center_code.empty());
}

TEST_F(CenterSim, HealthAnswersOk) {
  const auto r = world.get("/v1/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(api::parse_body<api::Health>(r->body).status, "ok");
}

TEST_F(CenterSim, ReferenceDataIsVersionedAndAnswers304WhenUnchanged) {
  const auto r = world.get("/v1/reference");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const auto ref = api::parse_body<api::ReferenceData>(r->body);
  EXPECT_FALSE(ref.fees.empty());
  const std::string etag = r->get_header_value("ETag");
  EXPECT_EQ(etag, "\"" + ref.version + "\"");
  const auto again = world.client()->Get("/v1/reference", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

TEST_F(CenterSim, UnknownPathsAnswerTheEnvelope) {
  EXPECT_EQ(error_code(world.get("/v1/nothing-here")), api::code::kNotFound);
}

// ---- who may connect --------------------------------------------------------------------

TEST_F(CenterSim, AClientWithoutACertificateCannotConnect) {
  const auto r = world.client(false)->Get("/v1/health");
  EXPECT_FALSE(r) << "answered " << r->status;
}

TEST_F(CenterSim, AClientWithTheRogueCertificateCannotConnect) {
  const auto r = world.client(true, true)->Get("/v1/health");
  EXPECT_FALSE(r) << "answered " << r->status;
}

TEST(CenterSimTls, AKioskRefusesACentreWithTheRogueServerCertificate) {
  CenterWorld rogue("rogue", true);
  const auto r = rogue.get("/v1/health");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), httplib::Error::SSLServerVerification);
}

// ---- holders and idempotency --------------------------------------------------------------

TEST_F(CenterSim, LookupReturnsTheLicenseRecord) {
  const auto r = world.post("/v1/holders/lookup", yamada_lookup(), world.key());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto v = api::parse_body<api::LicenseRecordView>(r->body);
  EXPECT_EQ(v.license_number, "301234567890");
  EXPECT_EQ(v.expiry, "2029-05-12");
  EXPECT_EQ(v.color, "優良");
  EXPECT_EQ(v.holding_form, api::HoldingForm::both);
  EXPECT_TRUE(v.license_ap_recorded);
  EXPECT_FALSE(v.address_changed);
  ASSERT_EQ(v.classes.size(), 2U);
  EXPECT_EQ(v.classes[0].name, "futsu");
  ASSERT_GE(v.photo_j2k.size(), 4U);
  EXPECT_EQ(v.photo_j2k[0], 0xFF) << "a JPEG 2000 codestream (FF 4F)";
  EXPECT_EQ(v.photo_j2k[1], 0x4F);
}

// The registries' spellings of one name and one address are one (base/text/comparison_text):
// half-width digits, an ASCII space, another dash; another address is still another.
TEST_F(CenterSim, NamesAndAddressesAreComparedAsTextKeys) {
  auto r = world.post(
      "/v1/holders/lookup",
      lookup_body("301234567890", "1985-04-12", "山田 太郎", "東京都千代田区霞が関二丁目1番2号"),
      world.key());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_FALSE(api::parse_body<api::LicenseRecordView>(r->body).address_changed);
  r = world.post(
      "/v1/holders/lookup",
      lookup_body("301234567890", "1985-04-12", "山田　太郎", "東京都千代田区霞が関二丁目3番4号"),
      world.key());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(api::parse_body<api::LicenseRecordView>(r->body).address_changed);
}

TEST_F(CenterSim, LookupRefusesAnUnknownNumberAndAMismatchWithoutSayingWhichField) {
  EXPECT_EQ(
      error_code(world.post("/v1/holders/lookup",
                            lookup_body("999999999999", "1985-04-12", "山田　太郎"), world.key())),
      api::code::kHolderNotFound);
  const auto r = world.post("/v1/holders/lookup",
                            lookup_body("301234567890", "1985-04-13", "山田　太郎"), world.key());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(error_code(r), api::code::kHolderMismatch);
  EXPECT_THAT(r->body, Not(HasSubstr("1985"))) << "no personal data in the answer";
  EXPECT_THAT(r->body, Not(HasSubstr("山田")));
  EXPECT_THAT(r->body, Not(HasSubstr("birth")));
  EXPECT_EQ(
      error_code(world.post("/v1/holders/lookup",
                            lookup_body("301234567890", "1985-04-12", "山田　次郎"), world.key())),
      api::code::kHolderMismatch);
}

TEST_F(CenterSim, AGarbageBodyIsABadRequestNamingTheField) {
  auto r = world.post("/v1/holders/lookup", Json{{"license_number", "30123"}}, world.key());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(error_code(r), api::code::kBadRequest);
  EXPECT_THAT(api::parse_error_envelope(r->body).message, HasSubstr("license_number"));
  r = world.client()->Post("/v1/holders/lookup", {{"Idempotency-Key", "x"}}, "{not json",
                           "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(error_code(r), api::code::kBadRequest);
}

TEST_F(CenterSim, AWriteWithoutAnIdempotencyKeyIsRefused) {
  const auto r = world.post("/v1/holders/lookup", yamada_lookup(), "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(error_code(r), api::code::kIdempotencyKeyRequired);
}

TEST_F(CenterSim, TheSameKeyAndBodyReplaysTheStoredAnswerAndWritesOnce) {
  const Json body = api::HoldingFormRequest{api::HoldingFormAction::return_conventional};
  const std::string path = "/v1/holders/" + yamada() + "/holding-form";
  const auto first = world.post(path, body, "replay-1");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_FALSE(first->has_header("Idempotent-Replayed"));
  const auto second = world.post(path, body, "replay-1");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->body, first->body);
  EXPECT_EQ(second->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_EQ(world.sim().count_rows("holding_form_changes"), 1);
  // A new key is a new request: the holder no longer holds both forms.
  EXPECT_EQ(error_code(world.post(path, body, "replay-2")), api::code::kNotEligible);
}

TEST_F(CenterSim, TheSameKeyWithAnotherBodyIs409) {
  ASSERT_EQ(world.post("/v1/holders/lookup", yamada_lookup(), "reuse")->status, 200);
  const auto r = world.post("/v1/holders/lookup",
                            lookup_body("621900123450", "1992-11-03", "鈴木　花子"), "reuse");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(error_code(r), api::code::kIdempotencyKeyReused);
}

TEST_F(CenterSim, HoldingFormChanges) {
  const auto form_now = [&] {
    const auto r = world.post("/v1/holders/lookup", yamada_lookup(), world.key());
    return api::parse_body<api::LicenseRecordView>(r->body).holding_form;
  };
  const auto add_conventional = [&] {
    return world.post("/v1/holders/" + yamada() + "/holding-form",
                      api::HoldingFormRequest{api::HoldingFormAction::add_conventional},
                      world.key());
  };
  EXPECT_EQ(error_code(add_conventional()), api::code::kNotEligible) << "holds both already";
  return_conventional(yamada());
  EXPECT_EQ(form_now(), api::HoldingForm::myna_only);
  // R-FORM-ADD-CONV: a Myna-only holder may get a conventional licence again at any time.
  const auto added = add_conventional();
  ASSERT_EQ(added->status, 200) << added->body;
  EXPECT_EQ(form_now(), api::HoldingForm::both);
  return_conventional(yamada());
  EXPECT_EQ(form_now(), api::HoldingForm::myna_only);
  const std::string suzuki = world.sim().holder_ref("suzuki-hanako");
  EXPECT_EQ(error_code(world.post("/v1/holders/" + suzuki + "/holding-form",
                                  api::HoldingFormRequest{api::HoldingFormAction::erase_record},
                                  world.key())),
            api::code::kNotEligible)
      << "nothing recorded to erase";
  EXPECT_EQ(error_code(world.post("/v1/holders/HNOBODY/holding-form",
                                  api::HoldingFormRequest{api::HoldingFormAction::erase_record},
                                  world.key())),
            api::code::kHolderNotFound);
}

// ---- issuer sessions without a card ---------------------------------------------------------

TEST(CenterSimRenewal, R_RENEW_REWRITE_R_VIA_TheOfferAndWhenARewriteMayStart) {
  CenterWorld tokyo("renewal", false, "Tokyo");
  const std::string yamada = tokyo.sim().holder_ref("yamada-taro");
  const auto offer_for = [&](const std::string& ref) {
    return tokyo.post("/v1/holders/" + ref + "/renewal", Json::object(), tokyo.key());
  };
  const auto r = offer_for(yamada);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto o = api::parse_body<api::RenewalOffer>(r->body);
  EXPECT_EQ(o.current_expiry, "2029-05-12");
  EXPECT_EQ(o.new_expiry, "2034-05-12") << "優良: five years, a month after the birthday";
  EXPECT_FALSE(o.via);
  EXPECT_EQ(o.holding_form, api::HoldingForm::both);
  EXPECT_EQ(error_code(offer_for(tokyo.sim().holder_ref("suzuki-hanako"))), api::code::kNotEligible)
      << "nothing recorded on a card";

  const auto rewrite = [&](const std::string& ref,
                           const std::string& card = card_id("yamada-taro")) {
    api::IssuerSessionRequest q;
    q.operation = api::IssuerOperation::rewrite;
    q.holder_ref = ref;
    q.card_id = card;
    return tokyo.post("/v1/issuer/sessions", q, tokyo.key());
  };
  EXPECT_EQ(error_code(rewrite(yamada)), api::code::kNotEligible) << "years before the period";
  EXPECT_THROW(tokyo.sim().complete_counter_renewal("yamada-taro"), std::runtime_error)
      << "the counter renews nobody outside the period";
  tokyo.set_now(std::chrono::sys_days(std::chrono::year(2029) / 4 / 20) + std::chrono::hours(1));
  EXPECT_EQ(error_code(offer_for(yamada)), api::code::kNotEligible)
      << "in the period, but the counter has not renewed the licence";
  EXPECT_EQ(error_code(rewrite(yamada)), api::code::kNotEligible)
      << "no rewrite without the counter's renewal";
  tokyo.sim().complete_counter_renewal("yamada-taro");
  const auto renewed = api::parse_body<api::RenewalOffer>(offer_for(yamada)->body);
  EXPECT_EQ(renewed.new_expiry, "2034-05-12");
  EXPECT_EQ(renewed.color, "優良");
  EXPECT_EQ(error_code(rewrite(yamada, card_id("suzuki-hanako"))), api::code::kCardReplaced)
      << "R-LOST: only the card that holds the record is rewritten";
  EXPECT_EQ(error_code(rewrite(yamada, "")), api::code::kCardReplaced) << "an unnamed card";
  const auto opened = rewrite(yamada);
  ASSERT_EQ(opened->status, 200) << opened->body;
  EXPECT_EQ(api::parse_body<api::IssuerSession>(opened->body).next.phase,
            api::PhaseName::license_ap)
      << "the same card: no install";
  // sato-ichiro lives in Hokkaido and is a 違反 driver: in his period, still no 経由申請 here.
  tokyo.set_now(std::chrono::sys_days(std::chrono::year(2027) / 1 / 10) + std::chrono::hours(1));
  const std::string sato = tokyo.sim().holder_ref("sato-ichiro");
  const auto sato_offer = api::parse_body<api::RenewalOffer>(offer_for(sato)->body);
  EXPECT_TRUE(sato_offer.via);
  EXPECT_EQ(sato_offer.category, "違反") << "the centre's category, for the 経由申請 rule";
  EXPECT_EQ(sato_offer.color, "一般") << "the card's band never shows a violation";
  EXPECT_EQ(sato_offer.new_expiry, "2030-02-20") << "違反: three years";
  EXPECT_EQ(error_code(rewrite(sato, card_id("sato-ichiro"))), api::code::kNotEligible);
}

TEST(CenterSimHome, R_VIA_R_LOST_ARecordIsMadeAtHomeAndOnlyOnceUnlessTheCardWasReplaced) {
  CenterWorld osaka("osaka", false, "Osaka");  // yamada-taro lives in Tokyo, suzuki in Osaka
  const auto lookup = [&](const Json& body) {
    const auto r = osaka.post("/v1/holders/lookup", body, osaka.key());
    return api::parse_body<api::LicenseRecordView>(r->body);
  };
  EXPECT_FALSE(lookup(yamada_lookup()).at_home_centre);
  EXPECT_TRUE(lookup(lookup_body("621900123450", "1992-11-03", "鈴木　花子")).at_home_centre);
  const auto open = [&](const std::string& fixture, bool replace) {
    api::IssuerSessionRequest q;
    q.holder_ref = osaka.sim().holder_ref(fixture);
    q.new_pin.emplace(std::string_view("2580"));
    q.replace_card = replace;
    return osaka.post("/v1/issuer/sessions", q, osaka.key());
  };
  EXPECT_EQ(error_code(open("yamada-taro", true)), api::code::kNotEligible) << "away from home";
  const std::string yamada = osaka.sim().holder_ref("yamada-taro");
  const auto change = [&](api::HoldingFormAction action) {
    return osaka.post("/v1/holders/" + yamada + "/holding-form", api::HoldingFormRequest{action},
                      osaka.key());
  };
  EXPECT_EQ(error_code(change(api::HoldingFormAction::erase_record)), api::code::kNotEligible);
  api::IssuerSessionRequest erase;
  erase.operation = api::IssuerOperation::erase;
  erase.holder_ref = yamada;
  EXPECT_EQ(error_code(osaka.post("/v1/issuer/sessions", erase, osaka.key())),
            api::code::kNotEligible);
  EXPECT_EQ(error_code(change(api::HoldingFormAction::return_conventional)),
            api::code::kNotEligible)
      << "FAQ 7: away from home the return goes only with a 経由申請 renewal (scenario "
         "renewal_via hands it back after the rewrite)";
  EXPECT_EQ(open("suzuki-hanako", false)->status, 200);

  CenterWorld tokyo("tokyo", false, "Tokyo");  // yamada-taro is recorded already
  api::IssuerSessionRequest q;
  q.holder_ref = tokyo.sim().holder_ref("yamada-taro");
  q.new_pin.emplace(std::string_view("2580"));
  EXPECT_EQ(error_code(tokyo.post("/v1/issuer/sessions", q, tokyo.key())), api::code::kNotEligible)
      << "a second record without a replaced card";
  q.replace_card = true;
  EXPECT_EQ(tokyo.post("/v1/issuer/sessions", q, tokyo.key())->status, 200);
}

TEST_F(CenterSim, IssuerSessionErrors) {
  const std::string suzuki = world.sim().holder_ref("suzuki-hanako");
  api::IssuerSessionRequest q;
  q.operation = api::IssuerOperation::record;
  q.holder_ref = suzuki;
  q.new_pin.emplace(std::string_view("2580"));
  auto r = world.post("/v1/issuer/sessions", q, world.key());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto s = api::parse_body<api::IssuerSession>(r->body);
  EXPECT_EQ(s.next.phase, api::PhaseName::isd);
  EXPECT_EQ(s.next.initialize_update.size(), 14U);
  const std::string base = "/v1/issuer/sessions/" + s.session_id + "/phases/";

  EXPECT_EQ(error_code(world.post(base + "isd/answers", api::PhaseAnswersRequest{{{0x90, 0x00}}},
                                  world.key())),
            api::code::kSessionState)
      << "answers before the phase is open";
  EXPECT_EQ(error_code(world.post(base + "license_ap/open", api::PhaseOpenRequest{Bytes(29, 0x11)},
                                  world.key())),
            api::code::kSessionState)
      << "not this phase yet";
  Bytes answer(29, 0x00);
  answer[10] = 0x30;
  answer[11] = 0x03;
  answer[12] = 0x20;
  EXPECT_EQ(error_code(world.post(base + "isd/open", api::PhaseOpenRequest{answer}, world.key())),
            api::code::kCardCryptogramInvalid);
  EXPECT_EQ(error_code(world.post("/v1/issuer/sessions/SNOSUCH/phases/isd/open",
                                  api::PhaseOpenRequest{answer}, world.key())),
            api::code::kSessionNotFound);

  q.operation = api::IssuerOperation::erase;
  q.new_pin.reset();
  EXPECT_EQ(error_code(world.post("/v1/issuer/sessions", q, world.key())), api::code::kNotEligible)
      << "nothing recorded to delete";

  Json bad = Json{{"operation", "record"}, {"holder_ref", suzuki}, {"new_pin", "12a4"}};
  r = world.post("/v1/issuer/sessions", bad, world.key());
  ASSERT_TRUE(r);
  EXPECT_EQ(error_code(r), api::code::kBadRequest);
  EXPECT_THAT(r->body, HasSubstr("new_pin"));
  EXPECT_THAT(r->body, Not(HasSubstr("12a4"))) << "the PIN never appears in an answer";
}

// ---- one-stop and linkage: relying-party checks ---------------------------------------------

TEST_F(CenterSim, R_OS_NEEDS_OneStopIsOnlyForMynaLicenseOnlyHolders) {
  EXPECT_EQ(
      error_code(world.post("/v1/onestop/consents", consent("yamada-taro", yamada()), world.key())),
      api::code::kNotEligible)
      << "yamada-taro holds both forms";
}

TEST_F(CenterSim, OneStopStartRenewAndCancel) {
  return_conventional(yamada());
  auto r = world.post("/v1/onestop/consents", consent("yamada-taro", yamada()), world.key());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const auto c = api::parse_body<api::Consent>(r->body);
  EXPECT_FALSE(c.renewed);
  EXPECT_EQ(c.valid_from, jst_date(pinned_now()));
  EXPECT_EQ(std::stoi(c.valid_until.substr(0, 4)), std::stoi(c.valid_from.substr(0, 4)) + 10);
  EXPECT_TRUE(c.items.address);
  EXPECT_FALSE(c.items.birth_date);

  r = world.post("/v1/onestop/consents", consent("yamada-taro", yamada()), world.key());
  const auto renewed = api::parse_body<api::Consent>(r->body);
  EXPECT_TRUE(renewed.renewed);
  EXPECT_EQ(renewed.consent_id, c.consent_id);
  EXPECT_EQ(world.sim().count_rows("consents"), 1);

  r = world.post("/v1/onestop/consents/" + yamada() + "/cancel", Json::object(), world.key());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(api::parse_body<api::Consent>(r->body).status, "cancelled");
  EXPECT_EQ(error_code(world.post("/v1/onestop/consents/" + yamada() + "/cancel", Json::object(),
                                  world.key())),
            api::code::kConsentNotFound);
}

TEST_F(CenterSim, OneStopRefusesACertificateIssuedTodayInJapan) {
  return_conventional(yamada());
  // yamada-taro's certificate is valid from 2025-03-24 00:00 UTC (09:00 JST): three hours later
  // is the same day in Japan.
  world.set_now(utc(2025, 3, 24, 3));
  const auto r = world.post("/v1/onestop/consents", consent("yamada-taro", yamada()), world.key());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(error_code(r), api::code::kCertificateIssuedToday);
  // The next day it goes through.
  world.set_now(utc(2025, 3, 25, 3));
  EXPECT_EQ(
      world.post("/v1/onestop/consents", consent("yamada-taro", yamada()), world.key())->status,
      201);
}

TEST_F(CenterSim, AnExpiredCertificateIsRefused) {
  return_conventional(yamada());
  world.set_now(utc(2031, 1, 1));
  EXPECT_EQ(
      error_code(world.post("/v1/onestop/consents", consent("yamada-taro", yamada()), world.key())),
      api::code::kCertificateExpired);
}

TEST_F(CenterSim, R_OS_REFLECT_TheSigningCaPublishesItsCrlAndOpensslReadsIt) {
  const fs::path crl = fs::path(world.db_path().string() + ".jpki-sign-ca.crl");
  ASSERT_TRUE(fs::exists(crl)) << "published when the centre starts";
  const auto creds = jpki("kato-misaki");
  const fs::path dir = fs::path(::testing::TempDir()) / ("crl-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "sign.pem") << devices::sim::der_to_pem(creds.sign.der);
  const std::string ca = (devices::sim::PkiCache::default_dir() / "jpki-sign-ca.pem").string();
  const auto verify = [&] {
    return mk::test::run_process("openssl verify -no_check_time -crl_check -CAfile " +
                                 mk::test::quote(ca) + " -CRLfile " +
                                 mk::test::quote(crl.string()) + " " +
                                 mk::test::quote((dir / "sign.pem").string()) + " 2>&1");
  };
  const auto before = verify();
  EXPECT_EQ(before.exit_code, 0) << before.output;
  // The municipality's change revokes it: the CA's next CRL lists it, and OpenSSL, which is not
  // ours, says so.
  world.sim().revoke_signing_certificate("kato-misaki");
  const auto after = verify();
  EXPECT_NE(after.exit_code, 0);
  EXPECT_THAT(after.output, ::testing::HasSubstr("certificate revoked"));
  const auto text =
      mk::test::run_process("openssl crl -noout -text -in " + mk::test::quote(crl.string()));
  EXPECT_THAT(text.output, ::testing::HasSubstr(certificate_serial_hex(creds.sign.der)));
  fs::remove_all(dir);
}

TEST_F(CenterSim, ARevokedCertificateIsRefused) {
  return_conventional(yamada());
  world.sim().revoke_certificate(certificate_serial_hex(jpki("yamada-taro").sign.der));
  EXPECT_EQ(
      error_code(world.post("/v1/onestop/consents", consent("yamada-taro", yamada()), world.key())),
      api::code::kCertificateRevoked);
}

TEST_F(CenterSim, AnAlteredDocumentOrAnotherKeysSignatureIsRefused) {
  return_conventional(yamada());
  Json j = consent("yamada-taro", yamada());
  const std::string altered = "one-stop consent v1: address, name, birth";
  j["document"] = api::to_base64(Bytes(altered.begin(), altered.end()));
  EXPECT_EQ(error_code(world.post("/v1/onestop/consents", j, world.key())),
            api::code::kSignatureInvalid);
  // Signed with the authentication key, presented with the signing certificate.
  const auto creds = jpki("yamada-taro");
  const std::string doc = "one-stop consent v1: address, name";
  j = consent("yamada-taro", yamada());
  j["signature"] = api::to_base64(devices::sim::rsa_sign_sha256(
      creds.auth.key.get(), std::span(reinterpret_cast<const uint8_t*>(doc.data()), doc.size())));
  EXPECT_EQ(error_code(world.post("/v1/onestop/consents", j, world.key())),
            api::code::kSignatureInvalid);
}

TEST_F(CenterSim, R_OS_CARD_CERT_ONLY_ACertificateFromAnotherCaOrOfAnotherPersonIsRefused) {
  return_conventional(yamada());
  // The authentication certificate chains to the JPKI authentication CA, not the signing CA.
  const auto creds = jpki("yamada-taro");
  const std::string doc = "one-stop consent v1: address, name";
  Json j = consent("yamada-taro", yamada());
  j["certificate"] = api::to_base64(creds.auth.der);
  j["signature"] = api::to_base64(devices::sim::rsa_sign_sha256(
      creds.auth.key.get(), std::span(reinterpret_cast<const uint8_t*>(doc.data()), doc.size())));
  EXPECT_EQ(error_code(world.post("/v1/onestop/consents", j, world.key())),
            api::code::kCertificateUntrusted);
  // sato-ichiro's valid signature on yamada-taro's consent.
  EXPECT_EQ(
      error_code(world.post("/v1/onestop/consents", consent("sato-ichiro", yamada()), world.key())),
      api::code::kCertificateHolderMismatch);
}

TEST_F(CenterSim, AConsentSignedByAnotherCardIsRefused) {
  return_conventional(yamada());
  // sato-ichiro's card signed yamada-taro's consent, presented with yamada-taro's certificate.
  const flows::ConsentItems items{true, false, false};
  const flows::ConsentDocument d = consent_document(yamada(), items);
  const std::string text = flows::to_canonical_text(d);
  Json j = consent("yamada-taro", d, items);
  j["signature"] = api::to_base64(devices::sim::rsa_sign_sha256(
      jpki("sato-ichiro").sign.key.get(),
      std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
  EXPECT_EQ(error_code(world.post("/v1/onestop/consents", j, world.key())),
            api::code::kSignatureInvalid);
}

TEST_F(CenterSim, R_OS_STEPS_TheSignedConsentMustSayWhatTheRequestSays) {
  return_conventional(yamada());
  const flows::ConsentItems signed_items{true, false, false};
  // The request asks for more than the person signed.
  EXPECT_EQ(error_code(world.post("/v1/onestop/consents",
                                  consent("yamada-taro", consent_document(yamada(), signed_items),
                                          {true, true, true}),
                                  world.key())),
            api::code::kConsentDocumentInvalid);
  // Signed for another kiosk, for other terms, or not in the canonical form.
  flows::ConsentDocument other_kiosk = consent_document(yamada(), signed_items);
  other_kiosk.terminal = "KIOSK-ELSEWHERE";
  flows::ConsentDocument old_terms = consent_document(yamada(), signed_items);
  old_terms.terms_version = "2019-01";
  for (const auto& d : {other_kiosk, old_terms}) {
    EXPECT_EQ(error_code(world.post("/v1/onestop/consents", consent("yamada-taro", d, signed_items),
                                    world.key())),
              api::code::kConsentDocumentInvalid)
        << d.terminal << " " << d.terms_version;
  }
  EXPECT_EQ(error_code(world.post(
                "/v1/onestop/consents",
                signed_submission("yamada-taro", yamada(), "I agree to everything"), world.key())),
            api::code::kBadRequest)  // no items: not even a consent request
      << "a request without items";
  Json free_text = signed_submission("yamada-taro", yamada(), "one-stop consent: address");
  free_text["items"] = api::ConsentItems{true, false, false};
  EXPECT_EQ(error_code(world.post("/v1/onestop/consents", free_text, world.key())),
            api::code::kConsentDocumentInvalid);
}

TEST_F(CenterSim, ANonceIsTheCentresOwnAndServesOneConsent) {
  return_conventional(yamada());
  const flows::ConsentItems items{true, false, false};
  const flows::ConsentDocument d = consent_document(yamada(), items);
  const Json j = consent("yamada-taro", d, items);
  const std::string key = world.key();
  auto r = world.post("/v1/onestop/consents", j, key);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  // The same request under its key again (a lost answer, the outbox): the same answer.
  r = world.post("/v1/onestop/consents", j, key);
  EXPECT_EQ(r->status, 201) << r->body;
  // The same signed consent as a new request: a replay.
  EXPECT_EQ(error_code(world.post("/v1/onestop/consents", j, world.key())), api::code::kNonceUsed);
  // A nonce the centre never issued, or issued at another time than the document says.
  flows::ConsentDocument invented = consent_document(yamada(), items);
  invented.nonce_hex = std::string(64, 'A');
  flows::ConsentDocument other_time = consent_document(yamada(), items);
  other_time.time = "2026-01-01T00:00:00+09:00";
  for (const auto& bad : {invented, other_time}) {
    EXPECT_EQ(error_code(world.post("/v1/onestop/consents", consent("yamada-taro", bad, items),
                                    world.key())),
              api::code::kNonceUnknown);
  }
  // A refused consent leaves its nonce unused (the refusal rolled back).
  flows::ConsentDocument retry = consent_document(yamada(), items);
  Json wrong_items = consent("yamada-taro", retry, {true, true, false});
  EXPECT_EQ(error_code(world.post("/v1/onestop/consents", wrong_items, world.key())),
            api::code::kConsentDocumentInvalid);
  EXPECT_EQ(
      world.post("/v1/onestop/consents", consent("yamada-taro", retry, items), world.key())->status,
      201);
}

TEST_F(CenterSim, R_PL_WAIT_PortalLinkageIsAvailableThirtyMinutesAfterSubmission) {
  world.set_now(utc(2026, 11, 27, 1));  // 10:00 in Japan
  const Json j = linkage("yamada-taro", linkage_document(yamada()));
  const std::string key = world.key();
  const auto r = world.post("/v1/portal/linkages", j, key);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const auto l = api::parse_body<api::Linkage>(r->body);
  EXPECT_EQ(l.holder_ref, yamada());
  EXPECT_FALSE(l.linkage_id.empty());
  EXPECT_EQ(l.portal_available_from.substr(0, 16), "2026-11-27T10:30");
  EXPECT_EQ(world.sim().count_rows("linkages"), 1);
  // The same request under its key (a lost answer, the outbox's copy): the same linkage.
  const auto again = world.post("/v1/portal/linkages", j, key);
  ASSERT_EQ(again->status, 201) << again->body;
  EXPECT_EQ(api::parse_body<api::Linkage>(again->body).linkage_id, l.linkage_id);
  EXPECT_EQ(world.sim().count_rows("linkages"), 1);
  // The same signed request as a new one: a replay.
  EXPECT_EQ(error_code(world.post("/v1/portal/linkages", j, world.key())), api::code::kNonceUsed);
}

TEST_F(CenterSim, R_PL_TARGET_PortalLinkageNeedsAMynaLicenceOrHistoryOnTheCard) {
  const std::string suzuki = world.sim().holder_ref("suzuki-hanako");
  EXPECT_EQ(error_code(world.post("/v1/portal/linkages",
                                  linkage("suzuki-hanako", linkage_document(suzuki)), world.key())),
            api::code::kNotEligible)
      << "no Myna license";
}

TEST(CenterSimHome, R_PL_TARGET_PortalLinkageIsSubmittedAtTheHomeCentre) {
  CenterWorld osaka("osaka-linkage", false, "Osaka");  // yamada-taro lives in Tokyo
  const std::string ref = osaka.sim().holder_ref("yamada-taro");
  const auto n =
      osaka.post("/v1/signing/nonces", api::SigningNonceRequest{"portal_linkage"}, osaka.key());
  const auto nonce = api::parse_body<api::SigningNonce>(n->body);
  const std::string text = flows::to_canonical_text(
      flows::LinkageDocument{ref, kTestTerminalId, nonce.issued_at, base::to_hex(nonce.nonce)});
  const auto creds = jpki("yamada-taro");
  const Bytes doc(text.begin(), text.end());
  const api::SignedSubmission s{ref, doc, devices::sim::rsa_sign_sha256(creds.sign.key.get(), doc),
                                creds.sign.der};
  EXPECT_EQ(error_code(osaka.post("/v1/portal/linkages", s, osaka.key())), api::code::kNotEligible);
}

TEST_F(CenterSim, ALinkageSignedForAnotherHolderTerminalOrPurposeIsRefused) {
  // Not the canonical document (the old free text), another terminal, another holder.
  EXPECT_EQ(
      error_code(world.post("/v1/portal/linkages",
                            signed_submission("yamada-taro", yamada(), "link me"), world.key())),
      api::code::kLinkageDocumentInvalid);
  flows::LinkageDocument other_kiosk = linkage_document(yamada());
  other_kiosk.terminal = "KIOSK-ELSEWHERE";
  EXPECT_EQ(error_code(world.post("/v1/portal/linkages", linkage("yamada-taro", other_kiosk),
                                  world.key())),
            api::code::kLinkageDocumentInvalid);
  const std::string kato = world.sim().holder_ref("kato-misaki");
  Json for_kato = linkage("yamada-taro", linkage_document(kato));
  for_kato["holder_ref"] = yamada();
  EXPECT_EQ(error_code(world.post("/v1/portal/linkages", for_kato, world.key())),
            api::code::kLinkageDocumentInvalid);
  // A nonce issued for a consent does not serve a linkage.
  EXPECT_EQ(
      error_code(world.post("/v1/portal/linkages",
                            linkage("yamada-taro", linkage_document(yamada(), "onestop_consent")),
                            world.key())),
      api::code::kNonceUnknown);
  // Signed by another card (sato-ichiro's key, yamada-taro's certificate).
  const std::string text = flows::to_canonical_text(linkage_document(yamada()));
  Json j = linkage("yamada-taro", linkage_document(yamada()));
  j["document"] = api::to_base64(Bytes(text.begin(), text.end()));
  j["signature"] = api::to_base64(devices::sim::rsa_sign_sha256(
      jpki("sato-ichiro").sign.key.get(),
      std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
  EXPECT_EQ(error_code(world.post("/v1/portal/linkages", j, world.key())),
            api::code::kSignatureInvalid);
  // Another person's certificate on their own valid signature.
  EXPECT_EQ(error_code(world.post("/v1/portal/linkages",
                                  linkage("sato-ichiro", linkage_document(yamada())), world.key())),
            api::code::kCertificateHolderMismatch);
  EXPECT_EQ(world.sim().count_rows("linkages"), 0);
}

TEST_F(CenterSim, AHoldersStatusShowsTheConsentTheLinkageAndTheLectureFacts) {
  world.set_now(utc(2026, 11, 27, 1));  // 10:00 in Japan
  const auto status = [&] {
    const auto r = world.post("/v1/holders/" + yamada() + "/status", Json::object(), world.key());
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    return api::parse_body<api::HolderStatus>(r ? r->body : "{}");
  };
  api::HolderStatus s = status();
  EXPECT_EQ(s.holder_ref, yamada());
  EXPECT_EQ(s.as_of.substr(0, 16), "2026-11-27T10:00");
  EXPECT_FALSE(s.consent);
  EXPECT_FALSE(s.linkage);
  EXPECT_FALSE(s.suspended);
  EXPECT_FALSE(s.expiry.empty());
  ASSERT_EQ(world
                .post("/v1/portal/linkages", linkage("yamada-taro", linkage_document(yamada())),
                      world.key())
                ->status,
            201);
  s = status();
  ASSERT_TRUE(s.linkage);
  EXPECT_EQ(s.linkage->portal_available_from.substr(0, 16), "2026-11-27T10:30");
  // Someone with nothing on a card has no status to ask about here.
  EXPECT_EQ(
      error_code(world.post("/v1/holders/" + world.sim().holder_ref("suzuki-hanako") + "/status",
                            Json::object(), world.key())),
      api::code::kNotEligible);
}

// ---- appointments and audit -------------------------------------------------------------------

TEST_F(CenterSim, R_LIC_PIN_LOCK_AnAppointmentChecksInTodayInsideItsSlotAtOneKiosk) {
  const std::string today = CenterSimulator::kTodayAppointment;
  auto r = world.get("/v1/appointments/" + today);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto a = api::parse_body<api::Appointment>(r->body);
  EXPECT_EQ(a.kind, "pin_unlock");
  EXPECT_EQ(a.status, "booked");
  EXPECT_EQ(a.holder_ref, world.sim().holder_ref("sato-ichiro"));
  EXPECT_EQ(a.slot_start.substr(0, 10), jst_date(pinned_now()));
  const auto check_in = [&](const std::string& number) {
    return world.post("/v1/appointments/" + number + "/check-in", Json::object(), world.key());
  };
  world.set_now(japan_time(17, 59));
  EXPECT_EQ(error_code(check_in(today)), api::code::kAppointmentOutsideWindow);
  world.set_now(japan_time(18, 31));
  EXPECT_EQ(error_code(check_in(today)), api::code::kAppointmentOutsideWindow);
  world.set_now(japan_time(18, 5));
  r = check_in(today);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(api::parse_body<api::Appointment>(r->body).status, "checked_in");
  r = check_in(today);  // the same kiosk again: a pulled card, a person starting over
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(error_code(check_in(CenterSimulator::kTomorrowAppointment)),
            api::code::kAppointmentNotToday);
  EXPECT_EQ(error_code(world.get("/v1/appointments/99999999")), api::code::kAppointmentNotFound);
}

class Unlock : public CenterSim {
 protected:
  void SetUp() override {
    world.set_now(japan_time(18, 5));
    for (const char* number :
         {CenterSimulator::kTodayAppointment, CenterSimulator::kOtherHolderAppointment}) {
      const auto r = world.post(std::string("/v1/appointments/") + number + "/check-in",
                                Json::object(), world.key());
      ASSERT_EQ(r->status, 200) << r->body;
    }
  }
  static std::vector<uint8_t> file(const char* relative) {
    std::ifstream in(std::filesystem::path(MK_SOURCE_DIR) / relative, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
  }
  // Whose card signs the centre's challenge, and whose face the photo shows.
  api::AppointmentIdentityRequest identity(const std::string& card_holder, const char* photo) {
    const auto c = world.post("/v1/auth/challenges", Json::object(), world.key());
    const Bytes challenge = api::parse_body<api::AuthChallenge>(c->body).challenge;
    const auto creds = jpki(card_holder);
    return {card_id(card_holder), challenge, creds.auth.der,
            devices::sim::rsa_sign_sha256(creds.auth.key.get(), challenge), file(photo)};
  }
  httplib::Result identify(const std::string& number, const api::AppointmentIdentityRequest& q) {
    return world.post("/v1/appointments/" + number + "/identity", q, world.key());
  }
  api::IssuerSessionRequest reset(const std::string& holder) {
    api::IssuerSessionRequest q;
    q.operation = api::IssuerOperation::reset_pin;
    q.holder_ref = world.sim().holder_ref(holder);
    q.card_id = card_id(holder);
    q.new_pin.emplace(std::string_view("1357"));
    return q;
  }
  static constexpr const char* kHolderFace = "tests/scenarios/camera/sato-ichiro.jpg";
  static constexpr const char* kStrangerFace = "tests/scenarios/camera/stranger.jpg";
  static constexpr const char* kNoFace = "tests/scenarios/camera/appointment-qr.png";
};

TEST_F(Unlock, R_LIC_PIN_LOCK_TheHoldersCardPinAndFaceOpenTheResetOnce) {
  const std::string number = CenterSimulator::kTodayAppointment;
  EXPECT_EQ(error_code(world.post("/v1/issuer/sessions", reset("sato-ichiro"), world.key())),
            api::code::kNotEligible)
      << "no reset before the identity check";
  auto r = identify(number, identity("sato-ichiro", kHolderFace));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(api::parse_body<api::Appointment>(r->body).status, "verified");
  r = world.post("/v1/issuer/sessions", reset("sato-ichiro"), world.key());
  ASSERT_EQ(r->status, 200) << r->body;
}

TEST_F(Unlock, ANoFacePhotoIsNotCountedAndKeepsTheChallenge) {
  auto q = identity("sato-ichiro", kNoFace);
  EXPECT_EQ(error_code(identify(CenterSimulator::kTodayAppointment, q)), api::code::kFaceNotFound);
  q.photo = file(kHolderFace);
  const auto r = identify(CenterSimulator::kTodayAppointment, q);
  EXPECT_EQ(r->status, 200) << "the same signed challenge with a photo that shows the face";
}

TEST_F(Unlock, ThreeFailedChecksLockTheAppointment) {
  const std::string number = CenterSimulator::kTodayAppointment;
  EXPECT_EQ(error_code(identify(number, identity("sato-ichiro", kStrangerFace))),
            api::code::kFaceMismatch);
  auto forged = identity("sato-ichiro", kHolderFace);
  forged.signature[7] ^= 0x01;
  EXPECT_EQ(error_code(identify(number, forged)), api::code::kSignatureInvalid);
  EXPECT_EQ(error_code(identify(number, identity("sato-ichiro", kStrangerFace))),
            api::code::kAppointmentLocked);
  EXPECT_EQ(error_code(identify(number, identity("sato-ichiro", kHolderFace))),
            api::code::kAppointmentLocked)
      << "locked: not even the right face opens it";
  EXPECT_EQ(error_code(world.post("/v1/appointments/" + number + "/check-in", Json::object(),
                                  world.key())),
            api::code::kAppointmentLocked);
}

TEST_F(Unlock, SomeoneElsesAppointmentIsNotOpenedByAnotherCard) {
  // kato-misaki's appointment, sato-ichiro's card (and face): the card is not hers.
  EXPECT_EQ(error_code(identify(CenterSimulator::kOtherHolderAppointment,
                                identity("sato-ichiro", kHolderFace))),
            api::code::kAppointmentHolderMismatch);
  auto q = identity("sato-ichiro", kHolderFace);
  q.card_id = card_id("kato-misaki");
  EXPECT_EQ(error_code(identify(CenterSimulator::kOtherHolderAppointment, q)),
            api::code::kCertificateHolderMismatch);
  EXPECT_EQ(error_code(identify(CenterSimulator::kTomorrowAppointment,
                                identity("sato-ichiro", kHolderFace))),
            api::code::kAppointmentNotToday);
}

api::AuditRow row(int64_t seq, const std::string& prev) {
  const std::string hash = std::string(63, '0') + std::to_string(seq % 10);
  return {seq, "2026-01-15T10:00:00+09:00", "kiosk", "session.start", "ok", "", hash, prev};
}

TEST_F(CenterSim, AuditBatchesMustContinueTheChain) {
  const std::string zero(64, '0');
  api::AuditBatch b{kTestTerminalId, {row(1, zero), row(2, row(1, zero).hash)}};
  auto r = world.post("/v1/audit/batches", b, world.key());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(api::parse_body<api::AuditAccepted>(r->body).accepted_through, 2);
  // Row 2 again (its answer was lost) and row 3: accepted.
  b.rows = {row(2, row(1, zero).hash), row(3, row(2, zero).hash)};
  r = world.post("/v1/audit/batches", b, world.key());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(api::parse_body<api::AuditAccepted>(r->body).accepted_through, 3);
  EXPECT_EQ(world.sim().count_rows("audit_rows"), 3);
  // A row that does not link to row 3, and a gap.
  b.rows = {row(4, zero)};
  EXPECT_EQ(error_code(world.post("/v1/audit/batches", b, world.key())),
            api::code::kAuditChainBroken);
  b.rows = {row(5, row(3, zero).hash)};
  EXPECT_EQ(error_code(world.post("/v1/audit/batches", b, world.key())),
            api::code::kAuditChainBroken);
  b.terminal = "KIOSK-OTHER";
  b.rows = {row(4, row(3, zero).hash)};
  EXPECT_EQ(error_code(world.post("/v1/audit/batches", b, world.key())),
            api::code::kTerminalMismatch);
}

// ---- faults ---------------------------------------------------------------------------------

TEST_F(CenterSim, DownRefusesConnectionsUntilCleared) {
  const int port = world.port();
  world.sim().set_fault({Fault::Mode::down});
  const auto r = world.get("/v1/health");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), httplib::Error::Connection);
  world.sim().set_fault({});
  EXPECT_EQ(world.port(), port) << "back on the same port";
  ASSERT_TRUE(world.get("/v1/health"));
}

TEST_F(CenterSim, SlowAnswersLateButCorrectly) {
  world.sim().set_fault({Fault::Mode::slow, 1500, 1});
  auto impatient = world.client();
  impatient->set_read_timeout(0, 200'000);
  EXPECT_FALSE(impatient->Get("/v1/health")) << "a client that waits less gives up";
  world.sim().set_fault({Fault::Mode::slow, 300, 1});
  const auto r = world.get("/v1/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(CenterSim, Http500And503AreRetryableEnvelopes) {
  world.sim().set_fault({Fault::Mode::http_500, 0, 1});
  auto r = world.get("/v1/kiosk");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_TRUE(api::parse_error_envelope(r->body).retryable);
  world.sim().set_fault({Fault::Mode::http_503, 0, 1});
  r = world.get("/v1/kiosk");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(api::parse_error_envelope(r->body).code, api::code::kUnavailable);
  EXPECT_TRUE(api::parse_error_envelope(r->body).retryable);
  EXPECT_EQ(world.get("/v1/kiosk")->status, 200) << "the count ran out";
}

TEST_F(CenterSim, ACountFailsTheNextNRequestsThenRecovers) {
  world.sim().set_fault({Fault::Mode::http_503, 0, 2});
  EXPECT_EQ(world.get("/v1/health")->status, 503);
  EXPECT_EQ(world.get("/v1/health")->status, 503);
  EXPECT_EQ(world.get("/v1/health")->status, 200);
}

TEST_F(CenterSim, GarbageIsA200ThatIsNotJson) {
  world.sim().set_fault({Fault::Mode::garbage, 0, 1});
  const auto r = world.get("/v1/kiosk");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_THROW((void)api::parse_body<api::KioskInfo>(r->body), api::WireError);
}

TEST_F(CenterSim, TruncatedClosesMidBody) {
  world.sim().set_fault({Fault::Mode::truncated, 0, 1});
  const auto r = world.get("/v1/kiosk");
  EXPECT_FALSE(r) << "a body shorter than its Content-Length is a transport error";
  EXPECT_TRUE(world.get("/v1/kiosk"));
}

TEST_F(CenterSim, DropAfterCommitKeepsTheWriteAndTheRetryGetsTheStoredAnswer) {
  const Json body = api::HoldingFormRequest{api::HoldingFormAction::return_conventional};
  const std::string path = "/v1/holders/" + yamada() + "/holding-form";
  world.sim().set_fault({Fault::Mode::drop_after_commit, 0, 1});
  EXPECT_FALSE(world.post(path, body, "dropped")) << "the answer was lost";
  EXPECT_EQ(world.sim().count_rows("holding_form_changes"), 1) << "but the write happened";
  const auto retry = world.post(path, body, "dropped");
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->status, 200) << retry->body;
  EXPECT_EQ(retry->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_EQ(api::parse_body<api::HoldingFormChange>(retry->body).holding_form,
            api::HoldingForm::myna_only);
  EXPECT_EQ(world.sim().count_rows("holding_form_changes"), 1) << "not a second write";
}

TEST_F(CenterSim, FaultsCanBeSetOverTheAdminEndpoint) {
  auto r = world.client()->Post("/admin/faults", Json{{"mode", "http_503"}, {"count", 1}}.dump(),
                                "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(world.get("/v1/health")->status, 503);
  EXPECT_EQ(world.get("/v1/health")->status, 200);
  r = world.client()->Post("/admin/faults", Json{{"mode", "sideways"}}.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  r = world.client()->Post("/admin/revocations", Json{{"serial", "01AB"}}.dump(),
                           "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(world.sim().count_rows("revoked_certificates"), 1);
}

// The soak switches outages over the admin endpoint, one after another: each comes back by
// itself (on the same port, with the real certificate), and the next may follow.
TEST_F(CenterSim, AdminOutagesComeBackByThemselvesOneAfterAnother) {
  for (const char* mode : {"down", "wrong_tls", "down"}) {
    auto r = world.client()->Post("/admin/faults", Json{{"mode", mode}, {"for_ms", 400}}.dump(),
                                  "application/json");
    ASSERT_TRUE(r) << mode;
    ASSERT_EQ(r->status, 200) << r->body;
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    EXPECT_FALSE(world.get("/v1/health")) << mode << ": refused, or its certificate is";
    bool back = false;
    for (int i = 0; i < 100 && !back; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const auto health = world.get("/v1/health");
      back = health && health->status == 200;
    }
    EXPECT_TRUE(back) << mode << " did not end";
  }
}

// What reached the centre: each write once by its key (a replay adds nothing), and the audit
// chain as received.
TEST_F(CenterSim, AdminListsTheWritesRunAndTheAuditChainsReceived) {
  const Json body = api::HoldingFormRequest{api::HoldingFormAction::return_conventional};
  const std::string path = "/v1/holders/" + yamada() + "/holding-form";
  ASSERT_TRUE(world.post(path, body, "soak-key-1"));
  ASSERT_TRUE(world.post(path, body, "soak-key-1"));  // replayed
  auto r = world.get("/admin/writes");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const Json writes = Json::parse(r->body).at("writes");
  ASSERT_EQ(writes.size(), 1U) << r->body;
  EXPECT_EQ(writes[0].at("key"), "soak-key-1");
  EXPECT_EQ(writes[0].at("path"), path);
  EXPECT_EQ(writes[0].at("status"), 200);
  r = world.get("/admin/audit-chains");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(Json::parse(r->body).at("terminals").empty()) << r->body;
}

// R-LOST: the centre knows which card holds a holder's record; the lookup and the read-back's
// question name it for the card in hand.
TEST_F(CenterSim, R_LOST_TheCentreKnowsWhichCardHoldsTheRecord) {
  const auto status = [&](const std::string& number, const std::string& card) {
    const auto r =
        world.post("/v1/cards/status", api::CardStatusRequest{number, card}, world.key());
    return api::parse_body<api::CardStatus>(r->body).record_card;
  };
  EXPECT_EQ(status("301234567890", card_id("yamada-taro")), "this");
  EXPECT_EQ(status("301234567890", card_id("suzuki-hanako")), "another");
  EXPECT_EQ(status("621900123450", card_id("suzuki-hanako")), "none") << "nothing recorded";
  Json lookup = lookup_body("301234567890", "1985-04-12", "山田　太郎");
  EXPECT_EQ(api::parse_body<api::LicenseRecordView>(
                world.post("/v1/holders/lookup", lookup, world.key())->body)
                .record_card,
            "unknown")
      << "no card named";
  lookup["card_id"] = card_id("yamada-taro");
  EXPECT_EQ(api::parse_body<api::LicenseRecordView>(
                world.post("/v1/holders/lookup", lookup, world.key())->body)
                .record_card,
            "this");
  EXPECT_EQ(error_code(world.post("/v1/cards/status", Json{{"license_number", "301234567890"}},
                                  world.key())),
            api::code::kBadRequest)
      << "the card must be named";
}

// FAQ 3, 11: a Myna-only holder has no plastic licence; the My Number card names them by signing
// the centre's challenge with its JPKI authentication key.
TEST_F(CenterSim, AMynaOnlyHolderIsNamedByTheCardsAuthentication) {
  const auto challenge = [&] {
    const auto r = world.post("/v1/auth/challenges", Json::object(), world.key());
    return api::parse_body<api::AuthChallenge>(r->body).challenge;
  };
  const auto creds = jpki("kato-misaki");
  const auto request = [&](const Bytes& c) {
    api::CardLookupRequest q;
    q.birth_date = "1990-07-15";
    q.name = "加藤　美咲";
    q.address = "神奈川県横浜市中区日本大通１番地";
    q.card_id = card_id("kato-misaki");
    q.challenge = c;
    q.certificate = creds.auth.der;
    q.signature = devices::sim::rsa_sign_sha256(creds.auth.key.get(), c);
    return q;
  };
  const Bytes c = challenge();
  const auto first = world.post("/v1/holders/lookup-by-card", request(c), world.key());
  ASSERT_EQ(first->status, 200) << first->body;
  const auto view = api::parse_body<api::LicenseRecordView>(first->body);
  EXPECT_EQ(view.license_number, "451234567893");
  EXPECT_EQ(view.record_card, "this");
  EXPECT_EQ(error_code(world.post("/v1/holders/lookup-by-card", request(c), world.key())),
            api::code::kSignatureInvalid)
      << "a challenge is used once";
  auto forged = request(challenge());
  forged.signature[10] ^= 0x01;
  EXPECT_EQ(error_code(world.post("/v1/holders/lookup-by-card", forged, world.key())),
            api::code::kSignatureInvalid);
  auto other_card = request(challenge());
  other_card.card_id = card_id("yamada-taro");
  EXPECT_EQ(error_code(world.post("/v1/holders/lookup-by-card", other_card, world.key())),
            api::code::kCertificateHolderMismatch);
  auto signing_cert = request(challenge());
  signing_cert.certificate = creds.sign.der;
  EXPECT_NE(world.post("/v1/holders/lookup-by-card", signing_cert, world.key())->status, 200)
      << "only the authentication certificate names a card";
}

}  // namespace
}  // namespace mk::center::sim::testing
