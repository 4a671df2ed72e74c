// The centre's renewal arithmetic (道路交通法 第92条の2): one case per rule.
#include "center/sim/license_validity.hpp"

#include <gtest/gtest.h>

namespace {

using mk::center::sim::DriverCategory;
using mk::center::sim::renewed_last_day;
using mk::devices::sim::Date;
using mk::devices::sim::parse_date;

Date d(const char* iso) {
  return parse_date(iso);
}

TEST(LicenseValidity, CategoriesAreTheCentresFourAndNothingElse) {
  EXPECT_EQ(mk::center::sim::driver_category("優良"), DriverCategory::excellent);
  EXPECT_EQ(mk::center::sim::driver_category("一般"), DriverCategory::general);
  EXPECT_EQ(mk::center::sim::driver_category("違反"), DriverCategory::violator);
  EXPECT_EQ(mk::center::sim::driver_category("初回更新"), DriverCategory::first_renewal);
  // 新規 is a colour band on the licence face, not a driver category.
  EXPECT_FALSE(mk::center::sim::driver_category("新規").has_value());
}

TEST(LicenseValidity, RenewalPeriodRunsFromAMonthBeforeTheBirthdayToTheLastDay) {
  const auto p = mk::center::sim::renewal_period(d("1976-04-12"), d("2026-05-12"));
  EXPECT_EQ(p.birthday, d("2026-04-12"));
  EXPECT_EQ(p.first, d("2026-03-12"));
  EXPECT_EQ(p.last, d("2026-05-12"));
}

TEST(LicenseValidity, ExcellentAndGeneralDriversGetFiveYears) {
  EXPECT_EQ(renewed_last_day(d("1976-04-12"), d("2026-05-12"), DriverCategory::excellent,
                             d("2026-04-20")),
            d("2031-05-12"));
  EXPECT_EQ(
      renewed_last_day(d("1976-04-12"), d("2026-05-12"), DriverCategory::general, d("2026-04-20")),
      d("2031-05-12"));
}

TEST(LicenseValidity, ViolatorsAndFirstRenewalsGetThreeYears) {
  EXPECT_EQ(
      renewed_last_day(d("1976-04-12"), d("2026-05-12"), DriverCategory::violator, d("2026-04-20")),
      d("2029-05-12"));
  EXPECT_EQ(renewed_last_day(d("2004-08-07"), d("2028-09-07"), DriverCategory::first_renewal,
                             d("2028-08-01")),
            d("2031-09-07"));
}

TEST(LicenseValidity, SixtyNineStillGetsFiveYears) {
  EXPECT_EQ(renewed_last_day(d("1957-04-12"), d("2026-05-12"), DriverCategory::excellent,
                             d("2026-04-20")),
            d("2031-05-12"));
}

TEST(LicenseValidity, SeventyGetsFourYears) {
  EXPECT_EQ(mk::center::sim::validity_years(DriverCategory::excellent, 70), 4);
  EXPECT_EQ(renewed_last_day(d("1956-04-12"), d("2026-05-12"), DriverCategory::excellent,
                             d("2026-04-20")),
            d("2030-05-12"));
  // 更新日等: the age on the day of the renewal — renewed in the month before the 70th birthday,
  // still 69.
  EXPECT_EQ(renewed_last_day(d("1956-04-12"), d("2026-05-12"), DriverCategory::excellent,
                             d("2026-03-20")),
            d("2031-05-12"));
}

TEST(LicenseValidity, SeventyOneAndOlderGetThreeYears) {
  EXPECT_EQ(
      renewed_last_day(d("1955-04-12"), d("2026-05-12"), DriverCategory::general, d("2026-04-20")),
      d("2029-05-12"));
  EXPECT_EQ(mk::center::sim::validity_years(DriverCategory::excellent, 85), 3);
}

TEST(LicenseValidity, AViolatorOfSeventyStaysAtThreeYears) {
  EXPECT_EQ(mk::center::sim::validity_years(DriverCategory::violator, 70), 3);
}

TEST(LicenseValidity, BornOnTheTwentyNinthOfFebruary) {
  // The birthday of a common year is 28 February; the last day is a month on.
  EXPECT_EQ(renewed_last_day(d("1988-02-29"), d("2026-03-28"), DriverCategory::excellent,
                             d("2026-03-01")),
            d("2031-03-28"));
  // In a leap year the 29th itself.
  EXPECT_EQ(renewed_last_day(d("1988-02-29"), d("2027-03-28"), DriverCategory::excellent,
                             d("2027-03-01")),
            d("2032-03-29"));
}

TEST(LicenseValidity, AgeIsCountedInWholeYears) {
  EXPECT_EQ(mk::center::sim::age_on(d("1956-04-12"), d("2026-04-11")), 69);
  EXPECT_EQ(mk::center::sim::age_on(d("1956-04-12"), d("2026-04-12")), 70);
}

}  // namespace
