#pragma once

// What every procedure's flow offers the runtime, forwarded to the FlowMachine it owns: one
// definition instead of the same five lines in each flow. A flow derives from
// MachineFlow<ItsOwnType>, keeps its `FlowMachine machine_` as its last member (constructed after
// what its handlers use) and befriends this class. A flow is not copied: its handlers hold `this`.

#include <string>
#include <utility>

#include "flows/engine/machine.hpp"

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

  MachineFlow(const MachineFlow&) = delete;
  MachineFlow& operator=(const MachineFlow&) = delete;

 protected:
  MachineFlow() = default;
  ~MachineFlow() = default;

 private:
  FlowMachine& machine() { return static_cast<Flow*>(this)->machine_; }
  const FlowMachine& machine() const { return static_cast<const Flow*>(this)->machine_; }
};

}  // namespace mk::flows
