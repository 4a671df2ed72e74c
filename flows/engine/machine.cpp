#include "flows/engine/machine.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <utility>

namespace mk::flows {

std::string effect_name(const Effect& effect) {
  struct Namer {
    std::string operator()(const ShowView&) const { return "show"; }
    std::string operator()(const CardRequest&) const { return "card"; }
    std::string operator()(const CenterRequest&) const { return "center"; }
    std::string operator()(const OutboxEnqueue&) const { return "outbox"; }
    std::string operator()(const PrintRequest&) const { return "print"; }
    std::string operator()(const CameraRequest&) const { return "camera"; }
    std::string operator()(const KioskRequest&) const { return "kiosk"; }
    std::string operator()(const StartTimer&) const { return "start_timer"; }
    std::string operator()(const CancelTimer&) const { return "cancel_timer"; }
    std::string operator()(const AuditEntry&) const { return "audit"; }
    std::string operator()(const ReleaseCard&) const { return "release_card"; }
    std::string operator()(const WipeSession&) const { return "wipe"; }
    std::string operator()(const FlowEnded&) const { return "ended"; }
  };
  return std::visit(Namer{}, effect);
}

const StateSpec* FlowDefinition::find(const std::string& id) const {
  const auto it =
      std::find_if(states.begin(), states.end(), [&](const StateSpec& s) { return s.id == id; });
  return it == states.end() ? nullptr : &*it;
}

namespace {

bool label_matches(const std::string& pattern, const std::string& label) {
  if (!pattern.empty() && pattern.back() == '*') {
    return label.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
  }
  return pattern == label;
}

}  // namespace

const Transition* FlowDefinition::on_outcome(const std::string& from,
                                             const std::string& outcome) const {
  const auto it = std::find_if(transitions.begin(), transitions.end(), [&](const Transition& t) {
    return t.from == from && t.on == outcome;
  });
  return it == transitions.end() ? nullptr : &*it;
}

const Transition* FlowDefinition::on_event(const std::string& from,
                                           const std::string& label) const {
  const Transition* best = nullptr;
  for (const auto& t : transitions) {
    if (t.from != from || !label_matches(t.on, label)) {
      continue;
    }
    if (t.on == label) {
      return &t;  // one edge per (from, on): validate() says so
    }
    if (best == nullptr || t.on.size() > best->on.size()) {
      best = &t;
    }
  }
  return best;
}

void FlowDefinition::validate() const {
  std::vector<std::string> problems;
  std::set<std::string> ids;
  for (const auto& s : states) {
    if (!ids.insert(s.id).second) {
      problems.push_back("state '" + s.id + "' is declared twice");
    }
  }
  auto known = [&](const std::string& id) { return ids.count(id) != 0; };
  if (!known(initial)) {
    problems.push_back("initial state '" + initial + "' is not declared");
  }
  std::multimap<std::string, std::string> edges;  // from -> to
  for (const auto& s : states) {
    if (s.final) {
      continue;
    }
    for (const auto& [what, target] :
         {std::pair{"card-removed", &s.on_card_removed}, std::pair{"cancel", &s.on_cancel},
          std::pair{"idle", &s.on_idle}}) {
      if (target->empty()) {
        problems.push_back("state '" + s.id + "' does not say where " + what + " leads");
      } else if (!known(*target)) {
        problems.push_back("state '" + s.id + "': " + what + " leads to unknown '" + *target + "'");
      } else {
        edges.emplace(s.id, *target);
      }
    }
  }
  std::set<std::pair<std::string, std::string>> keys;  // (from, on)
  for (const auto& t : transitions) {
    if (!keys.insert({t.from, t.on}).second) {
      problems.push_back("state '" + t.from + "' has two edges for '" + t.on + "'");
    }
    if (!known(t.from)) {
      problems.push_back("transition from unknown state '" + t.from + "'");
    }
    if (!known(t.to)) {
      problems.push_back("transition to unknown state '" + t.to + "'");
    }
    if (const StateSpec* from = find(t.from); from != nullptr && from->final) {
      problems.push_back("transition out of final state '" + t.from + "'");
    }
    edges.emplace(t.from, t.to);
  }
  // What the initial state reaches, following every edge.
  std::set<std::string> reached = {initial};
  std::vector<std::string> todo = {initial};
  while (!todo.empty()) {
    const std::string at = todo.back();
    todo.pop_back();
    const auto [first, last] = edges.equal_range(at);
    for (auto it = first; it != last; ++it) {
      if (reached.insert(it->second).second) {
        todo.push_back(it->second);
      }
    }
  }
  for (const auto& s : states) {
    if (reached.count(s.id) == 0) {
      problems.push_back("state '" + s.id + "' is never reached");
    }
  }
  if (std::none_of(states.begin(), states.end(), [](const StateSpec& s) { return s.final; })) {
    problems.push_back("no final state");
  }
  if (!problems.empty()) {
    std::string text = "flow '" + name + "' does not hold together:";
    for (const auto& p : problems) {
      text += "\n  " + p;
    }
    throw FlowError(text);
  }
}

std::string to_mermaid(const FlowDefinition& def) {
  std::ostringstream out;
  out << "stateDiagram-v2\n";
  out << "  [*] --> " << def.initial << "\n";
  for (const auto& t : def.transitions) {
    out << "  " << t.from << " --> " << t.to << " : " << t.on << "\n";
  }
  // The generic exits, merged per (from, to): "cancel / idle / card_removed".
  for (const auto& s : def.states) {
    if (s.final) {
      continue;
    }
    std::vector<std::pair<std::string, std::string>> merged;  // to -> labels
    for (const auto& exit : {std::pair{"cancel", s.on_cancel}, std::pair{"idle", s.on_idle},
                             std::pair{"card_removed", s.on_card_removed}}) {
      const char* label = exit.first;
      const std::string& target = exit.second;  // a plain name: clang 14 cannot capture a binding
      auto it = std::find_if(merged.begin(), merged.end(),
                             [&target](const auto& m) { return m.first == target; });
      if (it == merged.end()) {
        merged.emplace_back(target, label);
      } else {
        it->second += std::string(" / ") + label;
      }
    }
    for (const auto& [target, labels] : merged) {
      if (target != s.id) {
        out << "  " << s.id << " --> " << target << " : " << labels << "\n";
      }
    }
  }
  for (const auto& s : def.states) {
    if (!s.note.empty() || !s.code.empty()) {
      out << "  note right of " << s.id << " : " << s.note
          << (s.note.empty() || s.code.empty() ? "" : " · ") << s.code << "\n";
    }
    if (s.final) {
      out << "  " << s.id << " --> [*]\n";
    }
  }
  return out.str();
}

FlowMachine::FlowMachine(const FlowDefinition& def,
                         std::map<std::string, StateBehaviour> behaviours,
                         std::function<void()> wipe)
    : def_(def), behaviours_(std::move(behaviours)), wipe_(std::move(wipe)) {
  def_.validate();
  for (const auto& [id, behaviour] : behaviours_) {
    if (def_.find(id) == nullptr) {
      throw FlowError("flow '" + def_.name + "': behaviour for unknown state '" + id + "'");
    }
  }
}

bool FlowMachine::finished() const {
  const StateSpec* spec = def_.find(state_);
  return spec != nullptr && spec->final;
}

Effects FlowMachine::start() {
  state_.clear();
  return go(def_.initial, {});
}

Effects FlowMachine::go(const std::string& to, Effects effects) {
  state_ = to;
  if (const auto it = behaviours_.find(to); it != behaviours_.end() && it->second.enter) {
    for (auto& e : it->second.enter()) {
      effects.push_back(std::move(e));
    }
  }
  if (def_.find(to)->final) {
    if (wipe_) {
      wipe_();
    }
    effects.emplace_back(WipeSession{});
    effects.emplace_back(ReleaseCard{});
    effects.emplace_back(FlowEnded{to});
  }
  return effects;
}

void FlowMachine::abandon() {
  abandoned_ = true;
  if (wipe_) {
    wipe_();
  }
}

Effects FlowMachine::dispatch(Event event) {
  if (finished() || abandoned_) {
    event.secret.clear();
    return {};
  }
  const StateSpec& spec = *def_.find(state_);
  const std::string label = event.label();
  Step step;
  if (const auto it = behaviours_.find(state_); it != behaviours_.end() && it->second.handle) {
    step = it->second.handle(event);
  }
  event.secret.clear();  // whatever the handler did not take is gone
  if (step.stay) {
    return std::move(step.effects);
  }
  if (!step.outcome.empty()) {
    if (const Transition* edge = def_.on_outcome(state_, step.outcome); edge != nullptr) {
      return go(edge->to, std::move(step.effects));
    }
    throw FlowError("flow '" + def_.name + "': state '" + state_ + "' has no edge for outcome '" +
                    step.outcome + "' (on " + label + ")");
  }
  // Left to the table: the edge of the event's label, else the state's generic exits.
  if (const Transition* edge = def_.on_event(state_, label); edge != nullptr) {
    return go(edge->to, std::move(step.effects));
  }
  const std::string* generic = nullptr;
  if (event.kind == EventKind::cancel) {
    generic = &spec.on_cancel;
  } else if (event.kind == EventKind::idle_timeout) {
    generic = &spec.on_idle;
  } else if (event.kind == EventKind::card_removed) {
    generic = &spec.on_card_removed;
  }
  if (generic == nullptr || generic->empty() || *generic == state_) {
    return std::move(step.effects);  // an event this state does not expect: nothing changes
  }
  return go(*generic, std::move(step.effects));
}

}  // namespace mk::flows
