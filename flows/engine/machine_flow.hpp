#pragma once

// What every procedure's flow offers the runtime, forwarded to the FlowMachine it owns, and the
// effect that shows one of its screens: one definition instead of the same lines in each flow.
// A flow derives from MachineFlow<ItsOwnType>, keeps its `FlowMachine machine_` as its last
// member (constructed after what its handlers use), names its screens' prefix (`kScreens`), draws
// a screen in `ViewModel view(const std::string& screen) const` and befriends this class. A flow
// is not copied: its handlers hold `this`.

#include <string>
#include <utility>

#include "flows/engine/machine.hpp"
#include "flows/engine/state_id.hpp"

namespace mk::flows {

template <class Flow>
class MachineFlow {
 public:
  Effects start() { return machine().start(); }
  Effects dispatch(Event event) { return machine().dispatch(std::move(event)); }
  const std::string& state() const { return machine().state(); }
  bool finished() const { return machine().finished(); }
  // Ends the flow where it stands and wipes what it holds (FlowMachine::abandon).
  void abandon() { machine().abandon(); }
  // The diagnostic code of the state the flow is in (StateSpec::code), "" for most states.
  std::string diagnostic() const {
    const StateSpec* spec = machine().definition().find(machine().state());
    return spec != nullptr ? spec->code : std::string();
  }

  MachineFlow(const MachineFlow&) = delete;
  MachineFlow& operator=(const MachineFlow&) = delete;

 protected:
  MachineFlow() = default;
  ~MachineFlow() = default;

  // Shows a screen ("<prefix>.<state>") as the flow's view() draws it.
  Effects show(const std::string& screen) const {
    Effects e;
    e.emplace_back(ShowView{static_cast<const Flow*>(this)->view(screen)});
    return e;
  }
  // Shows a state's own screen: "<Flow::kScreens>.<state>".
  Effects show(StateId state) const { return show(screen_of(Flow::kScreens, state)); }

 private:
  FlowMachine& machine() { return static_cast<Flow*>(this)->machine_; }
  const FlowMachine& machine() const { return static_cast<const Flow*>(this)->machine_; }
};

}  // namespace mk::flows
