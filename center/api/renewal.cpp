// JSON of the renewal offer (renewal.hpp).
#include "center/api/renewal.hpp"

#include "center/api/json_fields.hpp"

namespace mk::center::api {

using detail::Fields;
using detail::kHoldingForms;
using detail::kShort;
using detail::kText;

void to_json(Json& j, const RenewalOffer& v) {
  j = {{"holder_ref", v.holder_ref},
       {"current_expiry", v.current_expiry},
       {"new_expiry", v.new_expiry},
       {"color", v.color},
       {"category", v.category},
       {"conditions", v.conditions},
       {"birth_date", v.birth_date},
       {"relapsed_at_last_renewal", v.relapsed_at_last_renewal},
       {"via", v.via},
       {"holding_form", to_string(v.holding_form)}};
}
void from_json(const Json& j, RenewalOffer& v) {
  const Fields f(j, "");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.current_expiry = f.date("current_expiry");
  v.new_expiry = f.date("new_expiry");
  v.color = f.text("color", 1, kShort);
  v.category = f.has("category") ? f.text("category", 1, kShort) : "";  // "": the strictest
  v.conditions = f.strings("conditions", 32, kText);
  v.birth_date = f.date("birth_date");
  v.relapsed_at_last_renewal = f.boolean("relapsed_at_last_renewal");
  v.via = f.boolean("via");
  v.holding_form = f.enumeration("holding_form", kHoldingForms);
}
}  // namespace mk::center::api
