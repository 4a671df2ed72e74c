#pragma once

// A flow as whoever runs it sees it (the kiosk's FlowRuntime, the tests): any flow class with
// start() / dispatch() / state() / abandon() behind one interface, made by the procedure
// registry (flows/procedures.hpp).

#include <memory>
#include <string>
#include <utility>

#include "flows/engine/effect.hpp"
#include "flows/engine/event.hpp"

namespace mk::flows {

class RunningFlow {
 public:
  virtual ~RunningFlow() = default;
  virtual std::string name() const = 0;
  virtual Effects start() = 0;
  virtual Effects dispatch(Event event) = 0;
  virtual std::string state() const = 0;
  // Wipes what the flow holds, whatever state it is in; the runtime calls it at every end.
  virtual void abandon() = 0;
  // The diagnostic code of the state it is in (StateSpec::code): "" where nothing went wrong.
  virtual std::string diagnostic() const { return {}; }
};

// Wraps any flow class with start() / dispatch() / state() / abandon() (ReadBackFlow, ...).
template <typename Flow>
class FlowAdapter final : public RunningFlow {
 public:
  template <typename... Args>
  explicit FlowAdapter(std::string name, Args&&... args)
      : name_(std::move(name)), flow_(std::forward<Args>(args)...) {}
  std::string name() const override { return name_; }
  Effects start() override { return flow_.start(); }
  Effects dispatch(Event event) override { return flow_.dispatch(std::move(event)); }
  std::string state() const override { return flow_.state(); }
  void abandon() override { flow_.abandon(); }
  std::string diagnostic() const override { return flow_.diagnostic(); }

 private:
  std::string name_;
  Flow flow_;
};

}  // namespace mk::flows
