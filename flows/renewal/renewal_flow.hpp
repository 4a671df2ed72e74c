#pragma once

// 更新の書き換え (R-RENEW-REWRITE): after the renewal at the counter (eye test, lecture, photo),
// the renewed licence is rewritten on the same My Number card — no new card. At a centre outside
// the home prefecture this is 経由申請 (R-VIA): only for 優良 / 一般 drivers without
// physical-condition conditions (glasses and hearing aids excepted), not after a relapse at the
// last renewal, and only in the period; Myna-only holders are finished the same day, holders of
// both get the new conventional licence later from their home prefecture.
//
//   My Number card (免許AP complete) → licence PIN (the record) → 入力補助 PIN (who) → the
//   centre's record → the renewal the counter prepared → the rules (period; 経由申請 eligibility,
//   every reason shown at once) → confirm the new expiry → the issuer rewrites the record, the PIN
//   kept → read back with the PIN typed at the start, new expiry and signature checked → receipt.
//
// A card pulled mid-rewrite is finished with the same card only (card_id).

#include <string>
#include <vector>

#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/identify/card_identification.hpp"
#include "flows/issuer/issuer_relay.hpp"
#include "flows/language.hpp"
#include "flows/rules/calendar.hpp"
#include "flows/rules/holding_form.hpp"
#include "flows/rules/via.hpp"

namespace mk::flows {

class RenewalFlow : public MachineFlow<RenewalFlow> {
 public:
  RenewalFlow(Language language, CivilDate today);

  static const FlowDefinition& definition();

 private:
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens = "renewal";  // screen ids: "renewal.<state>"
  ViewModel view(const std::string& screen) const;
  Step after_lookup(Event& e);
  Step after_offer(Event& e);
  Step after_verify(Event& e);
  Step after_probe_again(const Event& e);
  void wipe();

  Language language_;
  CivilDate today_;
  CardIdentification ident_;  // keeps the licence PIN: it reads the rewrite back
  std::string holder_ref_;
  Fields offer_;
  HoldingForm form_ = HoldingForm::both;
  bool via_ = false;
  bool address_changed_ = false;  // the centre's record has another address than the card
  std::string card_expiry_;       // the My Number card's last day, as the centre knows it
  ViaDecision decision_;
  IssuerRelay relay_;
  friend class MachineFlow<RenewalFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
