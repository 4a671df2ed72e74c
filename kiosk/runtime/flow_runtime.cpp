#include "kiosk/runtime/flow_runtime.hpp"

#include <utility>
#include <variant>

#include "flows/engine/machine.hpp"
#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

FlowRuntime::FlowRuntime(FlowServices services) : services_(std::move(services)) {}

FlowRuntime::~FlowRuntime() {
  end_flow();
}

void FlowRuntime::end_flow() {
  if (flow_) {
    flow_->abandon();  // a final state wiped already; every other way out wipes here
    flow_.reset();
  }
  timers_.clear();
  ++generation_;  // answers still on their way belong to nobody now
}

Post FlowRuntime::poster() {
  const uint64_t generation = generation_;
  return [this, generation](flows::Event event) { post(generation, std::move(event)); };
}

void FlowRuntime::begin(std::unique_ptr<flows::RunningFlow> flow, TimePoint now) {
  if (flow_) {
    feed(flows::Event::cancel(), now);
    if (flow_) {
      // A flow whose current state makes cancel wait is ended regardless: a new flow is starting.
      stop("abandoned", now);
    }
  }
  end_flow();
  flow_ = std::move(flow);
  started_at_ = now;
  state_before_.clear();
  logger("flow")->info("flow {} started", flow_->name());
  run(flow_->start(), now);
}

void FlowRuntime::stop(const std::string& outcome, TimePoint now) {
  if (!flow_) {
    return;
  }
  logger("flow")->warn("flow {} stopped in state {}: {}", flow_->name(), flow_->state(), outcome);
  if (services_.ended) {
    services_.ended(flow_->name(), outcome, flow_->state(),
                    std::chrono::duration_cast<std::chrono::milliseconds>(now - started_at_));
  }
  if (services_.release_card) {
    services_.release_card();
  }
  view_.reset();  // the last screen may hold personal data
  view_changed_ = true;
  last_outcome_ = outcome;
  end_flow();
}

void FlowRuntime::input(flows::Event event, TimePoint now) {
  feed(std::move(event), now);
}

void FlowRuntime::post(uint64_t generation, flows::Event event) {
  inbox_.push_back({generation, std::move(event)});
  if (services_.wake) {
    services_.wake();
  }
}

bool FlowRuntime::wait_for_post(std::chrono::milliseconds max) {
  return inbox_.wait_for_job(max);
}

bool FlowRuntime::pump(TimePoint now) {
  view_changed_ = false;
  for (;;) {
    auto next = inbox_.try_pop();
    if (!next) {
      break;
    }
    if (next->first != generation_ || !flow_) {
      logger("flow")->debug("dropped a late {} answer", next->second.label());
      continue;
    }
    feed(std::move(next->second), now);
  }
  // Due timers, earliest first; a timer may start another.
  for (;;) {
    auto due = timers_.end();
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->second <= now && (due == timers_.end() || it->second < due->second)) {
        due = it;
      }
    }
    if (due == timers_.end() || !flow_) {
      break;
    }
    const std::string id = due->first;
    timers_.erase(due);
    feed(flows::Event::timer(id), now);
  }
  return view_changed_;
}

std::optional<FlowRuntime::TimePoint> FlowRuntime::next_deadline() const {
  std::optional<TimePoint> next;
  for (const auto& [id, at] : timers_) {
    if (!next || at < *next) {
      next = at;
    }
  }
  return next;
}

