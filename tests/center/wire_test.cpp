// The centre API's wire types (center/api/wire.hpp): every type survives a round trip, and a
// garbage body is refused with a WireError naming the field, never a crash.
#include "center/api/wire.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/hex.hpp"

namespace mk::center::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

template <typename T>
T round_trip(const T& v) {
  return parse_body<T>(Json(v).dump());
}

// The field a body is refused for.
template <typename T>
std::string refused_field(const std::string& body) {
  try {
    (void)parse_body<T>(body);
  } catch (const WireError& e) {
    return e.field();
  }
  return "<accepted>";
}

TEST(Wire, HexIsUppercaseAndAcceptsLowercase) {
  const Bytes b = {0x00, 0xA4, 0x04, 0x0C};
  EXPECT_EQ(base::to_hex(b), "00A4040C");
  EXPECT_EQ(from_hex("00a4040c", "x"), b);
  EXPECT_THROW(from_hex("0", "x"), WireError);
  EXPECT_THROW(from_hex("0G", "x"), WireError);
}

TEST(Wire, Base64RoundTripsAndRefusesNoise) {
  for (const std::string s : {"", "a", "ab", "abc", "abcd", "\xff\x00\x10"}) {
    const Bytes b(s.begin(), s.end());
    EXPECT_EQ(from_base64(to_base64(b), "x"), b) << s;
  }
  EXPECT_EQ(to_base64(Bytes{'a', 'b'}), "YWI=");
  EXPECT_THROW(from_base64("YWI", "x"), WireError);
  EXPECT_THROW(from_base64("Y=WI", "x"), WireError);
  EXPECT_THROW(from_base64("YW I", "x"), WireError);
  EXPECT_THROW(from_base64("YW*=", "x"), WireError);
}

TEST(Wire, LicenseRecordRoundTrips) {
  LicenseRecordView v;
  v.holder_ref = "H123";
  v.license_number = "301234567890";
  v.expiry = "2029-05-12";
  v.color = "優良";
  v.classes = {{"futsu", "2005-06-01"}};
  v.conditions = {"眼鏡等"};
  v.commission = "東京都公安委員会";
  v.holding_form = HoldingForm::myna_only;
  v.license_ap_recorded = true;
  v.photo_j2k = {0xFF, 0x4F, 0xFF, 0x51};
  const auto back = round_trip(v);
  EXPECT_EQ(back.license_number, v.license_number);
  EXPECT_EQ(back.classes[0].date, "2005-06-01");
  EXPECT_EQ(back.holding_form, HoldingForm::myna_only);
  EXPECT_EQ(back.photo_j2k, v.photo_j2k);
  EXPECT_EQ(back.conditions, v.conditions);
}

TEST(Wire, IssuerTypesRoundTrip) {
  IssuerSession s{
      "S1",
      IssuerOperation::erase,
      {PhaseName::license_ap, Bytes(16, 0xA0), Bytes(8, 1), Bytes(5, 0), Bytes(14, 0x80)}};
  const auto back = round_trip(s);
  EXPECT_EQ(back.operation, IssuerOperation::erase);
  EXPECT_EQ(Json(s)["operation"], "delete");
  EXPECT_EQ(back.next.host_challenge, Bytes(8, 1));
  PhaseVerdict v;
  v.complete = false;
  v.accepted = 3;
  v.status = 0x6982;
  EXPECT_EQ(Json(v)["status"], "6982");
  EXPECT_EQ(round_trip(v).status, 0x6982);
  v.complete = true;
  v.status = 0;
  v.next = s.next;
  EXPECT_EQ(round_trip(v).next->phase, PhaseName::license_ap);
  PhaseCommands c{PhaseName::isd, {{0x84, 0x82, 0x13, 0x00}}};
  EXPECT_EQ(round_trip(c).commands, c.commands);
}

