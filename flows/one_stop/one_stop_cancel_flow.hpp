#pragma once

// 住所変更ワンストップサービス等の利用取消し (R-OS-CANCEL, FAQ 4): the holder ends the consent at
// the centre. Who: the card's own record and basic 4 info (CardIdentification: licence PIN,
// 入力補助 PIN) and the centre's record; no signing PIN — a cancellation gives nothing to anyone.
//
//   card → licence PIN → 入力補助 PIN → the centre's record (recorded on this card)
//   → confirm ("automatic changes stop; report changes at the centre again")
//   → the centre cancels: its answer says which consent ended; none active: said so.
// The centre out of reach: nothing is cancelled, "try again" (a cancellation is not queued: the
// person must know it happened).

#include <string>

#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/identify/card_identification.hpp"
#include "flows/language.hpp"

namespace mk::flows {

class OneStopCancelFlow : public MachineFlow<OneStopCancelFlow> {
 public:
  explicit OneStopCancelFlow(Language language);

  static const FlowDefinition& definition();

 private:
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens =
      "one_stop_cancel";  // screen ids: "one_stop_cancel.<state>"
  ViewModel view(const std::string& screen) const;
  Step after_lookup(Event& e);
  Step after_cancel(Event& e);
  void wipe();

  Language language_;
  CardIdentification ident_;
  std::string holder_ref_;
  Fields consent_;  // the centre's answer: the consent that ended
  friend class MachineFlow<OneStopCancelFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
