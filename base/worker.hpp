#pragma once

// Runs jobs one at a time, in order, on a thread of its own: the card operations, the centre
// calls. stop() ends it after the job in hand and drops what is still queued (a dropped job's
// destructor wipes what it holds, a PIN included). The owner declares its Worker last, so the
// thread starts after, and is stopped before, everything the jobs use.

#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "base/job_queue.hpp"

namespace mk::base {

template <typename Job>
class Worker {
 public:
  using Run = std::function<void(Job&)>;

  explicit Worker(Run run) : run_(std::move(run)), thread_([this] { serve(); }) {}
  ~Worker() { stop(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Dropped once stopped.
  void post(Job job) { queue_.push_back(std::move(job)); }
  // Runs before everything queued.
  void post_front(Job job) { queue_.push_front(std::move(job)); }

  // Waits for the job in hand (never call it from a job); nothing runs after this returns.
  void stop() {
    queue_.close();
    const std::lock_guard lock(join_mutex_);
    if (thread_.joinable()) {
      thread_.join();
    }
  }

 private:
  void serve() {
    while (auto job = queue_.wait_pop()) {
      run_(*job);
    }
  }

  Run run_;
  JobQueue<Job> queue_;
  std::mutex join_mutex_;  // stop() from two threads joins once
  std::thread thread_;
};

}  // namespace mk::base
