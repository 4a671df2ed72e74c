#include "base/periodic_worker.hpp"

#include <utility>

namespace mk::base {

PeriodicWorker::PeriodicWorker(Round round, std::chrono::milliseconds first_wait)
    : round_(std::move(round)),
      thread_([this, first_wait](const std::stop_token& stop) { serve(stop, first_wait); }) {}

PeriodicWorker::~PeriodicWorker() {
  stop();
}

void PeriodicWorker::wake() {
  {
    const std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void PeriodicWorker::stop() {
  thread_.request_stop();  // wakes the wait: condition_variable_any listens to the token
  const std::lock_guard lock(join_mutex_);
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool PeriodicWorker::stopping() const {
  return thread_.get_stop_token().stop_requested();
}

void PeriodicWorker::serve(const std::stop_token& stop, std::chrono::milliseconds wait) {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, stop, wait, [this] { return woken_; });
      if (stop.stop_requested()) {
        return;
      }
      woken_ = false;
    }
    wait = round_();
  }
}

}  // namespace mk::base
