#include "flows/issuer/issuer_relay.hpp"

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"

namespace mk::flows {

namespace {

namespace st = relay_state;

std::string last_line(const std::string& lines) {
  const auto end = lines.find_last_not_of('\n');
  if (end == std::string::npos) {
    return {};
  }
  const auto start = lines.rfind('\n', end);
  const size_t from = start == std::string::npos ? 0 : start + 1;
  return lines.substr(from, end - from + 1);
}

}  // namespace

void IssuerRelay::declare(FlowDefinition& d, const Targets& t) {
  const auto waiting = [&](StateId id, const char* note) {
    d.states.push_back({id, t.interrupted, id, id, false, note});
  };
  waiting(kOpening, "from here on, cancel waits");
  waiting(st::relaying_init, "");
  waiting(st::phase_opening, "");
  waiting(st::relaying_commands, "card writes");
  waiting(st::phase_reporting, "");
  const std::vector<Transition> add = {
      {kOpening, "step_done", st::relaying_init},
      {kOpening, "refused", t.retry},  // the card looked at again, a fresh session
      {kOpening, "refused_too_often", t.failed},
      {st::relaying_init, "step_done", st::phase_opening},
      {st::relaying_init, "card_interrupted", t.interrupted},
      {st::phase_opening, "step_done", st::relaying_commands},
      {st::phase_opening, "refused", t.retry},
      {st::phase_opening, "refused_too_often", t.failed},
      {st::relaying_commands, "step_done", st::phase_reporting},
      {st::relaying_commands, "card_interrupted", t.interrupted},
      {st::phase_reporting, "next_phase", st::relaying_init},
      {st::phase_reporting, "session_complete", t.done},
      {st::phase_reporting, "refused", t.retry},
      {st::phase_reporting, "refused_too_often", t.failed},
  };
  d.transitions.insert(d.transitions.end(), add.begin(), add.end());
}

IssuerRelay::IssuerRelay(std::function<Effects()> open, std::function<Effects()> working)
    : open_(std::move(open)), working_(std::move(working)) {}

StateBehaviour IssuerRelay::relay_to_card(bool show_working, bool last_answer_only) {
  return {[this, show_working] {
            Effects e = show_working ? working_() : Effects{};
            e.emplace_back(CardRequest{card_ops::kRelay, {{"apdus", apdus_}}, {}});
            return e;
          },
          [this, last_answer_only](Event& e) -> Step {
            if (e.kind != EventKind::card) {
              return {};
            }
            if (e.outcome != card_ops::kOk) {
              return {"card_interrupted", {}};  // pulled or silent: maybe half written
            }
            const std::string answers = field(e.fields, "answers");
            apdus_ = last_answer_only ? last_line(answers) : answers;
            return {"step_done", {}};
          }};
}

void IssuerRelay::add_behaviours(std::map<std::string, StateBehaviour>& b) {
  b[kOpening] = {[this] {
                   completed_ = false;  // a new session: nothing of it has reached the card yet
                   return open_();
                 },
                 [this](Event& e) -> Step {
                   if (e.kind != EventKind::center) {
                     return {};
                   }
                   if (e.outcome != "ok") {
                     return refused(e.outcome);
                   }
                   session_ = field(e.fields, "session");
                   phase_ = field(e.fields, "phase");
                   apdus_ = field(e.fields, "apdus");
                   return {"step_done", {}};
                 }};
  b[st::relaying_init] = relay_to_card(true, true);  // INITIALIZE UPDATE's answer
  b[st::phase_opening] = {
      [this] {
        Effects e;
        e.emplace_back(CenterRequest{center_ops::kIssuerPhaseOpen,
                                     {{"session", session_}, {"phase", phase_}, {"answer", apdus_}},
                                     {},
                                     {}});
        return e;
      },
      [this](Event& e) -> Step {
        if (e.kind != EventKind::center) {
          return {};
        }
        if (e.outcome != "ok") {
          return refused(e.outcome);
        }
        apdus_ = field(e.fields, "apdus");
        return {"step_done", {}};
      }};
  b[st::relaying_commands] = relay_to_card(false, false);
  b[st::phase_reporting] = {
      [this] {
        Effects e;
        e.emplace_back(
            CenterRequest{center_ops::kIssuerPhaseAnswers,
                          {{"session", session_}, {"phase", phase_}, {"answers", apdus_}},
                          {},
                          {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_answers(e) : Step{}; }};
}

// The issuer refused a step, or could not be reached, part way through: a disturbed card (its
// secure channel lost between two commands), a centre outage. The card is no worse than half
// written, and a fresh session fixes it: the flow looks at the card again and retries by itself,
// a few times, before it calls staff.
Step IssuerRelay::refused(std::string problem) {
  problem_ = std::move(problem);
  if (problem_ == "not_eligible") {
    failures_ = kAttempts;  // the centre will not do this for this holder: asking again won't help
  }
  return {++failures_ < kAttempts ? "refused" : "refused_too_often", {}};
}

Step IssuerRelay::after_answers(const Event& e) {
  if (e.outcome != "ok" || field(e.fields, "complete") != "1") {
    return refused(e.outcome != "ok" ? e.outcome : "status " + field(e.fields, "status"));
  }
  if (field(e.fields, "done") == "1") {
    completed_ = true;
    return {"session_complete", {}};
  }
  phase_ = field(e.fields, "phase");
  apdus_ = field(e.fields, "apdus");
  return {"next_phase", {}};
}

void IssuerRelay::wipe() {
  flows::wipe(session_);
  flows::wipe(phase_);
  flows::wipe(apdus_);
  problem_.clear();
}

}  // namespace mk::flows
