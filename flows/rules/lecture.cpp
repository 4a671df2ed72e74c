#include "flows/rules/lecture.hpp"

namespace mk::flows {

LectureDecision decide_lecture(const LectureInput& in) {
  LectureDecision d;
  const CivilDate birthday = birthday_before(in.birth, in.expiry);
  d.period = {add_months(birthday, -1), in.expiry};
  if (in.category != DriverCategory::excellent && in.category != DriverCategory::general) {
    d.refusals.push_back(LectureRefusal::category);
  }
  if (in.form == HoldingForm::conventional_only) {
    d.refusals.push_back(LectureRefusal::no_myna_license);
  }
  // The elderly lecture is for whoever is 70 or over on the last day of validity.
  if (age_on(in.birth, in.expiry) >= kElderlyLectureAge) {
    d.refusals.push_back(LectureRefusal::elderly_lecture);
  }
  if (in.suspended) {
    d.refusals.push_back(LectureRefusal::suspended);
  }
  if (!d.period.contains(in.today)) {
    d.refusals.push_back(LectureRefusal::outside_period);
  }
  if (!in.minutes_since_linkage) {
    d.refusals.push_back(LectureRefusal::not_linked);
  } else if (*in.minutes_since_linkage < kLinkageToLectureMinutes) {
    d.refusals.push_back(LectureRefusal::linked_too_recently);
  }
  d.eligible = d.refusals.empty();
  return d;
}

std::optional<int> online_lecture_fee(DriverCategory category) {
  if (category == DriverCategory::excellent || category == DriverCategory::general) {
    return 200;
  }
  return std::nullopt;
}

std::optional<int> in_person_lecture_fee(DriverCategory category) {
  switch (category) {
    case DriverCategory::excellent:
      return 500;
    case DriverCategory::general:
      return 800;
    default:
      return std::nullopt;
  }
}

}  // namespace mk::flows
