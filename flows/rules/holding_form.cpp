#include "flows/rules/holding_form.hpp"

namespace mk::flows {

std::string_view to_string(HoldingForm form) {
  switch (form) {
    case HoldingForm::myna_only:
      return "myna_only";
    case HoldingForm::both:
      return "both";
    case HoldingForm::conventional_only:
      return "conventional_only";
  }
  return "?";
}

HoldingForm holding_form_of(std::string_view name) {
  if (name == "myna_only") {
    return HoldingForm::myna_only;
  }
  return name == "both" ? HoldingForm::both : HoldingForm::conventional_only;
}

std::string_view to_string(FormChange change) {
  switch (change) {
    case FormChange::record_on_card:
      return "record_on_card";
    case FormChange::return_conventional:
      return "return_conventional";
    case FormChange::erase_from_card:
      return "erase_from_card";
    case FormChange::issue_conventional:
      return "issue_conventional";
  }
  return "?";
}

std::vector<FormChange> allowed_changes(HoldingForm form, Venue venue) {
  // R-FORMS: at the home centre every change is open at any time, not only at renewal.
  // R-VIA: through 経由申請, neither a new Myna licence nor a new conventional licence is made,
  // and erasing the card's data is refused; returning the conventional licence is allowed.
  const bool via = venue == Venue::via_application;
  switch (form) {
    case HoldingForm::conventional_only:
      return via ? std::vector<FormChange>{} : std::vector{FormChange::record_on_card};
    case HoldingForm::both:
      return via ? std::vector{FormChange::return_conventional}
                 : std::vector{FormChange::return_conventional, FormChange::erase_from_card};
    case HoldingForm::myna_only:
      return via ? std::vector<FormChange>{} : std::vector{FormChange::issue_conventional};
  }
  return {};
}

HoldingForm form_after(HoldingForm form, FormChange change, bool keep_conventional) {
  switch (change) {
    case FormChange::record_on_card:
      return keep_conventional ? HoldingForm::both : HoldingForm::myna_only;
    case FormChange::return_conventional:
      return HoldingForm::myna_only;
    case FormChange::erase_from_card:
      return HoldingForm::conventional_only;
    case FormChange::issue_conventional:
      return HoldingForm::both;
  }
  return form;
}

}  // namespace mk::flows
