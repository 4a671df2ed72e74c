#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "base/periodic_worker.hpp"
#include "offline-cache/outbox.hpp"

namespace mk::offline_cache {

// Calls Outbox::deliver_due in rounds on its own thread: at start, at once after an enqueue (the
// outbox wakes it), when the next row falls due, and at least every `idle_poll`. stop() (and the
// destructor) ends it after the delivery in progress; start() again begins anew.
class BackgroundSender {
 public:
  struct Options {
    Milliseconds idle_poll{30'000};
    size_t batch = 16;
    // Called on the sender's thread for every problem as it happens (the kiosk logs, counts and
    // audits them).
    std::function<void(const StoreProblem&)> on_problem;
  };

  BackgroundSender(Outbox& outbox, Outbox::Deliver deliver, Clock clock, Options options);
  ~BackgroundSender();
  BackgroundSender(const BackgroundSender&) = delete;
  BackgroundSender& operator=(const BackgroundSender&) = delete;

  void start();
  void stop();
  void wake();

  int64_t rounds() const;
  int64_t delivered() const;

 private:
  // One delivery round; returns the wait before the next.
  Milliseconds round();

  Outbox& outbox_;
  Outbox::Deliver deliver_;
  Clock clock_;
  Options options_;
  std::atomic<int64_t> rounds_{0};
  std::atomic<int64_t> delivered_{0};
  std::mutex mutex_;  // guards running_ (never held while a round runs or is waited for)
  std::unique_ptr<base::PeriodicWorker> running_;
};

}  // namespace mk::offline_cache
