#pragma once

// "What a person may ask" about themselves (issue 16): the state of their address-change one-stop
// service (R-OS-VALIDITY, R-OS-CANCEL), of their Myna Portal linkage submission (R-PL-WAIT), and
// whether, when and for how much they may take the renewal lecture online (R-LECTURE).
//
//   My Number card (免許AP complete) → licence PIN, 入力補助 PIN (who: CardIdentification)
//   → the centre's record → the centre's status of this holder
//   → one screen: the consent (items, until when) or none; the linkage (from when the portal step
//     may start) or none; the lecture: eligible with its period and fees, or every reason not.
// Nothing is kept or sent: it only reads.

#include <string>

#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/identify/card_identification.hpp"
#include "flows/language.hpp"
#include "flows/rules/calendar.hpp"

namespace mk::flows {

class MyStatusFlow : public MachineFlow<MyStatusFlow> {
 public:
  MyStatusFlow(Language language, CivilDate today);

  static const FlowDefinition& definition();

 private:
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens = "my_status";  // screen ids: "my_status.<state>"
  ViewModel view(const std::string& screen) const;
  Step after_lookup(Event& e);
  Step after_status(Event& e);
  // The status screen's lines, from the centre's answer.
  void status_lines(ViewModel& vm) const;
  void wipe();

  Language language_;
  CivilDate today_;
  CardIdentification ident_;
  std::string holder_ref_;
  Fields status_;  // the centre's answer (center_ops::kHolderStatus)
  friend class MachineFlow<MyStatusFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
