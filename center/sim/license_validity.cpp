#include "center/sim/license_validity.hpp"

#include <chrono>

namespace mk::center::sim {

namespace {

std::chrono::year_month_day ymd_of(const Date& d) {
  return {std::chrono::year(d.year), std::chrono::month(static_cast<unsigned>(d.month)),
          std::chrono::day(static_cast<unsigned>(d.day))};
}

// A day of a month that may not have it (29 February, 31 April): the month's last day.
Date clamped(std::chrono::year_month_day d) {
  if (!d.ok()) {
    d = std::chrono::year_month_day_last(d.year(), std::chrono::month_day_last(d.month()));
  }
  return {static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
          static_cast<int>(static_cast<unsigned>(d.day()))};
}

Date birthday_in(const Date& birth, int year) {
  return clamped(ymd_of({year, birth.month, birth.day}));
}

std::chrono::sys_days day(const Date& d) {
  return std::chrono::sys_days(ymd_of(d));
}

}  // namespace

std::optional<DriverCategory> driver_category(std::string_view name) {
  if (name == "優良") {
    return DriverCategory::excellent;
  }
  if (name == "一般") {
    return DriverCategory::general;
  }
  if (name == "違反") {
    return DriverCategory::violator;
  }
  if (name == "初回更新") {
    return DriverCategory::first_renewal;
  }
  return std::nullopt;
}

const char* band_after_renewal(DriverCategory category) {
  return category == DriverCategory::excellent ? "優良" : "一般";
}

RenewalPeriod renewal_period(const Date& birth, const Date& expiry) {
  RenewalPeriod p;
  p.birthday = birthday_in(birth, expiry.year);
  if (day(p.birthday) >= day(expiry)) {
    p.birthday = birthday_in(birth, expiry.year - 1);
  }
  p.first = clamped(ymd_of(p.birthday) - std::chrono::months(1));
  p.last = expiry;
  return p;
}

int age_on(const Date& birth, const Date& on) {
  const bool had_birthday =
      on.month > birth.month || (on.month == birth.month && on.day >= birth.day);
  return on.year - birth.year - (had_birthday ? 0 : 1);
}

int validity_years(DriverCategory category, int age) {
  if (category == DriverCategory::violator || category == DriverCategory::first_renewal) {
    return 3;
  }
  if (age >= 71) {
    return 3;
  }
  return age == 70 ? 4 : 5;
}

Date renewed_last_day(const Date& birth, const Date& expiry, DriverCategory category,
                      const Date& renewed_on) {
  const RenewalPeriod p = renewal_period(birth, expiry);
  const int years = validity_years(category, age_on(birth, renewed_on));
  return clamped(ymd_of(birthday_in(birth, p.birthday.year + years)) + std::chrono::months(1));
}

}  // namespace mk::center::sim
