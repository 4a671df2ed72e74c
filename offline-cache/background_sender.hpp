#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "offline-cache/outbox.hpp"

namespace mk::offline_cache {

// Calls Outbox::deliver_due in a loop on its own thread: at once after an enqueue (the outbox
// wakes it), when the next row falls due, and at least every `idle_poll`. stop() (and the
// destructor) ends the loop after the delivery in progress.
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
  void run();

  Outbox& outbox_;
  Outbox::Deliver deliver_;
  Clock clock_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool woken_ = false;
  int64_t rounds_ = 0;
  int64_t delivered_ = 0;
  std::thread thread_;
};

}  // namespace mk::offline_cache