TEST(Wire, TheNewPinIsCheckedAndNeverEchoed) {
  IssuerSessionRequest q;
  q.holder_ref = "H1";
  q.new_pin.emplace(std::string_view("2580"));
  const auto back = round_trip(q);
  ASSERT_TRUE(back.new_pin.has_value());
  EXPECT_EQ(std::string(back.new_pin->bytes().begin(), back.new_pin->bytes().end()), "2580");
  for (const char* pin : {"12a4", "123", "12345", ""}) {
    try {
      (void)parse_body<IssuerSessionRequest>(
          Json{{"operation", "record"}, {"holder_ref", "H1"}, {"new_pin", pin}}.dump());
      ADD_FAILURE() << "accepted a bad PIN";
    } catch (const WireError& e) {
      EXPECT_EQ(e.field(), "new_pin");
      if (*pin != '\0') {
        EXPECT_THAT(e.what(), Not(HasSubstr(pin)));
      }
    }
  }
  EXPECT_EQ(refused_field<IssuerSessionRequest>(
                R"({"operation":"delete","holder_ref":"H1","new_pin":"1234"})"),
            "new_pin");
  EXPECT_EQ(refused_field<IssuerSessionRequest>(R"({"operation":"reset_pin","holder_ref":"H1"})"),
            "new_pin");
}

TEST(Wire, StaffSignInIsDigitsAndThePinIsNeverEchoed) {
  const auto back = round_trip(StaffSignInRequest{"100001", base::SecretBytes("246810")});
  EXPECT_EQ(back.staff_id, "100001");
  EXPECT_EQ(back.pin.reveal(), "246810");
  for (const char* pin : {"12a4", "123", "123456789", ""}) {
    try {
      (void)parse_body<StaffSignInRequest>(Json{{"staff_id", "100001"}, {"pin", pin}}.dump());
      ADD_FAILURE() << "accepted a bad PIN";
    } catch (const WireError& e) {
      EXPECT_EQ(e.field(), "pin");
      if (*pin != '\0') {
        EXPECT_THAT(e.what(), Not(HasSubstr(pin)));
      }
    }
  }
  EXPECT_EQ(refused_field<StaffSignInRequest>(R"({"staff_id":"12a4","pin":"1234"})"), "staff_id");
  EXPECT_EQ(refused_field<StaffMember>(R"({"staff_id":"1234","role":"root"})"), "role");
  // Only an Argon2id verifier is taken into the kiosk's copy.
  EXPECT_EQ(refused_field<StaffVerifiers>(
                R"({"staff":[{"staff_id":"1234","role":"staff","verifier":"$argon2i$v=19$x"}]})"),
            "staff[0].verifier");
  EXPECT_EQ(round_trip(StaffVerifiers{{{"1234", "staff", "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$AA"}}})
                .staff.at(0)
                .role,
            "staff");
}

TEST(Wire, ARecordSessionCarriesTheHoldingFormOnlyForARecord) {
  IssuerSessionRequest q;
  q.holder_ref = "H1";
  q.new_pin.emplace(std::string_view("2580"));
  EXPECT_FALSE(round_trip(q).holding_form.has_value());
  q.holding_form = HoldingForm::myna_only;
  EXPECT_EQ(round_trip(q).holding_form, HoldingForm::myna_only);
  EXPECT_EQ(refused_field<IssuerSessionRequest>(
                R"({"operation":"record","holder_ref":"H1","new_pin":"1234",)"
                R"("holding_form":"conventional_only"})"),
            "holding_form");
  EXPECT_EQ(refused_field<IssuerSessionRequest>(
                R"({"operation":"delete","holder_ref":"H1","holding_form":"both"})"),
            "holding_form");
  EXPECT_EQ(refused_field<IssuerSessionRequest>(
                R"({"operation":"record","holder_ref":"H1","new_pin":"1234","holding_form":"x"})"),
            "holding_form");
  q.replace_card = true;
  EXPECT_TRUE(round_trip(q).replace_card);
  EXPECT_EQ(refused_field<IssuerSessionRequest>(
                R"({"operation":"delete","holder_ref":"H1","replace_card":true})"),
            "replace_card");
}

TEST(Wire, ARenewalOfferRoundTripsAndARewriteCarriesNoPin) {
  RenewalOffer o;
  o.holder_ref = "H1";
  o.current_expiry = "2029-05-12";
  o.new_expiry = "2034-05-12";
  o.color = "優良";
  o.category = "優良";
  o.conditions = {"眼鏡等"};
  o.birth_date = "1985-04-12";
  o.via = true;
  o.holding_form = HoldingForm::myna_only;
  const auto back = round_trip(o);
  EXPECT_EQ(back.new_expiry, "2034-05-12");
  EXPECT_EQ(back.conditions, o.conditions);
  EXPECT_TRUE(back.via);
  EXPECT_EQ(back.holding_form, HoldingForm::myna_only);
  Json bad = o;
  bad["new_expiry"] = "2034-13-40";
  EXPECT_EQ(refused_field<RenewalOffer>(bad.dump()), "new_expiry");
  EXPECT_EQ(
      parse_body<IssuerSessionRequest>(R"({"operation":"rewrite","holder_ref":"H1"})").operation,
      IssuerOperation::rewrite);
  EXPECT_EQ(refused_field<IssuerSessionRequest>(
                R"({"operation":"rewrite","holder_ref":"H1","new_pin":"1234"})"),
            "new_pin");
}

