#pragma once

// 経由申請 (R-VIA): renewing at a centre outside the home prefecture. Who may, and when.

#include <string>
#include <string_view>
#include <vector>

#include "flows/rules/calendar.hpp"
#include "flows/rules/holding_form.hpp"

namespace mk::flows {

// 色区分 and the driver category on the renewal day.
enum class DriverCategory {
  excellent /*優良*/,
  general /*一般*/,
  violator /*違反*/,
  first /*初回*/
};

// The centre's driver category ("優良", "一般", "違反", "初回更新"; never the card's colour band:
// R-NO-VIOLATIONS); anything else counts as 違反, the strictest.
DriverCategory driver_category_of(std::string_view category);

// A licence condition, classified for the rules. Glasses and hearing aids are physical-condition
// conditions that R-VIA expressly lets through.
enum class ConditionKind { glasses, hearing_aid, other_physical, not_physical, unknown };

// Classifies a condition as printed on the licence (e.g. "眼鏡等", "補聴器",
// "身体障害者用車両に限る", "AT車に限る"), whatever its width, spaces or dashes
// (base::comparison_key). Anything not in the table is `unknown`, which the
// rules treat as "staff must decide", never as allowed.
ConditionKind classify_condition(const std::string& condition);
// R-VIA lets a condition through: glasses, hearing aids, and those not about the body. The
// centre's renewal offer asks the same (one table for the kiosk and the simulator).
bool via_allows_condition(const std::string& condition);

// R-VIA period: conventional only — from one month before the birthday preceding expiry until
// that birthday; Myna holders (Myna only or both) — from one month before that birthday until the
// last day of validity (the Myna record's, which is the licence's).
DateRange via_period(HoldingForm form, const CivilDate& birth, const CivilDate& expiry);

enum class ViaRefusal {
  category,            // neither 優良 nor 一般 on the renewal day
  physical_condition,  // a physical-condition condition other than glasses / hearing aids
  condition_unknown,   // a condition the kiosk cannot classify: staff decide
  relapsed_last_time,  // re-acquired after an unavoidable lapse at the last renewal
  before_period,       // today is before the period
  after_period,        // today is after the period
};

struct ViaInput {
  HoldingForm form = HoldingForm::myna_only;
  DriverCategory category = DriverCategory::general;
  std::vector<std::string> conditions;
  bool relapsed_at_last_renewal = false;
  CivilDate birth;
  CivilDate expiry;  // last day of validity
  CivilDate today;
};

struct ViaDecision {
  bool eligible = false;
  std::vector<ViaRefusal> refusals;  // every reason, so staff see all at once
  DateRange period;
  // What happens when eligible: Myna only is rewritten today; both is rewritten today and the new
  // conventional card comes later from the home prefecture; conventional only gets its new card
  // later.
  bool rewrite_today = false;
  bool new_conventional_card_later = false;
};

ViaDecision decide_via(const ViaInput& in);

}  // namespace mk::flows
