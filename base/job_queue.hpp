#pragma once

// A thread-safe queue of jobs, with no thread of its own: what a Worker serves, and what a thread
// with its own way of waiting (the PC/SC thread waits in SCardGetStatusChange, the centre link in
// curl_multi_poll) takes its jobs from. Once closed it takes no more jobs.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace mk::base {

template <typename Job>
class JobQueue {
 public:
  // False (and the job dropped) once the queue is closed.
  bool push_back(Job job) { return !push(std::move(job), false).has_value(); }
  // To run before everything queued (a job that must be looked at again first).
  bool push_front(Job job) { return !push(std::move(job), true).has_value(); }
  // Queues the job, or gives it back once the queue is closed (a job that must still be answered:
  // the caller fails it).
  std::optional<Job> offer(Job job) { return push(std::move(job), false); }

  // The next job, without waiting.
  std::optional<Job> try_pop() {
    const std::lock_guard lock(mutex_);
    return pop_locked();
  }
  // Waits for the next job; nullopt once the queue is closed.
  std::optional<Job> wait_pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !jobs_.empty(); });
    if (closed_) {
      return std::nullopt;
    }
    return pop_locked();
  }

  // Waits up to `max` for a job to be queued (left in the queue); true when there is one.
  template <typename Rep, typename Period>
  bool wait_for_job(std::chrono::duration<Rep, Period> max) {
    std::unique_lock lock(mutex_);
    return ready_.wait_for(lock, max, [this] { return closed_ || !jobs_.empty(); }) &&
           !jobs_.empty();
  }

  // Everything queued, taken out (to fail or drop it).
  std::deque<Job> take_all() {
    const std::lock_guard lock(mutex_);
    return std::exchange(jobs_, {});
  }
  // Takes no more jobs and wakes every waiter; returns what was still queued.
  std::deque<Job> close() {
    std::deque<Job> left;
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
      left = std::exchange(jobs_, {});
    }
    ready_.notify_all();
    return left;
  }

  bool closed() const {
    const std::lock_guard lock(mutex_);
    return closed_;
  }
  bool empty() const {
    const std::lock_guard lock(mutex_);
    return jobs_.empty();
  }

 private:
  // Nullopt when queued; the job itself, untouched, when the queue is closed.
  std::optional<Job> push(Job job, bool front) {
    {
      const std::lock_guard lock(mutex_);
      if (closed_) {
        return job;
      }
      if (front) {
        jobs_.push_front(std::move(job));
      } else {
        jobs_.push_back(std::move(job));
      }
    }
    ready_.notify_all();
    return std::nullopt;
  }
  std::optional<Job> pop_locked() {
    if (jobs_.empty()) {
      return std::nullopt;
    }
    std::optional<Job> job(std::move(jobs_.front()));
    jobs_.pop_front();
    return job;
  }

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;
  bool closed_ = false;
};

}  // namespace mk::base
