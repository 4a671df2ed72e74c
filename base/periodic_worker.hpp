#pragma once

// Runs a round of work on a thread of its own, again and again: after the wait the last round
// asked for, or at once when woken (new rows to send). The outbox's sender and the centre sync
// are made of it. stop() ends it after the round in hand; a long round asks stopping() between
// its steps to end early.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>

namespace mk::base {

class PeriodicWorker {
 public:
  // Returns how long to wait before the next round.
  using Round = std::function<std::chrono::milliseconds()>;

  // The first round comes after `first_wait` (zero: at once), or when woken.
  PeriodicWorker(Round round, std::chrono::milliseconds first_wait);
  ~PeriodicWorker();  // stop()
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;

  // The next round comes at once (or right after the one in hand).
  void wake();
  void stop();
  bool stopping() const;

 private:
  void serve(const std::stop_token& stop, std::chrono::milliseconds wait);

  Round round_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  bool woken_ = false;
  std::mutex join_mutex_;
  std::jthread thread_;
};

}  // namespace mk::base
