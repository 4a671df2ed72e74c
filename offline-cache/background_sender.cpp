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
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) {
    return;
  }
  stop_ = false;
  woken_ = true;  // a first round at once: rows left from before a restart
  outbox_.set_enqueue_listener([this] { wake(); });
  thread_ = std::thread([this] { run(); });
}

void BackgroundSender::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) {
      return;
    }
    stop_ = true;
  }
  outbox_.set_enqueue_listener({});
  wake_.notify_all();
  thread_.join();
}

void BackgroundSender::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

int64_t BackgroundSender::rounds() const {
  std::lock_guard lock(mutex_);
  return rounds_;
}

int64_t BackgroundSender::delivered() const {
  std::lock_guard lock(mutex_);
  return delivered_;
}

void BackgroundSender::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) {
        return;
      }
      woken_ = false;
    }
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
    std::unique_lock lock(mutex_);
    ++rounds_;
    delivered_ += report.acknowledged;
    wake_.wait_for(lock, wait, [this] { return stop_ || woken_; });
  }
}

}  // namespace mk::offline_cache
