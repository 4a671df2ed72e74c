#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mk::devices {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  std::string iso() const;  // "YYYY-MM-DD"
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>
  friend auto operator<=>(const Date&, const Date&) = default;
};

bool is_valid_date(const Date& date);

// 元号YYMMDD as the license cards store it: 7 ASCII digits, era 1 明治, 2 大正, 3 昭和, 4 平成,
// 5 令和; "5060401" is 令和6年4月1日 = 2024-04-01. The date must exist and lie inside its era
// (平成31年5月1日 does not). nullopt otherwise.
std::optional<Date> parse_era_date(std::string_view text);
std::optional<Date> parse_era_date(std::span<const uint8_t> bytes);
// "<era>000000" (or empty): the class is not held.
bool is_era_date_empty(std::span<const uint8_t> bytes);
// The era form of a Gregorian date (for writers); nullopt before 明治.
std::optional<std::string> to_era_date(const Date& date);

// "YYYYMMDD" (the basic 4 info's birth date).
std::optional<Date> parse_yyyymmdd(std::string_view text);
// Packed BCD YYYYMMDD in 4 bytes (the conventional license's common data).
std::optional<Date> parse_bcd_date(std::span<const uint8_t> bytes);

}  // namespace mk::devices
