#include "offline-cache/background_sender.hpp"

#include <algorithm>
#include <utility>

namespace mk::offline_cache {

BackgroundSender::BackgroundSender(Outbox& outbox, Outbox::Deliver deliver, Clock clock,
                                   Options options)
    : outbox_(outbox),
      deliver_(std::move(deliver)),
      clock_(std::move(clock)),
      options_(std::move(options)) {}

BackgroundSender::~BackgroundSender() {
  stop();
}

void BackgroundSender::start() {
  const std::lock_guard lock(mutex_);
  if (running_) {
    return;
  }
  // A first round at once: rows left from before a restart.
  running_ = std::make_unique<base::PeriodicWorker>([this] { return round(); }, Milliseconds(0));
  outbox_.set_enqueue_listener([this] { wake(); });
}

void BackgroundSender::stop() {
  std::unique_ptr<base::PeriodicWorker> stopping;
  {
    const std::lock_guard lock(mutex_);
    stopping = std::move(running_);
  }
  if (stopping) {
    outbox_.set_enqueue_listener({});
    stopping.reset();  // after the delivery in progress
  }
}

void BackgroundSender::wake() {
  const std::lock_guard lock(mutex_);
  if (running_) {
    running_->wake();
  }
}

int64_t BackgroundSender::rounds() const {
  return rounds_.load();
}

int64_t BackgroundSender::delivered() const {
  return delivered_.load();
}

Milliseconds BackgroundSender::round() {
  DeliveryReport report;
  std::vector<StoreProblem> problems;
  Milliseconds wait = options_.idle_poll;
  try {
    report = outbox_.deliver_due(clock_(), deliver_, options_.batch);
    if (static_cast<size_t>(report.handled()) >= options_.batch) {
      wait = Milliseconds(0);  // maybe more due: go on at once
    } else if (const auto next = outbox_.next_due_at()) {
      wait = std::clamp(*next - clock_(), Milliseconds(0), options_.idle_poll);
    }
  } catch (const std::exception& error) {
    problems.push_back({problem_code::kDeliveryFailed, true,
                        std::string("outbox delivery failed: ") + error.what()});
  }
  for (auto& problem : report.problems) {
    problems.push_back(std::move(problem));
  }
  if (options_.on_problem) {
    for (const auto& problem : problems) {
      options_.on_problem(problem);
    }
  }
  delivered_ += report.acknowledged;
  ++rounds_;
  return wait;
}

}  // namespace mk::offline_cache
