#pragma once

// The flow engine. A flow is a transition table of small states (FlowDefinition: data, which
// docs/flows.md draws as a Mermaid diagram) plus the behaviour of each state (what it does on entry
// and which declared transition an event takes). The machine refuses a transition the table does
// not declare, so the picture cannot drift from the code.
//
// Every state declares where a pulled card, cancel and an idle timeout lead; a final state ends
// the flow, and the machine adds the clean-up (wipe the session's secrets and personal data,
// release the card) to every way into one — no abort path can forget it.

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "flows/engine/effect.hpp"
#include "flows/engine/event.hpp"

namespace mk::flows {

// A programming error in a flow: an undeclared transition, a table that does not hold together.
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
};

struct Transition {
  std::string from;
  std::string on;  // an event label, or a prefix ending in '*' ("card:read_dl=*")
  std::string to;
};

struct FlowDefinition {
  std::string name;
  std::string initial;
  std::vector<StateSpec> states;
  std::vector<Transition> transitions;

  const StateSpec* find(const std::string& id) const;
  // True when (from, label, to) is declared, by an exact label or a '*' prefix.
  bool declares(const std::string& from, const std::string& label, const std::string& to) const;
  // Throws FlowError listing every problem: unknown states, a non-final state without its
  // card-removed / cancel / idle targets, a state the initial one never reaches, no final state.
  void validate() const;
};

// stateDiagram-v2 of a definition. Cancel / idle / card-removed edges are drawn too, merged per
// pair of states.
std::string to_mermaid(const FlowDefinition& def);

// What a state does: `enter` runs on arrival (show the view, ask a card, start a timer); `handle`
// picks the next state for an event, or "" to leave it to the machine: a tap or timer with one
// declared transition takes it, cancel / idle / card-removed follow the state's declaration, and
// anything else is ignored.
struct Step {
  std::string to;  // "" = stay
  Effects effects;
};
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
  // state's declaration unless its handler takes them (card-removed while writing, say, goes to
  // a resume state of the handler's choosing — still a declared transition).
  Effects dispatch(Event event);

  // Every way out that is not a final state (a flow error, a forced end, the kiosk stopping):
  // runs the wipe all the same. Idempotent; the flow takes no event after it.
  void abandon();

  const std::string& state() const { return state_; }
  bool finished() const;
  const FlowDefinition& definition() const { return def_; }

 private:
  Effects go(const std::string& to, const std::string& label, Effects effects);

  const FlowDefinition& def_;
  std::map<std::string, StateBehaviour> behaviours_;
  std::function<void()> wipe_;
  std::string state_;
  bool abandoned_ = false;
};

}  // namespace mk::flows
