#include "flows/engine/event.hpp"

#include <charconv>
#include <utility>

namespace mk::flows {

std::string field(const Fields& fields, const std::string& name) {
  const auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

int count_field(const Fields& fields, const std::string& name, int max) {
  const auto it = fields.find(name);
  if (it == fields.end() || it->second.empty()) {
    return -1;
  }
  const std::string& s = it->second;
  int value = -1;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || value < 0 || value > max) {
    return -1;
  }
  return value;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : "、") + item;
  }
  return out;
}

std::vector<std::string> split_list(const std::string& joined) {
  static const std::string kSeparator = "、";
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    const size_t end = joined.find(kSeparator, start);
    out.push_back(joined.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) {
      break;
    }
    start = end + kSeparator.size();
  }
  return out;
}

// The one wipe (base/secret_bytes.hpp), then the container emptied.
void wipe(std::string& text) {
  base::wipe(std::span<char>(text));
  text.clear();
}

void wipe(std::vector<uint8_t>& bytes) {
  base::wipe(bytes);
  bytes.clear();
}

void wipe(Fields& fields) {
  for (auto& [name, value] : fields) {
    wipe(value);
  }
  fields.clear();
}

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
    case EventKind::printed:
      return "print:" + name + "=" + outcome;
    case EventKind::camera:
      return "camera:" + name + "=" + outcome;
    case EventKind::kiosk:
      return "kiosk:" + name + "=" + outcome;
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

Event Event::typed(std::string action, base::SecretBytes pin) {
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

Event Event::printed(std::string name, std::string outcome) {
  Event e = card(std::move(name), std::move(outcome));
  e.kind = EventKind::printed;
  return e;
}

Event Event::camera(std::string op, std::string outcome, Fields fields) {
  Event e = card(std::move(op), std::move(outcome), std::move(fields));
  e.kind = EventKind::camera;
  return e;
}

Event Event::kiosk(std::string op, std::string outcome, Fields fields) {
  Event e = card(std::move(op), std::move(outcome), std::move(fields));
  e.kind = EventKind::kiosk;
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
