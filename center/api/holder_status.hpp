#pragma once

// POST /v1/holders/{ref}/status: what the person at the kiosk may ask about themselves (issue 16,
// "what a person may ask"): their one-stop consent, their portal linkage submission, and the
// centre's facts the online lecture rule needs (R-LECTURE).

#include <optional>
#include <string>

#include "center/api/holders.hpp"
#include "center/api/submissions.hpp"
#include "center/api/wire_codec.hpp"

namespace mk::center::api {

struct HolderStatus {
  std::string holder_ref;
  std::string as_of;  // RFC 3339: the centre's time of this answer (the kiosk has no clock rule)
  HoldingForm holding_form = HoldingForm::both;
  // 優良 / 一般 / 違反 / 初回更新: for the lecture rule only; shown to nobody (R-NO-VIOLATIONS).
  std::string category;
  std::string birth_date;  // YYYY-MM-DD
  std::string expiry;      // YYYY-MM-DD: the licence's last day; "" for a マイナ経歴証明書
  bool suspended = false;
  std::optional<Consent> consent;  // the one-stop consent (active or cancelled); none: never
  std::optional<Linkage> linkage;  // the last portal linkage submission; none: never
};

MK_CENTER_API_JSON(HolderStatus)

}  // namespace mk::center::api
