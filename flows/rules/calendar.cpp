#include "flows/rules/calendar.hpp"

#include <cstdio>

namespace mk::flows {

namespace {

std::chrono::year_month_day ymd(const CivilDate& d) {
  return std::chrono::year{d.year} / std::chrono::month{static_cast<unsigned>(d.month)} /
         std::chrono::day{static_cast<unsigned>(d.day)};
}

int last_day_of(int year, int month) {
  const auto last = std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                    std::chrono::last;
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

}  // namespace

std::string CivilDate::iso() const {
  char text[16];
  (void)std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
  return text;
}

bool is_valid(const CivilDate& d) {
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && ymd(d).ok();
}

std::optional<CivilDate> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  auto number = [&](size_t at, size_t len) -> std::optional<int> {
    int value = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return std::nullopt;
      }
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto y = number(0, 4);
  const auto m = number(5, 2);
  const auto d = number(8, 2);
  if (!y || !m || !d) {
    return std::nullopt;
  }
  const CivilDate date{*y, *m, *d};
  if (!is_valid(date)) {
    return std::nullopt;
  }
  return date;
}

std::chrono::sys_days to_days(const CivilDate& d) {
  return std::chrono::sys_days{ymd(d)};
}

CivilDate from_days(std::chrono::sys_days days) {
  const std::chrono::year_month_day v{days};
  return {static_cast<int>(v.year()), static_cast<int>(static_cast<unsigned>(v.month())),
          static_cast<int>(static_cast<unsigned>(v.day()))};
}

CivilDate add_days(const CivilDate& d, int days) {
  return from_days(to_days(d) + std::chrono::days{days});
}

CivilDate add_months(const CivilDate& d, int months) {
  const int index = d.year * 12 + (d.month - 1) + months;
  const int year = index / 12;
  const int month = index % 12 + 1;
  const int last = last_day_of(year, month);
  return {year, month, d.day > last ? last : d.day};
}

CivilDate birthday_in(const CivilDate& birth, int year) {
  if (birth.month == 2 && birth.day == 29 && last_day_of(year, 2) == 28) {
    return {year, 2, 28};
  }
  return {year, birth.month, birth.day};
}

CivilDate birthday_before(const CivilDate& birth, const CivilDate& day) {
  CivilDate b = birthday_in(birth, day.year);
  if (!(b < day)) {
    b = birthday_in(birth, day.year - 1);
  }
  return b;
}

int age_on(const CivilDate& birth, const CivilDate& day) {
  int age = day.year - birth.year;
  if (day < birthday_in(birth, day.year)) {
    --age;
  }
  return age;
}

int days_between(const CivilDate& from, const CivilDate& to) {
  return static_cast<int>((to_days(to) - to_days(from)).count());
}

}  // namespace mk::flows
