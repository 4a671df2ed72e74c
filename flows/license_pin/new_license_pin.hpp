#pragma once

// The licence PIN a holder chooses (R-LIC-PIN), the same wherever one is set — recording the
// licence on the card, unlocking a locked PIN:
//
//   new_pin: 4 digits → confirm_pin: the same again (different: back to new_pin, said why)
//   → pin_warning when it is easy to guess (all one digit, a run): keep it or choose another
//   → the flow's own next state, with pin() holding the confirmed PIN.
//
// The flow declares these states in its table (declare) and lets this piece handle them
// (add_behaviours), like CardIdentification. Screens are "<prefix>.<state>": the flow's titles;
// the problems and the warning are the piece's own texts ("license_pin.*").

#include <functional>
#include <map>
#include <string>

#include "base/secret_bytes.hpp"
#include "flows/engine/machine.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/view_model.hpp"

namespace mk::flows {

// The states NewLicensePin adds to a flow.
namespace new_pin_state {
inline constexpr StateId new_pin{"new_pin"};
inline constexpr StateId confirm_pin{"confirm_pin"};
inline constexpr StateId pin_warning{"pin_warning"};
}  // namespace new_pin_state

class NewLicensePin {
 public:
  static constexpr StateId kFirst = new_pin_state::new_pin;

  // Where a pulled card and cancel (or idle) lead from these states, and where a confirmed PIN
  // goes.
  struct Targets {
    StateId card_removed;
    StateId cancel;
    StateId next;
  };
  static void declare(FlowDefinition& d, const Targets& targets);

  NewLicensePin(std::string prefix, std::function<Effects(const std::string&)> show);

  void add_behaviours(std::map<std::string, StateBehaviour>& b);
  // Fills the view of new_pin, confirm_pin or pin_warning; false for any other state.
  bool screen(ViewModel& vm, const std::string& id) const;

  // The PIN chosen and confirmed (empty before); the flow takes it into its request and clears
  // it with clear() or wipe().
  const base::SecretBytes& pin() const { return pin_; }
  void wipe();

 private:
  Step after_new_pin(Event& e);
  Step after_confirm_pin(Event& e);

  std::string prefix_;
  std::function<Effects(const std::string&)> show_;
  base::SecretBytes pin_;
  std::string problem_;  // the last entry's problem ("license_pin.format", ...)
  std::string warning_;  // pin_warning's body
};

}  // namespace mk::flows
