// Table tests of the licence rules, each named after the requirement tag (R-…) of
// /work/shared/requirements.md it pins down, with the FAQ's own examples where it gives any.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/rules/calendar.hpp"
#include "flows/rules/card_expiry.hpp"
#include "flows/rules/holding_form.hpp"
#include "flows/rules/lecture.hpp"
#include "flows/rules/license_pin.hpp"
#include "flows/rules/one_stop.hpp"
#include "flows/rules/pin_tries.hpp"
#include "flows/rules/portal_linkage.hpp"
#include "flows/rules/same_person.hpp"
#include "flows/rules/signing_certificate.hpp"
#include "flows/rules/via.hpp"

namespace mk::flows {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

CivilDate d(const char* iso) {
  const auto date = parse_iso_date(iso);
  EXPECT_TRUE(date.has_value()) << iso;
  return date.value_or(CivilDate{});
}

// --- the calendar -------------------------------------------------------------------------

TEST(Calendar, ParsesOnlyRealDays) {
  EXPECT_EQ(d("2024-02-29"), (CivilDate{2024, 2, 29}));
  EXPECT_FALSE(parse_iso_date("2025-02-29"));
  EXPECT_FALSE(parse_iso_date("2025-13-01"));
  EXPECT_FALSE(parse_iso_date("2025-1-01"));
  EXPECT_FALSE(parse_iso_date("20250101"));
  EXPECT_EQ(d("2025-03-07").iso(), "2025-03-07");
}

TEST(Calendar, AMonthBackClampsToTheShorterMonth) {
  struct Case {
    const char* from;
    int months;
    const char* to;
  };
  for (const Case c : {Case{"2025-03-31", -1, "2025-02-28"}, Case{"2024-03-31", -1, "2024-02-29"},
                       Case{"2025-05-31", -1, "2025-04-30"}, Case{"2025-01-15", -1, "2024-12-15"},
                       Case{"2025-12-31", 2, "2026-02-28"}, Case{"2025-06-10", 0, "2025-06-10"}}) {
    EXPECT_EQ(add_months(d(c.from), c.months), d(c.to)) << c.from << " " << c.months;
  }
}

TEST(Calendar, TheTwentyNinthOfFebruaryIsTheTwentyEighthInACommonYear) {
  const CivilDate leapling = d("2000-02-29");
  EXPECT_EQ(birthday_in(leapling, 2024), d("2024-02-29"));
  EXPECT_EQ(birthday_in(leapling, 2025), d("2025-02-28"));
  EXPECT_EQ(age_on(leapling, d("2025-02-27")), 24);
  EXPECT_EQ(age_on(leapling, d("2025-02-28")), 25);
  EXPECT_EQ(age_on(leapling, d("2028-02-28")), 27);
  EXPECT_EQ(age_on(leapling, d("2028-02-29")), 28);
}

TEST(Calendar, TheBirthdayBeforeADayIsStrictlyBeforeIt) {
  const CivilDate birth = d("1985-04-12");
  EXPECT_EQ(birthday_before(birth, d("2029-05-12")), d("2029-04-12"));
  EXPECT_EQ(birthday_before(birth, d("2029-04-12")), d("2028-04-12"));
  EXPECT_EQ(birthday_before(birth, d("2029-01-01")), d("2028-04-12"));
}

// --- holding forms --------------------------------------------------------------------------

TEST(HoldingForms, R_FORMS_EveryFormCanChangeAtTheHomeCentreAtAnyTime) {
  EXPECT_THAT(allowed_changes(HoldingForm::conventional_only, Venue::home_centre),
              ElementsAre(FormChange::record_on_card));
  EXPECT_THAT(allowed_changes(HoldingForm::both, Venue::home_centre),
              ElementsAre(FormChange::return_conventional, FormChange::erase_from_card));
  EXPECT_THAT(allowed_changes(HoldingForm::myna_only, Venue::home_centre),
              ElementsAre(FormChange::issue_conventional));
}

TEST(HoldingForms, R_FORM_ADD_CONV_MynaOnlyMayGetAConventionalLicenceAgain) {
  EXPECT_EQ(form_after(HoldingForm::myna_only, FormChange::issue_conventional), HoldingForm::both);
}

TEST(HoldingForms, R_FORM_DROP_BothMayReturnTheCardOrEraseTheRecord) {
  EXPECT_EQ(form_after(HoldingForm::both, FormChange::return_conventional), HoldingForm::myna_only);
  EXPECT_EQ(form_after(HoldingForm::both, FormChange::erase_from_card),
            HoldingForm::conventional_only);
  EXPECT_EQ(form_after(HoldingForm::conventional_only, FormChange::record_on_card, false),
            HoldingForm::myna_only);
  EXPECT_EQ(form_after(HoldingForm::conventional_only, FormChange::record_on_card, true),
            HoldingForm::both);
}

TEST(HoldingForms, R_VIA_ThroughAViaApplicationOnlyReturningTheConventionalLicence) {
  EXPECT_THAT(allowed_changes(HoldingForm::both, Venue::via_application),
              ElementsAre(FormChange::return_conventional));
  EXPECT_THAT(allowed_changes(HoldingForm::conventional_only, Venue::via_application), IsEmpty());
  EXPECT_THAT(allowed_changes(HoldingForm::myna_only, Venue::via_application), IsEmpty());
}

// --- 経由申請 --------------------------------------------------------------------------------

struct PeriodCase {
  HoldingForm form;
  const char* birth;
  const char* expiry;
  const char* first;
  const char* last;
};

TEST(Via, R_VIA_PeriodByHoldingForm) {
  const PeriodCase cases[] = {
      // Conventional only: one month before the birthday preceding expiry .. that birthday.
      {HoldingForm::conventional_only, "1985-04-12", "2029-05-12", "2029-03-12", "2029-04-12"},
      // Myna holders: .. the last day of validity.
      {HoldingForm::myna_only, "1985-04-12", "2029-05-12", "2029-03-12", "2029-05-12"},
      {HoldingForm::both, "1985-04-12", "2029-05-12", "2029-03-12", "2029-05-12"},
      // A birthday on the 31st: a month before is the shorter month's last day.
      {HoldingForm::conventional_only, "1970-03-31", "2027-04-30", "2027-02-28", "2027-03-31"},
      // 29 February: the birthday is 28 February in a common year ...
      {HoldingForm::conventional_only, "1992-02-29", "2027-03-29", "2027-01-28", "2027-02-28"},
      {HoldingForm::myna_only, "1992-02-29", "2027-03-29", "2027-01-28", "2027-03-29"},
      // ... and 29 February in a leap year.
      {HoldingForm::conventional_only, "1992-02-29", "2028-03-29", "2028-01-29", "2028-02-29"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(via_period(c.form, d(c.birth), d(c.expiry)), (DateRange{d(c.first), d(c.last)}))
        << to_string(c.form) << " born " << c.birth << " expiring " << c.expiry;
  }
}

ViaInput via_base() {
  ViaInput in;
  in.form = HoldingForm::myna_only;
  in.category = DriverCategory::excellent;
  in.conditions = {"眼鏡等"};
  in.birth = d("1985-04-12");
  in.expiry = d("2029-05-12");
  in.today = d("2029-04-01");
  return in;
}

TEST(Via, R_VIA_ExcellentAndGeneralDriversWithGlassesOrHearingAidsAreEligible) {
  for (const auto category : {DriverCategory::excellent, DriverCategory::general}) {
    ViaInput in = via_base();
    in.category = category;
    in.conditions = {"眼鏡等", "補聴器", "AT車に限る"};
    const ViaDecision v = decide_via(in);
    EXPECT_TRUE(v.eligible);
    EXPECT_THAT(v.refusals, IsEmpty());
  }
}

TEST(Via, R_VIA_RefusalsAreAllListed) {
  ViaInput in = via_base();
  in.category = DriverCategory::violator;
  in.conditions = {"身体障害者用車両に限る", "謎の条件"};
  in.relapsed_at_last_renewal = true;
  in.today = d("2029-05-13");
  EXPECT_THAT(decide_via(in).refusals,
              ElementsAre(ViaRefusal::category, ViaRefusal::physical_condition,
                          ViaRefusal::condition_unknown, ViaRefusal::relapsed_last_time,
                          ViaRefusal::after_period));
  in = via_base();
  in.category = DriverCategory::first;
  in.today = d("2029-03-11");
  EXPECT_THAT(decide_via(in).refusals,
              ElementsAre(ViaRefusal::category, ViaRefusal::before_period));
}

TEST(Via, R_VIA_ThePeriodEdgesAreInside) {
  ViaInput in = via_base();
  in.form = HoldingForm::conventional_only;
  in.today = d("2029-03-12");
  EXPECT_TRUE(decide_via(in).eligible);
  in.today = d("2029-04-12");
  EXPECT_TRUE(decide_via(in).eligible);
  in.today = d("2029-04-13");  // after the birthday: conventional only is over
  EXPECT_FALSE(decide_via(in).eligible);
  in.form = HoldingForm::both;  // a Myna holder still has until the last day of validity
  EXPECT_TRUE(decide_via(in).eligible);
}

TEST(Via, R_VIA_MynaOnlyIsFinishedTodayBothGetsTheConventionalCardLater) {
  ViaInput in = via_base();
  auto v = decide_via(in);
  EXPECT_TRUE(v.rewrite_today);
  EXPECT_FALSE(v.new_conventional_card_later);
  in.form = HoldingForm::both;
  v = decide_via(in);
  EXPECT_TRUE(v.rewrite_today);
  EXPECT_TRUE(v.new_conventional_card_later);
  in.form = HoldingForm::conventional_only;
  in.today = d("2029-04-01");
  v = decide_via(in);
  EXPECT_FALSE(v.rewrite_today);
  EXPECT_TRUE(v.new_conventional_card_later);
}

// --- online lectures ------------------------------------------------------------------------

LectureInput lecture_base() {
  LectureInput in;
  in.form = HoldingForm::myna_only;
  in.category = DriverCategory::general;
  in.birth = d("1985-04-12");
  in.expiry = d("2029-05-12");
  in.today = d("2029-04-20");
  in.minutes_since_linkage = 24 * 60;
  return in;
}

TEST(Lecture, R_LECTURE_EligibleInTheRenewalPeriod) {
  const LectureDecision v = decide_lecture(lecture_base());
  EXPECT_TRUE(v.eligible);
  EXPECT_EQ(v.period, (DateRange{d("2029-03-12"), d("2029-05-12")}));
}

TEST(Lecture, R_LECTURE_EachRefusal) {
  struct Case {
    void (*change)(LectureInput&);
    LectureRefusal refusal;
  };
  const Case cases[] = {
      {[](LectureInput& in) { in.category = DriverCategory::violator; }, LectureRefusal::category},
      {[](LectureInput& in) { in.form = HoldingForm::conventional_only; },
       LectureRefusal::no_myna_license},
      {[](LectureInput& in) { in.birth = d("1959-05-01"); }, LectureRefusal::elderly_lecture},
      {[](LectureInput& in) { in.suspended = true; }, LectureRefusal::suspended},
      {[](LectureInput& in) { in.today = d("2029-03-11"); }, LectureRefusal::outside_period},
      {[](LectureInput& in) { in.today = d("2029-05-13"); }, LectureRefusal::outside_period},
      {[](LectureInput& in) { in.minutes_since_linkage.reset(); }, LectureRefusal::not_linked},
      {[](LectureInput& in) { in.minutes_since_linkage = 59; },
       LectureRefusal::linked_too_recently},
  };
  for (const auto& c : cases) {
    LectureInput in = lecture_base();
    c.change(in);
    const LectureDecision v = decide_lecture(in);
    EXPECT_FALSE(v.eligible);
    EXPECT_THAT(v.refusals, ElementsAre(c.refusal));
  }
}

TEST(Lecture, R_LECTURE_SixtyNineOnTheLastDayIsStillOnline) {
  LectureInput in = lecture_base();
  in.birth = d("1959-05-13");  // 69 on 2029-05-12, 70 the day after
  EXPECT_TRUE(decide_lecture(in).eligible);
}

TEST(Lecture, R_LECTURE_Fees) {
  EXPECT_EQ(online_lecture_fee(DriverCategory::excellent), 200);
  EXPECT_EQ(online_lecture_fee(DriverCategory::general), 200);
  EXPECT_EQ(online_lecture_fee(DriverCategory::violator), std::nullopt);
  EXPECT_EQ(in_person_lecture_fee(DriverCategory::excellent), 500);
  EXPECT_EQ(in_person_lecture_fee(DriverCategory::general), 800);
}

// --- card and certificate expiry ------------------------------------------------------------

CardFacts facts() {
  CardFacts f;
  f.today = d("2026-11-27");
  f.card_expiry = d("2030-04-12");
  f.sign_not_before = d("2025-03-24");
  f.sign_not_after = d("2030-04-12");
  return f;
}

TEST(Expiry, R_CARD_EXPIRY_AnExpiredCardStillReadsButDoesNotRenew) {
  CardFacts f = facts();
  f.card_expiry = d("2026-11-26");
  EXPECT_EQ(decide_expiry(CardOperation::read_back, f).verdict, Verdict::allowed);
  const auto renew = decide_expiry(CardOperation::renewal_rewrite, f);
  EXPECT_EQ(renew.verdict, Verdict::refused);
  EXPECT_EQ(renew.reason, ExpiryReason::card_expired);
}

TEST(Expiry, R_CARD_EXPIRY_ACardNearItsEndWarnsBeforeRecording) {
  CardFacts f = facts();
  f.card_expiry = add_days(f.today, kCardExpiryWarningDays);
  auto v = decide_expiry(CardOperation::record, f);
  EXPECT_EQ(v.verdict, Verdict::allowed_with_warning);
  EXPECT_EQ(v.reason, ExpiryReason::card_expiring_soon);
  f.card_expiry = add_days(f.today, kCardExpiryWarningDays + 1);
  EXPECT_EQ(decide_expiry(CardOperation::record, f).verdict, Verdict::allowed);
  f.card_expiry = f.today;  // the last valid day is still valid
  EXPECT_EQ(decide_expiry(CardOperation::renewal_rewrite, f).verdict, Verdict::allowed);
}

TEST(Expiry, R_CERT_EXPIRY_RecordingWorksWithExpiredCertificates) {
  CardFacts f = facts();
  f.sign_not_after = d("2026-01-01");
  EXPECT_EQ(decide_expiry(CardOperation::record, f).verdict, Verdict::allowed);
  f.sign_not_before.reset();
  f.sign_not_after.reset();
  EXPECT_EQ(decide_expiry(CardOperation::record, f).verdict, Verdict::allowed);
}

TEST(Expiry, R_CERT_EXPIRY_OneStopAndLinkageNeedAValidSigningCertificate) {
  for (const auto op : {CardOperation::onestop_start, CardOperation::portal_linkage}) {
    CardFacts f = facts();
    EXPECT_EQ(decide_expiry(op, f).verdict, Verdict::allowed);
    f.sign_not_after = d("2026-11-26");
    EXPECT_EQ(decide_expiry(op, f).reason, ExpiryReason::sign_cert_expired);
    f.sign_not_before.reset();
    EXPECT_EQ(decide_expiry(op, f).reason, ExpiryReason::sign_cert_missing);
  }
}

TEST(Expiry, R_OS_SAME_DAY_ACertificateIssuedTodayCannotStartOneStop) {
  CardFacts f = facts();
  f.sign_not_before = f.today;
  const auto v = decide_expiry(CardOperation::onestop_start, f);
  EXPECT_EQ(v.verdict, Verdict::refused);
  EXPECT_EQ(v.reason, ExpiryReason::sign_cert_issued_today);
  // The linkage has no such rule, and tomorrow the start works.
  EXPECT_EQ(decide_expiry(CardOperation::portal_linkage, f).verdict, Verdict::allowed);
  f.today = add_days(f.today, 1);
  EXPECT_EQ(decide_expiry(CardOperation::onestop_start, f).verdict, Verdict::allowed);
}

// --- the licence PIN ------------------------------------------------------------------------

TEST(LicensePin, R_LIC_PIN_FourDigitsExactly) {
  EXPECT_EQ(check_license_pin_format("4821"), PinProblem::none);
  EXPECT_EQ(check_license_pin_format("482"), PinProblem::wrong_length);
  EXPECT_EQ(check_license_pin_format("48210"), PinProblem::wrong_length);
  EXPECT_EQ(check_license_pin_format(""), PinProblem::wrong_length);
  EXPECT_EQ(check_license_pin_format("48a1"), PinProblem::not_digits);
  EXPECT_EQ(check_license_pin_format("４８２１"), PinProblem::not_digits);  // full-width
}

TEST(LicensePin, R_LIC_PIN_TypedTwice) {
  EXPECT_EQ(check_license_pin_pair("4821", "4821"), PinProblem::none);
  EXPECT_EQ(check_license_pin_pair("4821", "4812"), PinProblem::mismatch);
  EXPECT_EQ(check_license_pin_pair("4821", "482"), PinProblem::mismatch);
  EXPECT_EQ(check_license_pin_pair("482", "482"), PinProblem::wrong_length);
}

TEST(LicensePin, R_LIC_PIN_EasyGuessesAreWarnedAbout) {
  for (const char* pin : {"0000", "1111", "9999"}) {
    EXPECT_EQ(license_pin_warning(pin), PinWarning::all_same) << pin;
  }
  for (const char* pin : {"0123", "1234", "6789", "9876", "3210"}) {
    EXPECT_EQ(license_pin_warning(pin), PinWarning::sequence) << pin;
  }
  for (const char* pin : {"4821", "1212", "1235", "9012", "1100"}) {
    EXPECT_EQ(license_pin_warning(pin), PinWarning::none) << pin;
  }
}

ConsentDocument a_consent() {
  ConsentDocument d;
  d.holder_ref = "H1A2";
  d.items.address = true;
  d.items.birth_date = true;
  d.terms_version = std::string(kOneStopTermsVersion);
  d.terminal = "KIOSK-TEST-0001";
  d.time = "2026-11-27T10:15:00+09:00";
  d.nonce_hex = "0123456789ABCDEF";
  return d;
}

TEST(OneStopConsent, R_OS_STEPS_TheSignedTextIsCanonicalAndReadsBack) {
  const std::string text = to_canonical_text(a_consent());
  EXPECT_EQ(text, "mynakiosk-onestop-consent/1\nholder: H1A2\nitems: address birth_date\nterms: " +
                      std::string(kOneStopTermsVersion) +
                      "\nterminal: KIOSK-TEST-0001\ntime: 2026-11-27T10:15:00+09:00\nnonce: "
                      "0123456789ABCDEF\n");
  const auto back = parse_consent_document(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, a_consent());
}

TEST(OneStopConsent, AnyOtherSpellingOfTheSameConsentIsRefused) {
  const std::string text = to_canonical_text(a_consent());
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  for (const std::string& other :
       {replaced("items: address birth_date", "items: birth_date address"),
        replaced("items: address birth_date", "items: address address birth_date"),
        replaced("items: address birth_date", "items: address  birth_date"),
        replaced("items: address birth_date", "items: address nickname"),
        replaced("holder: ", "holder:"), replaced("nonce: 0123456789ABCDEF", "nonce: 0123abcd"),
        replaced("mynakiosk-onestop-consent/1", "mynakiosk-onestop-consent/2"),
        text.substr(0, text.size() - 1), text + "extra: 1\n", replaced("\n", "\r\n")}) {
    EXPECT_FALSE(parse_consent_document(other)) << other;
  }
}

TEST(OneStopConsent, AConsentWithoutItemsOrWithALineBreakInAValueCannotBeWritten) {
  ConsentDocument none = a_consent();
  none.items = {};
  EXPECT_THROW((void)to_canonical_text(none), std::invalid_argument);
  ConsentDocument broken = a_consent();
  broken.terminal = "KIOSK\nitems: name";
  EXPECT_THROW((void)to_canonical_text(broken), std::invalid_argument);
}

TEST(OneStopConsent, ItemListsKeepOneOrder) {
  ConsentItems items;
  EXPECT_TRUE(toggle_consent_item(items, "birth_date"));
  EXPECT_TRUE(toggle_consent_item(items, "address"));
  EXPECT_FALSE(toggle_consent_item(items, "nickname"));
  EXPECT_EQ(consent_item_list(items), "address birth_date");
  EXPECT_EQ(parse_consent_item_list("address birth_date"), items);
  EXPECT_FALSE(parse_consent_item_list("birth_date address"));
  EXPECT_TRUE(toggle_consent_item(items, "address"));
  EXPECT_EQ(consent_item_list(items), "birth_date");
}

TEST(OneStopEligibility, R_OS_TARGET_OnlyAMynaOnlyHolderAtTheHomeCentre) {
  EXPECT_EQ(one_stop_eligibility(HoldingForm::myna_only, true, false, true, true),
            OneStopEligibility::eligible);
  EXPECT_EQ(one_stop_eligibility(HoldingForm::both, true, false, true, true),
            OneStopEligibility::not_myna_only);
  EXPECT_EQ(one_stop_eligibility(HoldingForm::myna_only, false, false, true, true),
            OneStopEligibility::not_recorded);
  EXPECT_EQ(one_stop_eligibility(HoldingForm::myna_only, true, true, true, true),
            OneStopEligibility::driving_history);
  EXPECT_EQ(one_stop_eligibility(HoldingForm::myna_only, true, false, false, true),
            OneStopEligibility::record_elsewhere);
  EXPECT_EQ(one_stop_eligibility(HoldingForm::myna_only, true, false, true, false),
            OneStopEligibility::not_home_centre);
}

TEST(SigningCertificate, R_OS_SAME_DAY_R_CERT_EXPIRY_TheCertificatesDays) {
  const CivilDate from{2026, 11, 27};
  const CivilDate until{2031, 11, 3};
  EXPECT_EQ(signing_certificate_standing(from, until, {2026, 11, 27}, true),
            CertificateStanding::issued_today);
  EXPECT_EQ(signing_certificate_standing(from, until, {2026, 11, 27}, false),
            CertificateStanding::valid);  // the portal linkage has no same-day rule
  EXPECT_EQ(signing_certificate_standing(from, until, {2026, 11, 28}, true),
            CertificateStanding::valid);
  EXPECT_EQ(signing_certificate_standing(from, until, {2031, 11, 3}, true),
            CertificateStanding::valid);  // its last day is still good
  EXPECT_EQ(signing_certificate_standing(from, until, {2031, 11, 4}, true),
            CertificateStanding::expired);
  EXPECT_EQ(signing_certificate_standing(from, until, {2026, 11, 26}, true),
            CertificateStanding::not_yet_valid);
}

TEST(SigningCertificate, R_OS_PIN_LOCK_PinFormatAndTries) {
  EXPECT_EQ(check_sign_pin_format("ABC123"), SignPinProblem::none);
  EXPECT_EQ(check_sign_pin_format("ABCDEFGHIJ123456"), SignPinProblem::none);
  EXPECT_EQ(check_sign_pin_format("ABC12"), SignPinProblem::wrong_length);
  EXPECT_EQ(check_sign_pin_format("ABCDEFGHIJ1234567"), SignPinProblem::wrong_length);
  EXPECT_EQ(check_sign_pin_format("abc123"), SignPinProblem::not_alphanumeric);
  EXPECT_EQ(check_sign_pin_format("ABC 123"), SignPinProblem::not_alphanumeric);
  EXPECT_EQ(kSignPinTries, 5);
  EXPECT_EQ(tries_left(0), TriesLeft::none);
  EXPECT_EQ(tries_left(-1), TriesLeft::none);
  EXPECT_EQ(tries_left(1), TriesLeft::last);
  EXPECT_EQ(tries_left(2), TriesLeft::some);
  EXPECT_STREQ(wrong_pin_outcome(3), "wrong_pin");
  EXPECT_STREQ(wrong_pin_outcome(1), "wrong_pin");
  EXPECT_STREQ(wrong_pin_outcome(0), "pin_locked");
  EXPECT_STREQ(wrong_pin_outcome(-1), "pin_locked");
}

TEST(Via, R_VIA_ConditionsAreClassifiedWhateverTheirWidth) {
  EXPECT_EQ(classify_condition("ＡＴ車に限る"), ConditionKind::not_physical);
  EXPECT_EQ(classify_condition("中型車は中型車(8t)に限る"), ConditionKind::not_physical);
  EXPECT_EQ(classify_condition("眼 鏡 等"), ConditionKind::glasses);
  EXPECT_EQ(classify_condition("ＡＴ車"), ConditionKind::unknown);  // not the whole condition
  EXPECT_TRUE(via_allows_condition("ＡＴ車に限る"));
  EXPECT_FALSE(via_allows_condition("身体障害者用車両に限る"));
  // 経由申請 is not refused for a full-width spelling of an allowed condition.
  ViaInput in;
  in.form = HoldingForm::myna_only;
  in.category = DriverCategory::excellent;
  in.conditions = {"ＡＴ車に限る", "眼鏡等"};
  in.birth = {1985, 4, 12};
  in.expiry = {2027, 5, 12};
  in.today = {2027, 4, 1};
  EXPECT_TRUE(decide_via(in).eligible);
}

TEST(SamePerson, R_RECORD_NameAndBirthDateAsEachCardHoldsThem) {
  EXPECT_TRUE(same_person("山田　太郎", "1985-04-12", "山田 太郎", "1985-04-12"));
  EXPECT_TRUE(same_person("ヤマダ　タロウ", "1985-04-12", "ﾔﾏﾀﾞ ﾀﾛｳ", "1985-04-12"));
  EXPECT_FALSE(same_person("山田　太郎", "1985-04-12", "山田　花子", "1985-04-12"));
  EXPECT_FALSE(same_person("山田　太郎", "1985-04-12", "山田　太郎", "1985-04-13"));
  EXPECT_FALSE(same_person("山田　太郎", "", "山田　太郎", ""));  // a date is needed
  EXPECT_FALSE(same_person("", "1985-04-12", "", "1985-04-12"));  // and a name
}

LinkageDocument a_linkage() {
  return {"H1A2", "KIOSK-TEST-0001", "2026-11-27T10:15:00+09:00", "0123456789ABCDEF"};
}

TEST(PortalLinkage, R_PL_STEPS_TheSignedTextIsCanonicalAndReadsBack) {
  const std::string text = to_canonical_text(a_linkage());
  EXPECT_EQ(text,
            "mynakiosk-portal-linkage/1\nholder: H1A2\nterminal: KIOSK-TEST-0001\ntime: "
            "2026-11-27T10:15:00+09:00\nnonce: 0123456789ABCDEF\n");
  EXPECT_EQ(parse_linkage_document(text), a_linkage());
}

TEST(PortalLinkage, AnyOtherSpellingOrAConsentIsRefused) {
  const std::string text = to_canonical_text(a_linkage());
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  for (const std::string& other :
       {replaced("holder: ", "holder:"), replaced("holder: H1A2", "holder: "),
        replaced("terminal: KIOSK-TEST-0001", "terminal: KIOSK\rX"),
        replaced("nonce: 0123456789ABCDEF", "nonce: 0123abcd"),
        replaced("mynakiosk-portal-linkage/1", "mynakiosk-onestop-consent/1"),
        text.substr(0, text.size() - 1), text + "extra: 1\n", replaced("\n", "\r\n"),
        to_canonical_text(a_consent())}) {
    EXPECT_FALSE(parse_linkage_document(other)) << other;
  }
  // A linkage is not a consent either: the header names what was signed.
  EXPECT_FALSE(parse_consent_document(text));
  LinkageDocument broken = a_linkage();
  broken.holder_ref = "H1\nnonce: 00";
  EXPECT_THROW((void)to_canonical_text(broken), std::invalid_argument);
}

TEST(PortalLinkageEligibility, R_PL_TARGET_AMynaLicenceOrHistoryRecordedOnThisCardAtHome) {
  EXPECT_EQ(linkage_eligibility(true, true, true), LinkageEligibility::eligible);
  EXPECT_EQ(linkage_eligibility(false, true, true), LinkageEligibility::not_recorded);
  EXPECT_EQ(linkage_eligibility(true, false, true), LinkageEligibility::record_elsewhere);
  EXPECT_EQ(linkage_eligibility(true, true, false), LinkageEligibility::not_home_centre);
}
}  // namespace
}  // namespace mk::flows
