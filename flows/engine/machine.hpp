#pragma once

// The flow engine. A flow is a transition table of small states (FlowDefinition: data, which
// docs/flows.md draws as a Mermaid diagram) plus the behaviour of each state: what it does on
// entry, and what an event came to — a named outcome ("recorded", "pin_refused"). The table, not
// the handler, maps (state, outcome) to the next state, so reading the table tells when each edge
// is taken, and an outcome the table does not name is refused: the picture cannot drift from the
// code.
//
// Every state declares where a pulled card, cancel and an idle timeout lead; a final state ends
// the flow, and the machine adds the clean-up (wipe the session's secrets and personal data,
// release the card) to every way into one — no abort path can forget it.

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "flows/engine/effect.hpp"
#include "flows/engine/event.hpp"

namespace mk::flows {

// A programming error in a flow: an outcome its table has no edge for, a table that does not
// hold together.
class FlowError : public std::logic_error {
 public:
  explicit FlowError(const std::string& what) : std::logic_error(what) {}
};

struct StateSpec {
  std::string id;
  std::string on_card_removed;  // target state; empty only for final states
  std::string on_cancel;
  std::string on_idle;
  bool final = false;
  std::string note;  // one line for the diagram
  // A state where something went wrong: the diagnostic code staff look up (docs/error-codes.md);
  // the kiosk logs it with the flow, the state and the event that led there, and shows it small
  // on the screen for the person to tell staff. Empty for every other state.
  std::string code = {};
};

struct Transition {
  std::string from;
  // What takes this edge: an outcome the state's handler names ("recorded", "wrong_pin"), or —
  // where the handler leaves an event to the table — the event's label ("tap:retry", or a prefix
  // ending in '*': "card:read_dl=*"). One edge per (from, on).
  std::string on;
  std::string to;
};

struct FlowDefinition {
  std::string name;
  std::string initial;
  std::vector<StateSpec> states;
  std::vector<Transition> transitions;

  const StateSpec* find(const std::string& id) const;
  // The edge a handler's named outcome takes from `from` (exact names only), or nullptr.
  const Transition* on_outcome(const std::string& from, const std::string& outcome) const;
  // The edge an event left to the table takes: its exact label, else the longest '*' prefix that
  // matches it; nullptr when none does.
  const Transition* on_event(const std::string& from, const std::string& label) const;
  // Throws FlowError listing every problem: unknown states, a non-final state without its
  // card-removed / cancel / idle targets, two edges for one (state, outcome), a state the initial
  // one never reaches, no final state.
  void validate() const;
};

// stateDiagram-v2 of a definition. Cancel / idle / card-removed edges are drawn too, merged per
// pair of states.
std::string to_mermaid(const FlowDefinition& def);

// What a state's handler made of an event:
//   - a named outcome ({"recorded", effects}): the table's edge (state, outcome) is taken — an
//     outcome the table does not name is a FlowError;
//   - nothing ({} or {"", effects}): the event is left to the table — the edge of its label
//     ("tap:retry") if the table has one, else cancel / idle / card-removed follow the state's
//     declaration, and anything else is ignored;
//   - stay(): the handler refuses the event (a change not offered to this person, a tap while the
//     card is busy) — no edge, even where the table has one for its label.
// A self-edge (state, outcome, state) enters the state again (its screen shown anew); stay() does
// not.
struct Step {
  std::string outcome;
  Effects effects;
  bool stay = false;
};
inline Step stay(Effects effects = {}) {
  return Step{"", std::move(effects), true};
}
struct StateBehaviour {
  std::function<Effects()> enter;
  std::function<Step(Event&)> handle;
};

class FlowMachine {
 public:
  // `wipe` clears the flow's own context (PINs, personal data) and runs on every final state.
  FlowMachine(const FlowDefinition& def, std::map<std::string, StateBehaviour> behaviours,
              std::function<void()> wipe);

  Effects start();
  // Feeds one event; returns the effects to run. Cancel, idle and card-removed follow the
  // state's declaration unless its handler names an outcome for them (an outcome of its own,
  // which the table sends where that state needs: a resume state, say).
  Effects dispatch(Event event);

  // Every way out that is not a final state (a flow error, a forced end, the kiosk stopping):
  // runs the wipe all the same. Idempotent; the flow takes no event after it.
  void abandon();

  const std::string& state() const { return state_; }
  bool finished() const;
  const FlowDefinition& definition() const { return def_; }

 private:
  Effects go(const std::string& to, Effects effects);

  const FlowDefinition& def_;
  std::map<std::string, StateBehaviour> behaviours_;
  std::function<void()> wipe_;
  std::string state_;
  bool abandoned_ = false;
};

}  // namespace mk::flows
