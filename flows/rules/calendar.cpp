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

namespace {

// Minutes since 1970 of an RFC 3339 instant, in UTC.
std::optional<int64_t> epoch_minutes(std::string_view t) {
  const auto two = [&](size_t at) -> std::optional<int> {
    if (at + 2 > t.size() || t[at] < '0' || t[at] > '9' || t[at + 1] < '0' || t[at + 1] > '9') {
      return std::nullopt;
    }
    return (t[at] - '0') * 10 + (t[at + 1] - '0');
  };
  if (t.size() < 17 || t[10] != 'T' || t[13] != ':') {
    return std::nullopt;
  }
  const auto date = parse_iso_date(t.substr(0, 10));
  const auto hour = two(11);
  const auto minute = two(14);
  if (!date || !hour || !minute || *hour > 23 || *minute > 59) {
    return std::nullopt;
  }
  // The offset follows the seconds (and any fraction): the first of Z, + or - after them.
  const size_t zone = t.find_first_of("Z+-", 16);
  int offset = 0;
  if (zone == std::string_view::npos) {
    return std::nullopt;
  }
  if (t[zone] != 'Z') {
    const auto oh = two(zone + 1);
    const auto om = two(zone + 4);
    if (!oh || !om || zone + 3 >= t.size() || t[zone + 3] != ':') {
      return std::nullopt;
    }
    offset = (t[zone] == '+' ? 1 : -1) * (*oh * 60 + *om);
  }
  const int64_t day = to_days(*date).time_since_epoch().count();
  return day * 24 * 60 + int64_t{*hour} * 60 + *minute - offset;
}

}  // namespace

std::optional<int> minutes_between(std::string_view from, std::string_view to) {
  const auto a = epoch_minutes(from);
  const auto b = epoch_minutes(to);
  if (!a || !b) {
    return std::nullopt;
  }
  return static_cast<int>(*b - *a);
}

}  // namespace mk::flows
