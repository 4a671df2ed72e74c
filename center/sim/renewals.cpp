// Licence renewals at the centre simulator (renewals.hpp).
#include "center/sim/renewals.hpp"

#include <algorithm>
#include <iterator>

#include "center/sim/formats.hpp"
#include "center/sim/simulator_state.hpp"
#include "flows/rules/via.hpp"

namespace mk::center::sim {

namespace dsim = devices::sim;
using base::sqlite::Statement;

namespace {

DriverCategory category_of(const dsim::Person& p) {
  // An unknown category is treated as the strictest (3 years, no 経由申請).
  return driver_category(p.driver_category).value_or(DriverCategory::violator);
}

dsim::Date counter_renewal_day(SimulatorState& centre, const Holder& h,
                               const dsim::LicenseApRecord& r) {
  Statement s(centre.db,
              "SELECT completed_at FROM counter_renewals WHERE holder_ref=? AND for_expiry=?");
  s.bind(1, h.ref);
  s.bind(2, iso(r.expiry));
  if (s.step()) {
    const std::string at = s.column_text(0);
    return {std::stoi(at.substr(0, 4)), std::stoi(at.substr(5, 2)), std::stoi(at.substr(8, 2))};
  }
  return centre.today_date();
}

bool counter_renewal_done(SimulatorState& centre, const Holder& h, const RenewalFacts& f) {
  Statement s(centre.db, "SELECT 1 FROM counter_renewals WHERE holder_ref=? AND for_expiry=?");
  s.bind(1, h.ref);
  s.bind(2, iso(f.expiry));
  return s.step();
}

}  // namespace

std::optional<std::string> renewed_expiry(SimulatorState& centre, const std::string& ref) {
  Statement s(centre.db, "SELECT new_expiry FROM renewals WHERE holder_ref=?");
  s.bind(1, ref);
  return s.step() ? std::optional(s.column_text(0)) : std::nullopt;
}

RenewalFacts renewal_facts(SimulatorState& centre, const Holder& h) {
  RenewalFacts f;
  // Counted from the record before this renewal, so that a rewrite whose answer was lost can
  // be done again (the same new expiry) once the renewal is complete.
  const dsim::LicenseApRecord r = record_of(h.person, centre.today_date());
  const RenewalPeriod period = renewal_period(h.person.birth_date, r.expiry);
  f.expiry = r.expiry;
  f.period_start = period.first;
  const auto day = [](const dsim::Date& d) { return std::chrono::sys_days(ymd_of(d)); };
  f.in_period =
      day(period.first) <= day(centre.today_date()) && day(centre.today_date()) <= day(period.last);
  f.category = category_of(h.person);
  // 更新日等: the day the counter renewed it (until then, today: the offer's estimate).
  f.new_expiry = renewed_last_day(h.person.birth_date, r.expiry, f.category,
                                  counter_renewal_day(centre, h, r));
  f.via = !centre.at_home(h.person);
  const bool five =
      f.category == DriverCategory::excellent || f.category == DriverCategory::general;
  f.via_eligible =
      five && std::all_of(r.conditions.begin(), r.conditions.end(),
                          [](const std::string& c) { return flows::via_allows_condition(c); });
  return f;
}

void complete_counter_renewal(SimulatorState& centre, const std::string& fixture_id) {
  const Holder& h = centre.holder(centre.ref_of(fixture_id));
  if (h.person.suspended) {
    throw std::runtime_error(fixture_id + "'s licence is suspended: no renewal");
  }
  const RenewalFacts f = renewal_facts(centre, h);
  if (!f.in_period) {
    throw std::runtime_error(fixture_id + " is not in the renewal period");
  }
  Statement(centre.db,
            "INSERT INTO counter_renewals(holder_ref, for_expiry, completed_at) VALUES(?,?,?) "
            "ON CONFLICT(holder_ref) DO UPDATE SET for_expiry=excluded.for_expiry, "
            "completed_at=excluded.completed_at")
      .bind(1, h.ref)
      .bind(2, iso(f.expiry))
      .bind(3, rfc3339_jst(centre.now()))
      .run();
}

std::string rewrite_refusal(SimulatorState& centre, const Holder& h, const HolderState& st,
                            const RenewalFacts& f) {
  if (!st.recorded || h.person.driving_history) {
    return "no license data is recorded on a card";
  }
  if (h.person.suspended) {
    return "the licence is suspended";
  }
  if (!f.in_period) {
    return "not in the renewal period";
  }
  if (f.via && !f.via_eligible) {
    return "not eligible for a renewal away from home";
  }
  if (!counter_renewal_done(centre, h, f)) {
    return "no renewal was completed at the counter";
  }
  return {};
}

Reply renewal(SimulatorState& centre, const httplib::Request& req) {
  const std::string ref = req.matches[1];
  const Holder& h = centre.holder(ref);
  const HolderState st = holder_state(centre, ref);
  const RenewalFacts f = renewal_facts(centre, h);
  // The kiosk shows a person outside the period (or away from home and not eligible) every
  // reason itself (R-VIA); what it cannot know — the counter's part, a suspension — is refused.
  if (!st.recorded || h.person.driving_history) {
    fail(422, api::code::kNotEligible, "no license data is recorded on a card");
  }
  if (h.person.suspended) {
    fail(422, api::code::kNotEligible, "the licence is suspended");
  }
  if (f.in_period && !(f.via && !f.via_eligible) && !counter_renewal_done(centre, h, f)) {
    fail(422, api::code::kNotEligible, "no renewal was completed at the counter");
  }
  const dsim::LicenseApRecord r = current_record(centre, h);
  api::RenewalOffer o;
  o.holder_ref = ref;
  o.current_expiry = iso(f.expiry);
  o.new_expiry = iso(f.new_expiry);
  o.color = band_after_renewal(f.category);
  o.category = h.person.driver_category;
  o.conditions = r.conditions;
  o.birth_date = iso(h.person.birth_date);
  o.via = f.via;
  o.holding_form = st.form;
  return json_reply(o);
}

}  // namespace mk::center::sim
