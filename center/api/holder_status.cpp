// JSON of a holder's status (holder_status.hpp).
#include "center/api/holder_status.hpp"

#include "center/api/json_fields.hpp"

namespace mk::center::api {

using detail::Fields;
using detail::kHoldingForms;
using detail::kShort;

void to_json(Json& j, const HolderStatus& v) {
  j = {{"holder_ref", v.holder_ref},
       {"as_of", v.as_of},
       {"holding_form", to_string(v.holding_form)},
       {"category", v.category},
       {"birth_date", v.birth_date},
       {"expiry", v.expiry},
       {"suspended", v.suspended},
       {"consent", v.consent ? Json(*v.consent) : Json(nullptr)},
       {"linkage", v.linkage ? Json(*v.linkage) : Json(nullptr)}};
}
void from_json(const Json& j, HolderStatus& v) {
  const Fields f(j, "");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.as_of = f.instant("as_of");
  v.holding_form = f.enumeration("holding_form", kHoldingForms);
  v.category = f.has("category") ? f.text("category", 1, kShort) : "";  // "": the strictest
  v.birth_date = f.date("birth_date");
  // "" for a マイナ経歴証明書, which has no expiry.
  const bool expires = f.has("expiry") && !f.text("expiry", 0, kShort).empty();
  v.expiry = expires ? f.date("expiry") : "";
  v.suspended = f.boolean("suspended");
  if (f.has("consent")) {
    v.consent = Fields::read_at<Consent>(f.member("consent"), "consent");
  }
  if (f.has("linkage")) {
    v.linkage = Fields::read_at<Linkage>(f.member("linkage"), "linkage");
  }
}

}  // namespace mk::center::api
