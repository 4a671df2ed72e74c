#pragma once

// What the counter's renewal means for the card (R-RENEW-REWRITE, R-VIA): the renewal offer.

#include <string>
#include <vector>

#include "center/api/holders.hpp"
#include "center/api/wire_codec.hpp"

namespace mk::center::api {

// What the counter's renewal means for the card: POST /v1/holders/{ref}/renewal (body {}). Only a
// renewal the counter completed (適性検査, 講習, fee) is offered; otherwise not_eligible.
struct RenewalOffer {
  std::string holder_ref;
  std::string current_expiry;  // YYYY-MM-DD
  std::string new_expiry;      // YYYY-MM-DD: the record after the rewrite (Road Traffic Act)
  std::string color;           // the renewed licence's colour band: 優良 / 一般
  // The driver category on the renewal day: 優良 / 一般 / 違反 / 初回更新 — for the 経由申請 rule
  // only; shown to nobody and never written to a card (R-NO-VIOLATIONS).
  std::string category;
  std::vector<std::string> conditions;
  std::string birth_date;  // YYYY-MM-DD (the period is counted from the birthday)
  bool relapsed_at_last_renewal = false;
  bool via = false;  // 経由申請: this centre is not in the holder's home prefecture
  HoldingForm holding_form = HoldingForm::both;
};

MK_CENTER_API_JSON(RenewalOffer)
}  // namespace mk::center::api
