#pragma once

// One issuer session relayed between the centre and the card. The kiosk holds no issuer key: it
// opens the session at the centre, then for each phase sends SELECT + INITIALIZE UPDATE to the
// card, the card's answer to the centre, the centre's wrapped commands to the card (stopping at the
// first refusal) and their answers back, until the centre says the session is done.
//
// Shared by every flow that changes the card through the issuer (record, erase, PIN reset): each
// declares the relay's states in its table (declare) and lets the relay handle them
// (add_behaviours); the flow decides where an interruption, a refusal and success lead.

#include <functional>
#include <map>
#include <string>

#include "flows/engine/machine.hpp"
#include "flows/engine/state_id.hpp"

namespace mk::flows {

// The states IssuerRelay adds to a flow.
namespace relay_state {
inline constexpr StateId issuer_opening{"issuer_opening"};
inline constexpr StateId relaying_init{"relaying_init"};
inline constexpr StateId phase_opening{"phase_opening"};
inline constexpr StateId relaying_commands{"relaying_commands"};
inline constexpr StateId phase_reporting{"phase_reporting"};
}  // namespace relay_state

class IssuerRelay {
 public:
  struct Targets {
    StateId interrupted;  // the card was pulled or answered nothing: it may be half written
    StateId retry;        // the centre refused a step or was away: look at the card again
    StateId failed;       // the attempts are used up: staff
    StateId done;         // the centre said the session is complete
  };
  // The first state (entered to open a session).
  static constexpr StateId kOpening = relay_state::issuer_opening;
  // Refusals retried (through Targets::retry) before Targets::failed.
  static constexpr int kAttempts = 3;

  // Adds issuer_opening, relaying_init, phase_opening, relaying_commands and phase_reporting and
  // their transitions. A pulled card leads to `interrupted`; cancel and idle wait (the card is
  // being written).
  static void declare(FlowDefinition& d, const Targets& targets);

  // `open` makes issuer_opening's effects: the flow's CenterRequest for issuer_open (its args and
  // PIN) and what to show. `working` is what relaying_init shows.
  IssuerRelay(std::function<Effects()> open, std::function<Effects()> working);

  void add_behaviours(std::map<std::string, StateBehaviour>& b);

  // What went wrong last ("card_cryptogram_invalid", "status 6982", ...), for the log and staff.
  const std::string& problem() const { return problem_; }
  // The centre said the last session opened in this procedure is complete: every command reached
  // the card and was verified. Until then a card that looks complete may hold an earlier write.
  bool completed() const { return completed_; }
  void wipe();

 private:
  Step refused(std::string problem);
  // A state that hands the centre's APDUs to the card and keeps its answers (all, or the last
  // one) for the next step; a failed relay is an interrupted write.
  StateBehaviour relay_to_card(bool show_working, bool last_answer_only);
  Step after_answers(const Event& e);

  std::function<Effects()> open_;
  std::function<Effects()> working_;
  std::string session_;
  std::string phase_;
  std::string apdus_;
  std::string problem_;
  int failures_ = 0;
  bool completed_ = false;
};

}  // namespace mk::flows