void FlowRuntime::feed(flows::Event event, TimePoint now) {
  if (!flow_) {
    return;
  }
  const std::string before = flow_->state();
  state_before_ = before;
  const std::string label = event.label();
  flows::Effects effects;
  try {
    effects = flow_->dispatch(std::move(event));
  } catch (const flows::FlowError& e) {
    // A flow that named an outcome its table has no edge for is a bug: end it the way every
    // final state does (the screen forgets, the card is released), and say so in the log.
    logger("flow")->error("{}: {}", flow_->name(), e.what());
    if (services_.problem) {
      services_.problem("MK-FLOW-FAILED", true, flow_->name() + ": " + e.what());
    }
    flows::Effects ended;
    ended.reserve(3);  // (GCC 12 sees a null in the variant's growth path otherwise)
    ended.emplace_back(flows::WipeSession{});
    ended.emplace_back(flows::ReleaseCard{});
    ended.emplace_back(flows::FlowEnded{"failed"});
    effects = std::move(ended);
  }
  if (flow_ && flow_->state() != before) {
    logger("flow")->info("{}: {} --{}--> {}", flow_->name(), before, label, flow_->state());
    // The three tiers of an error: what the card or centre said (the event's label), what the
    // person is told (the state's screen), and the code staff look up, with flow and state.
    if (const std::string code = flow_->diagnostic(); !code.empty()) {
      const std::string where = flow_->name() + "/" + flow_->state() + " after " + label;
      logger("flow")->warn("[{}] {}", code, where);
      if (services_.problem) {
        services_.problem(code, false, where);  // the person's screen says what to do
      }
    }
  }
  run(std::move(effects), now);
}

void FlowRuntime::run(flows::Effects effects, TimePoint now) {
  const std::string flow_name = flow_ ? flow_->name() : std::string();
  for (auto& effect : effects) {
    if (auto* show = std::get_if<flows::ShowView>(&effect)) {
      view_ = std::move(show->view);
      if (const std::string code = flow_ ? flow_->diagnostic() : std::string(); !code.empty()) {
        // Small, above the actions: what the person can tell staff (the log has flow and state).
        view_->texts["diagnostic"] = {"common.diagnostic", {{"code", code}}};
      }
      view_changed_ = true;
    } else if (auto* card = std::get_if<flows::CardRequest>(&effect)) {
      if (services_.card) {
        services_.card(std::move(*card), poster());
      } else {
        post(generation_, flows::Event::card(card->op, "error"));
      }
    } else if (auto* center = std::get_if<flows::CenterRequest>(&effect)) {
      if (services_.center) {
        services_.center(std::move(*center), poster());
      } else {
        post(generation_, flows::Event::center(center->op, "unavailable"));
      }
    } else if (auto* outbox = std::get_if<flows::OutboxEnqueue>(&effect)) {
      if (services_.outbox) {
        services_.outbox(std::move(*outbox), poster());
      } else {
        post(generation_, flows::Event::store("outbox", "error"));
      }
    } else if (auto* print = std::get_if<flows::PrintRequest>(&effect)) {
      if (services_.print) {
        services_.print(std::move(*print), poster());
      } else {
        post(generation_, flows::Event::printed(print->name, "no_printer"));
      }
    } else if (auto* camera = std::get_if<flows::CameraRequest>(&effect)) {
      if (services_.camera) {
        services_.camera(std::move(*camera), poster());
      } else {
        post(generation_, flows::Event::camera(camera->op, "no_camera"));
      }
    } else if (auto* ask = std::get_if<flows::KioskRequest>(&effect)) {
      if (services_.kiosk) {
        services_.kiosk(std::move(*ask), poster());
      } else {
        post(generation_, flows::Event::kiosk(ask->op, "unavailable"));
      }
    } else if (const auto* start = std::get_if<flows::StartTimer>(&effect)) {
      timers_[start->id] = now + std::chrono::milliseconds(start->milliseconds);
    } else if (const auto* cancel = std::get_if<flows::CancelTimer>(&effect)) {
      timers_.erase(cancel->id);
    } else if (const auto* audit = std::get_if<flows::AuditEntry>(&effect)) {
      if (services_.audit) {
        services_.audit(*audit, flow_name, flow_ ? flow_->state() : std::string());
      }
    } else if (std::holds_alternative<flows::ReleaseCard>(effect)) {
      if (services_.release_card) {
        services_.release_card();
      }
    } else if (std::holds_alternative<flows::WipeSession>(effect)) {
      view_.reset();  // the last screen may hold personal data
      view_changed_ = true;
    } else if (const auto* ended = std::get_if<flows::FlowEnded>(&effect)) {
      logger("flow")->info("flow {} ended: {}", flow_name, ended->outcome);
      last_outcome_ = ended->outcome;
      if (services_.ended) {
        services_.ended(flow_name, ended->outcome, state_before_,
                        std::chrono::duration_cast<std::chrono::milliseconds>(now - started_at_));
      }
      end_flow();
    }
  }
}

}  // namespace mk::kiosk
