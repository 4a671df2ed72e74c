#pragma once

// Online renewal lectures (R-LECTURE): who may take one, when, and what the lecture costs.

#include <optional>
#include <vector>

#include "flows/rules/calendar.hpp"
#include "flows/rules/holding_form.hpp"
#include "flows/rules/via.hpp"

namespace mk::flows {

enum class LectureRefusal {
  category,             // only 優良 and 一般 drivers
  no_myna_license,      // needs a Myna licence (Myna only or both)
  elderly_lecture,      // 70 or over: the elderly lecture instead
  suspended,            // licence (provisionally) suspended
  outside_period,       // only in the renewal period
  not_linked,           // needs Myna Portal linkage
  linked_too_recently,  // the lecture opens about an hour after the linkage
};

struct LectureInput {
  HoldingForm form = HoldingForm::myna_only;
  DriverCategory category = DriverCategory::general;
  CivilDate birth;
  CivilDate expiry;
  CivilDate today;
  bool suspended = false;
  // Minutes since the Myna Portal linkage was submitted; nullopt: not linked.
  std::optional<int> minutes_since_linkage;
};

struct LectureDecision {
  bool eligible = false;
  std::vector<LectureRefusal> refusals;
  DateRange period;  // one month before the birthday preceding expiry .. expiry
};

inline constexpr int kLinkageToLectureMinutes = 60;
inline constexpr int kElderlyLectureAge = 70;

LectureDecision decide_lecture(const LectureInput& in);

// Fees in yen: online 200 for both categories; in person 500 (優良) or 800 (一般). nullopt for a
// category that has no such lecture here (違反/初回 take theirs in person at a different fee).
std::optional<int> online_lecture_fee(DriverCategory category);
std::optional<int> in_person_lecture_fee(DriverCategory category);

}  // namespace mk::flows
