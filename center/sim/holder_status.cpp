#include "center/sim/holder_status.hpp"

#include "center/api/holder_status.hpp"
#include "center/sim/formats.hpp"
#include "center/sim/holder_records.hpp"
#include "center/sim/renewals.hpp"
#include "center/sim/simulator_state.hpp"

namespace mk::center::sim {

using api::Json;
using base::sqlite::Statement;

Reply holder_status(SimulatorState& centre, const httplib::Request& req) {
  const std::string ref = req.matches[1];
  const Holder& h = centre.holder(ref);
  const HolderState st = holder_state(centre, ref);
  if (!st.recorded) {
    fail(422, api::code::kNotEligible, "nothing is recorded on a card for this holder");
  }
  api::HolderStatus s;
  s.holder_ref = ref;
  s.as_of = rfc3339_jst(centre.now());
  s.holding_form = st.form;
  s.category = h.person.driver_category;
  s.birth_date = iso(h.person.birth_date);
  // A マイナ経歴証明書 has no expiry and no lecture: its holder asks about the rest.
  s.expiry = h.person.driving_history ? "" : iso(renewal_facts(centre, h).expiry);
  s.suspended = h.person.suspended;
  Statement consent(centre.db,
                    "SELECT id, items, valid_from, valid_until, status FROM consents "
                    "WHERE holder_ref=?");
  consent.bind(1, ref);
  if (consent.step()) {
    api::Consent c;
    c.consent_id = consent.column_text(0);
    c.holder_ref = ref;
    c.items = Json::parse(consent.column_text(1)).get<api::ConsentItems>();
    c.valid_from = consent.column_text(2);
    c.valid_until = consent.column_text(3);
    c.status = consent.column_text(4);
    s.consent = c;
  }
  Statement linkage(centre.db,
                    "SELECT id, portal_available_from FROM linkages WHERE holder_ref=? "
                    "ORDER BY submitted_at DESC LIMIT 1");
  linkage.bind(1, ref);
  if (linkage.step()) {
    s.linkage = api::Linkage{linkage.column_text(0), ref, linkage.column_text(1)};
  }
  return json_reply(s);
}

}  // namespace mk::center::sim
