#include "flows/engine/event.hpp"

#include <utility>

namespace mk::flows {

std::string Event::label() const {
  switch (kind) {
    case EventKind::intent:
      return "tap:" + name;
    case EventKind::card:
      return "card:" + name + "=" + outcome;
    case EventKind::center:
      return "center:" + name + "=" + outcome;
    case EventKind::store:
      return "store:" + name + "=" + outcome;
    case EventKind::timer:
      return "timer:" + name;
    case EventKind::card_removed:
      return "card_removed";
    case EventKind::cancel:
      return "cancel";
    case EventKind::idle_timeout:
      return "idle";
  }
  return "?";
}

Event Event::tap(std::string action) {
  Event e;
  // The on-screen cancel button is the cancel key.
  e.kind = action == "cancel" ? EventKind::cancel : EventKind::intent;
  e.name = std::move(action);
  return e;
}

Event Event::typed(std::string action, SecretText pin) {
  Event e = tap(std::move(action));
  e.secret = std::move(pin);
  return e;
}

Event Event::card(std::string op, std::string outcome, Fields fields) {
  Event e;
  e.kind = EventKind::card;
  e.name = std::move(op);
  e.outcome = std::move(outcome);
  e.fields = std::move(fields);
  return e;
}

Event Event::center(std::string op, std::string outcome, Fields fields) {
  Event e = card(std::move(op), std::move(outcome), std::move(fields));
  e.kind = EventKind::center;
  return e;
}

Event Event::store(std::string op, std::string outcome) {
  Event e = card(std::move(op), std::move(outcome));
  e.kind = EventKind::store;
  return e;
}

Event Event::timer(std::string id) {
  Event e;
  e.kind = EventKind::timer;
  e.name = std::move(id);
  return e;
}

Event Event::removed() {
  Event e;
  e.kind = EventKind::card_removed;
  return e;
}

Event Event::cancel() {
  Event e;
  e.kind = EventKind::cancel;
  return e;
}

Event Event::idle() {
  Event e;
  e.kind = EventKind::idle_timeout;
  return e;
}

}  // namespace mk::flows
