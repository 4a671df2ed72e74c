#pragma once

#include <string>

namespace mk::flows {

// What the person (or the session around them) asks of a flow.
struct Intent {
  enum class Kind {
    action,        // a touch on an action; `action` holds its id
    cancel,        // the hardware/keyboard cancel key
    idle_timeout,  // the session manager saw no input for the configured time
  };
  Kind kind = Kind::action;
  std::string action;

  static Intent tap(std::string id) { return {Kind::action, std::move(id)}; }
  static Intent cancel_key() { return {Kind::cancel, {}}; }
  static Intent idle() { return {Kind::idle_timeout, {}}; }
};

}  // namespace mk::flows
