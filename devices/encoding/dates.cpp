#include "devices/encoding/dates.hpp"

#include <array>

#include <fmt/format.h>

namespace mk::devices {

namespace {

struct Era {
  int code = 0;
  Date first;
  Date last;
};

// Start and end of each era (明治 counted from 1868-01-01, as dates on cards are).
constexpr std::array<Era, 5> kEras = {{
    {1, {1868, 1, 1}, {1912, 7, 29}},
    {2, {1912, 7, 30}, {1926, 12, 24}},
    {3, {1926, 12, 25}, {1989, 1, 7}},
    {4, {1989, 1, 8}, {2019, 4, 30}},
    {5, {2019, 5, 1}, {9999, 12, 31}},
}};

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
}

std::optional<int> digits(std::string_view text) {
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::string Date::iso() const {
  return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
}

bool is_valid_date(const Date& d) {
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= days_in_month(d.year, d.month);
}

std::optional<Date> parse_era_date(std::string_view text) {
  if (text.size() != 7) {
    return std::nullopt;
  }
  const auto era_code = digits(text.substr(0, 1));
  const auto yy = digits(text.substr(1, 2));
  const auto mm = digits(text.substr(3, 2));
  const auto dd = digits(text.substr(5, 2));
  if (!era_code || !yy || !mm || !dd || *yy == 0) {
    return std::nullopt;
  }
  for (const Era& era : kEras) {
    if (era.code == *era_code) {
      const Date date{era.first.year + *yy - 1, *mm, *dd};
      if (!is_valid_date(date) || date < era.first || date > era.last) {
        return std::nullopt;
      }
      return date;
    }
  }
  return std::nullopt;
}

std::optional<Date> parse_era_date(std::span<const uint8_t> bytes) {
  return parse_era_date(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

bool is_era_date_empty(std::span<const uint8_t> bytes) {
  if (bytes.empty()) {
    return true;
  }
  if (bytes.size() != 7 || bytes[0] < '0' || bytes[0] > '9') {
    return false;
  }
  for (size_t i = 1; i < bytes.size(); ++i) {
    if (bytes[i] != '0') {
      return false;
    }
  }
  return true;
}

std::optional<std::string> to_era_date(const Date& date) {
  if (!is_valid_date(date)) {
    return std::nullopt;
  }
  for (auto it = kEras.rbegin(); it != kEras.rend(); ++it) {
    if (date >= it->first && date <= it->last) {
      if (date.year - it->first.year + 1 > 99) {
        return std::nullopt;  // two digits of era year: 令和100年 has no 7-digit form
      }
      return fmt::format("{}{:02d}{:02d}{:02d}", it->code, date.year - it->first.year + 1,
                         date.month, date.day);
    }
  }
  return std::nullopt;
}

std::optional<Date> parse_yyyymmdd(std::string_view text) {
  if (text.size() != 8) {
    return std::nullopt;
  }
  const auto y = digits(text.substr(0, 4));
  const auto m = digits(text.substr(4, 2));
  const auto d = digits(text.substr(6, 2));
  if (!y || !m || !d) {
    return std::nullopt;
  }
  const Date date{*y, *m, *d};
  return is_valid_date(date) ? std::optional<Date>(date) : std::nullopt;
}

std::optional<Date> parse_bcd_date(std::span<const uint8_t> bytes) {
  if (bytes.size() != 4) {
    return std::nullopt;
  }
  std::string text;
  for (const uint8_t b : bytes) {
    const int high = b >> 4;
    const int low = b & 0x0F;
    if (high > 9 || low > 9) {
      return std::nullopt;
    }
    text += static_cast<char>('0' + high);
    text += static_cast<char>('0' + low);
  }
  return parse_yyyymmdd(text);
}

}  // namespace mk::devices
