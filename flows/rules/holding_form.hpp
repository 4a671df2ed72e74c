#pragma once

// How a person holds their licence (R-FORMS) and the changes they may make (R-FORM-*), at their
// home centre or through 経由申請 at another one (R-VIA).

#include <string_view>
#include <vector>

namespace mk::flows {

// R-FORMS: the three holding forms.
enum class HoldingForm {
  myna_only,          // マイナ免許証のみ
  both,               // マイナ免許証 + 従来の免許証
  conventional_only,  // 従来の免許証のみ
};

enum class FormChange {
  record_on_card,       // conventional only -> record the licence on the My Number card
  return_conventional,  // both -> Myna only (R-FORM-DROP)
  erase_from_card,      // both -> conventional only (R-FORM-DROP)
  issue_conventional,   // Myna only -> both (R-FORM-ADD-CONV)
};

// Where the change is asked for: the holder's home centre, or another prefecture's centre on the
// occasion of a 経由申請 renewal.
enum class Venue { home_centre, via_application };

std::string_view to_string(HoldingForm form);
// The form to_string names ("myna_only", "both"); anything else is conventional_only: what a
// centre's answer that is not one of them must be taken for (no record on a card).
HoldingForm holding_form_of(std::string_view name);
std::string_view to_string(FormChange change);

// The changes open to a holder of `form` at `venue`, in the order a menu shows them.
std::vector<FormChange> allowed_changes(HoldingForm form, Venue venue);

// The form after `change`; `keep_conventional` decides record_on_card (both, or Myna only when the
// conventional licence is handed back at the same time).
HoldingForm form_after(HoldingForm form, FormChange change, bool keep_conventional = true);

}  // namespace mk::flows
