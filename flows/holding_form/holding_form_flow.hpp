#pragma once

// 保有形態の変更: change how a holder of a マイナ免許証 holds their licence (R-FORMS, R-FORM-*).
//
//   My Number card (免許AP complete) → licence PIN (the record: who, which licence) → 入力補助 PIN
//   (basic 4 info) → the centre's record → the changes open to this form (flows/rules) →
//     return the conventional licence (both → Myna only): a submission through the outbox;
//     ask for a conventional licence (Myna only → both): a submission through the outbox;
//     erase the licence data from the card (both → conventional only): an issuer delete session
//       relayed to the card; the centre records the change when the session completes.
//
// An erase interrupted by a pulled card resumes with the same card only; a card whose 免許AP is
// already gone (the delete went through, its answer did not reach the centre) is reported
// through the outbox instead of deleting again.

#include <string>
#include <vector>

#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/identify/card_identification.hpp"
#include "flows/issuer/issuer_relay.hpp"
#include "flows/language.hpp"
#include "flows/rules/holding_form.hpp"

namespace mk::flows {

class HoldingFormFlow : public MachineFlow<HoldingFormFlow> {
 public:
  explicit HoldingFormFlow(Language language);

  static const FlowDefinition& definition();

 private:
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens = "holding_form";  // screen ids: "holding_form.<state>"
  ViewModel view(const std::string& screen) const;
  Step after_lookup(Event& e);
  Step after_erase_probe(const Event& e);
  Effects commit(const char* action);
  // The text key a マイナ経歴証明書 holder reads instead of `key`, where the words differ.
  std::string words(const std::string& key) const;
  void wipe();

  Language language_;
  CardIdentification ident_;
  std::string holder_ref_;
  HoldingForm form_ = HoldingForm::both;
  std::vector<FormChange> allowed_;
  FormChange chosen_ = FormChange::return_conventional;
  bool history_ = false;          // the record is a driving history (R-HISTORY), not a licence
  bool address_changed_ = false;  // the centre's record has another address than the card
  IssuerRelay relay_;
  friend class MachineFlow<HoldingFormFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