TEST(Wire, AuditBatchRoundTripsAndNamesTheBadRow) {
  const std::string h(64, 'a');
  AuditBatch b{"KIOSK-1",
               {{1, "2026-01-15T10:00:00+09:00", "kiosk", "start", "ok", "", h, h},
                {2, "2026-01-15T10:00:01Z", "staff", "unlock", "ok", "d", h, h}}};
  EXPECT_EQ(round_trip(b).rows[1].at, "2026-01-15T10:00:01Z");
  Json j = b;
  j["rows"][1]["hash"] = "xyz";
  EXPECT_EQ(refused_field<AuditBatch>(j.dump()), "rows[1].hash");
  j = b;
  j["rows"][0]["at"] = "2026-01-15 10:00";
  EXPECT_EQ(refused_field<AuditBatch>(j.dump()), "rows[0].at");
  j = b;
  j["rows"][0]["seq"] = "1";
  EXPECT_EQ(refused_field<AuditBatch>(j.dump()), "rows[0].seq");
  j["rows"] = Json::array();
  EXPECT_EQ(refused_field<AuditBatch>(j.dump()), "rows");
}

TEST(Wire, GarbageIsRefusedWithTheFieldName) {
  EXPECT_EQ(refused_field<HolderLookupRequest>("not json"), "");
  EXPECT_EQ(refused_field<HolderLookupRequest>("[]"), "");
  EXPECT_EQ(refused_field<HolderLookupRequest>("{}"), "license_number");
  EXPECT_EQ(
      refused_field<HolderLookupRequest>(
          R"({"license_number":"30123456789X","birth_date":"1985-04-12","name":"a","address":""})"),
      "license_number");
  EXPECT_EQ(
      refused_field<HolderLookupRequest>(
          R"({"license_number":"301234567890","birth_date":"1985-13-12","name":"a","address":""})"),
      "birth_date");
  EXPECT_EQ(
      refused_field<HolderLookupRequest>(
          R"({"license_number":"301234567890","birth_date":"1985-04-12","name":7,"address":""})"),
      "name");
  EXPECT_EQ(refused_field<PhaseAnswersRequest>(R"({"answers":["9000","9G00"]})"), "answers[1]");
  EXPECT_EQ(refused_field<PhaseAnswersRequest>(R"({"answers":["90"]})"), "answers[0]");
  EXPECT_EQ(refused_field<PhaseOpenRequest>(R"({"init_update_answer":"9000"})"),
            "init_update_answer");
  EXPECT_EQ(refused_field<IssuerSessionRequest>(R"({"operation":"format","holder_ref":"H"})"),
            "operation");
  EXPECT_EQ(refused_field<SignedSubmission>(
                R"({"holder_ref":"H","document":"YQ==","signature":"!!!!","certificate":"YQ=="})"),
            "signature");
  EXPECT_EQ(refused_field<ConsentRequest>(
                Json{{"holder_ref", "H"},
                     {"document", "YQ=="},
                     {"signature", to_base64(Bytes(256, 1))},
                     {"certificate", to_base64(Bytes(300, 1))},
                     {"items", {{"address", true}, {"name", "yes"}, {"birth_date", false}}}}
                    .dump()),
            "items.name");
  EXPECT_EQ(
      refused_field<ReferenceData>(
          R"({"version":"1","fees":[{"id":"a","yen":-1}],"holidays":[],"opening_hours":[],"texts":[]})"),
      "fees[0].yen");
}

TEST(Wire, ErrorEnvelopeRoundTrips) {
  const Json j = error_envelope({"holder_not_found", "no such holder", false});
  const ErrorBody e = parse_error_envelope(j.dump());
  EXPECT_EQ(e.code, "holder_not_found");
  EXPECT_FALSE(e.retryable);
  EXPECT_THROW(parse_error_envelope(R"({"code":"x"})"), WireError);
}

}  // namespace
}  // namespace mk::center::api
