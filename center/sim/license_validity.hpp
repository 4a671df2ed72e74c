#pragma once

// The centre's renewal arithmetic by the Road Traffic Act (道路交通法 第92条の2, 第101条): the
// renewal period and the new last day of validity a completed renewal gives. The centre decides
// these; the kiosk only shows them (its own R-VIA and R-LECTURE rules are in flows/rules).

#include <optional>
#include <string_view>

#include "devices/sim/encoding.hpp"

namespace mk::center::sim {

using Date = devices::sim::Date;

// The driver category the centre keeps (never written to a card: R-NO-VIOLATIONS).
enum class DriverCategory {
  excellent,      // 優良運転者
  general,        // 一般運転者
  violator,       // 違反運転者等
  first_renewal,  // 初回更新者
};

// 優良 / 一般 / 違反 / 初回更新; nullopt for anything else.
std::optional<DriverCategory> driver_category(std::string_view name);

// The colour band of the licence face a category's renewed licence carries: gold for 優良,
// blue for everyone else (the green 新規 band is only the first licence's).
const char* band_after_renewal(DriverCategory category);

struct RenewalPeriod {
  Date birthday;  // the birthday that precedes the last day of validity
  Date first;     // one month before that birthday
  Date last;      // the last day of validity
};

// A Myna licence holder's renewal period for a licence valid until `expiry` (R-VIA, R-LECTURE).
RenewalPeriod renewal_period(const Date& birth, const Date& expiry);

// The whole years of someone born on `birth`, on `day`.
int age_on(const Date& birth, const Date& day);

// Years of validity (第92条の2): 5 for 優良 and 一般, 3 for 違反 and 初回更新; at 70 (age on the
// day of the renewal, 更新日等) at most 4, from 71 at most 3.
int validity_years(DriverCategory category, int age);

// The new last day of validity of a renewal done on `renewed_on`: one month after the birthday
// `validity_years` after the one that preceded the old last day (29 February falls on 28 in a
// common year; a month on, clamped).
Date renewed_last_day(const Date& birth, const Date& expiry, DriverCategory category,
                      const Date& renewed_on);

}  // namespace mk::center::sim
