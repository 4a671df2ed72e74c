#pragma once

// A flow's state, named once — `constexpr StateId choose_change{"choose_change"};` in the flow's
// `st` namespace (a shared piece's in its own: identify_state, relay_state, ...) — then used by
// its table, its behaviours and its view. A misspelt constant does not compile, where a misspelt
// string in one of the three would silently never match. The state's screen is
// "<flow prefix>.<name>" (its texts' keys start with it).

#include <string>
#include <string_view>

namespace mk::flows {

class StateId {
 public:
  constexpr explicit StateId(std::string_view name) : name_(name) {}

  constexpr std::string_view name() const { return name_; }
  // The table, the behaviours' map and the machine hold states as text (the diagram's names).
  operator std::string() const { return std::string(name_); }

  friend constexpr bool operator==(StateId a, StateId b) { return a.name_ == b.name_; }
  // A state as the machine or a screen id's tail holds it.
  friend constexpr bool operator==(StateId a, std::string_view state) { return a.name_ == state; }

 private:
  std::string_view name_;
};

// The id of a state's screen: "<flow prefix>.<state>" ("holding_form.choose_change"), the one
// place it is made.
inline std::string screen_of(std::string_view prefix, StateId state) {
  std::string id(prefix);
  id += '.';
  id += state.name();
  return id;
}

// The state a screen id names (its part after the flow's prefix): what a flow's view() draws.
inline std::string state_of(std::string_view screen) {
  return std::string(screen.substr(screen.find('.') + 1));
}

// The ends every procedure's flow has: the person finished, or cancelled (or left).
namespace ends {
inline constexpr StateId finished{"finished"};
inline constexpr StateId cancelled{"cancelled"};
}  // namespace ends

}  // namespace mk::flows
