#include "flows/rules/via.hpp"

#include <array>
#include <utility>
#include <vector>

#include "base/text/comparison_text.hpp"

namespace mk::flows {

DriverCategory driver_category_of(std::string_view category) {
  if (category == "優良") {
    return DriverCategory::excellent;
  }
  if (category == "一般") {
    return DriverCategory::general;
  }
  return category == "初回更新" ? DriverCategory::first : DriverCategory::violator;
}

ConditionKind classify_condition(const std::string& condition) {
  // The conditions printed on Japanese licences (道路交通法施行規則 別記様式 の条件等).
  static const std::array<std::pair<const char*, ConditionKind>, 14> kTable = {{
      {"眼鏡等", ConditionKind::glasses},
      {"眼鏡", ConditionKind::glasses},
      {"補聴器", ConditionKind::hearing_aid},
      {"身体障害者用車両に限る", ConditionKind::other_physical},
      {"義手", ConditionKind::other_physical},
      {"義足", ConditionKind::other_physical},
      {"特定後写鏡等", ConditionKind::other_physical},
      {"ワイドミラー", ConditionKind::other_physical},
      {"AT車に限る", ConditionKind::not_physical},
      {"準中型車は準中型車（5t）に限る", ConditionKind::not_physical},
      {"中型車は中型車（8t）に限る", ConditionKind::not_physical},
      {"中型車は自動車（5t）に限る", ConditionKind::not_physical},
      {"大型二輪車はAT車に限る", ConditionKind::not_physical},
      {"普通二輪車は小型二輪車に限る", ConditionKind::not_physical},
  }};
  // Compared as keys: a card that writes ＡＴ車に限る in full width, or the centre's half-width
  // （５ｔ）, names the same condition. The table's keys are made once.
  static const std::vector<std::pair<std::string, ConditionKind>> kKeys = [] {
    std::vector<std::pair<std::string, ConditionKind>> keys;
    keys.reserve(kTable.size());
    for (const auto& [text, kind] : kTable) {
      keys.emplace_back(base::comparison_key(text), kind);
    }
    return keys;
  }();
  const std::string key = base::comparison_key(condition);
  for (const auto& [table_key, kind] : kKeys) {
    if (!key.empty() && key == table_key) {
      return kind;
    }
  }
  return ConditionKind::unknown;
}

bool via_allows_condition(const std::string& condition) {
  const ConditionKind kind = classify_condition(condition);
  return kind == ConditionKind::glasses || kind == ConditionKind::hearing_aid ||
         kind == ConditionKind::not_physical;
}

DateRange via_period(HoldingForm form, const CivilDate& birth, const CivilDate& expiry) {
  const CivilDate birthday = birthday_before(birth, expiry);
  const CivilDate first = add_months(birthday, -1);
  if (form == HoldingForm::conventional_only) {
    return {first, birthday};
  }
  return {first, expiry};
}

ViaDecision decide_via(const ViaInput& in) {
  ViaDecision d;
  d.period = via_period(in.form, in.birth, in.expiry);
  if (in.category != DriverCategory::excellent && in.category != DriverCategory::general) {
    d.refusals.push_back(ViaRefusal::category);
  }
  bool physical = false;
  bool unknown = false;
  for (const auto& condition : in.conditions) {
    const ConditionKind kind = classify_condition(condition);
    physical = physical || kind == ConditionKind::other_physical;
    unknown = unknown || kind == ConditionKind::unknown;
  }
  if (physical) {
    d.refusals.push_back(ViaRefusal::physical_condition);
  }
  if (unknown) {
    d.refusals.push_back(ViaRefusal::condition_unknown);
  }
  if (in.relapsed_at_last_renewal) {
    d.refusals.push_back(ViaRefusal::relapsed_last_time);
  }
  if (in.today < d.period.first) {
    d.refusals.push_back(ViaRefusal::before_period);
  } else if (d.period.last < in.today) {
    d.refusals.push_back(ViaRefusal::after_period);
  }
  d.eligible = d.refusals.empty();
  d.rewrite_today = in.form != HoldingForm::conventional_only;
  d.new_conventional_card_later = in.form != HoldingForm::myna_only;
  return d;
}

}  // namespace mk::flows
