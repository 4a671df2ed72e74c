#pragma once

// Calendar days and the date arithmetic of the licence rules: months added the way Japanese
// administrative periods count them, birthdays (29 February counts as 28 February in a common
// year, as the Road Traffic Act's period tables do), and ages. No clock: "today" is always passed
// in.

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace mk::flows {

struct CivilDate {
  int year = 2000;
  int month = 1;
  int day = 1;

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 reads the defaulted <=> as a 0 literal
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
  std::string iso() const;  // YYYY-MM-DD
};

// Parses YYYY-MM-DD; nullopt for anything else or an impossible day.
std::optional<CivilDate> parse_iso_date(std::string_view text);
bool is_valid(const CivilDate& d);

std::chrono::sys_days to_days(const CivilDate& d);
CivilDate from_days(std::chrono::sys_days days);
CivilDate add_days(const CivilDate& d, int days);

// The same day `months` later (or earlier, when negative); a day the month lacks becomes that
// month's last day: 31 March - 1 month = 28 (or 29) February.
CivilDate add_months(const CivilDate& d, int months);

// The birthday of someone born on `birth` in `year`: 29 February is 28 February in a common year.
CivilDate birthday_in(const CivilDate& birth, int year);

// The last birthday strictly before `day` ("有効期間が満了する日の直前の誕生日").
CivilDate birthday_before(const CivilDate& birth, const CivilDate& day);

// Completed years on `day` (a birthday counts from the day itself; 29 February births turn a
// year older on 28 February in common years).
int age_on(const CivilDate& birth, const CivilDate& day);

// Whole days from `from` to `to` (negative when `to` is earlier).
int days_between(const CivilDate& from, const CivilDate& to);

// Whole minutes from `from` to `to`, two instants as a centre writes them (RFC 3339,
// "2026-11-27T10:45:00+09:00", any offset or Z; seconds ignored); nullopt when either is not one.
std::optional<int> minutes_between(std::string_view from, std::string_view to);

// An inclusive span of days.
struct DateRange {
  CivilDate first;
  CivilDate last;
  bool contains(const CivilDate& d) const { return first <= d && d <= last; }
  friend bool operator==(const DateRange&, const DateRange&) = default;
};

}  // namespace mk::flows
