// base/worker, base/periodic_worker, base/job_queue and base/sleep: jobs run in order on one
// thread, stop() ends after the job in hand and drops (destroys) the rest, a periodic worker
// runs when woken and when its wait ends, and a stop cuts a sleep short.

#include "base/worker.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/job_queue.hpp"
#include "base/periodic_worker.hpp"
#include "base/sleep.hpp"

namespace {

using namespace std::chrono_literals;
using mk::base::JobQueue;
using mk::base::PeriodicWorker;
using mk::base::Worker;

TEST(JobQueue, FirstInFirstOutAndPushFrontJumpsTheQueue) {
  JobQueue<int> q;
  q.push_back(1);
  q.push_back(2);
  q.push_front(0);
  EXPECT_EQ(q.try_pop(), 0);
  EXPECT_EQ(q.try_pop(), 1);
  EXPECT_EQ(q.try_pop(), 2);
  EXPECT_EQ(q.try_pop(), std::nullopt);
}

TEST(JobQueue, AClosedQueueRefusesJobsAndHandsBackWhatWasQueued) {
  JobQueue<int> q;
  q.push_back(7);
  const auto left = q.close();
  ASSERT_EQ(left.size(), 1U);
  EXPECT_EQ(left.front(), 7);
  EXPECT_FALSE(q.push_back(8));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.wait_pop(), std::nullopt);  // does not block once closed
}

TEST(JobQueue, AnOfferToAClosedQueueGivesTheJobBackToBeAnswered) {
  JobQueue<std::unique_ptr<int>> q;
  EXPECT_EQ(q.offer(std::make_unique<int>(1)), std::nullopt);
  EXPECT_FALSE(q.closed());
  EXPECT_EQ(q.close().size(), 1U);
  EXPECT_TRUE(q.closed());
  auto refused = q.offer(std::make_unique<int>(2));
  ASSERT_TRUE(refused.has_value());
  ASSERT_NE(*refused, nullptr);
  EXPECT_EQ(**refused, 2);
  EXPECT_TRUE(q.empty());
}

TEST(JobQueue, WaitForJobSeesAJobPostedFromAnotherThread) {
  JobQueue<int> q;
  EXPECT_FALSE(q.wait_for_job(10ms));
  std::thread poster([&q] { q.push_back(3); });
  EXPECT_TRUE(q.wait_for_job(10s));
  poster.join();
  EXPECT_EQ(q.try_pop(), 3);  // left in the queue by the wait
}

TEST(Worker, RunsJobsInOrderOnOneThreadThatIsNotTheCaller) {
  std::mutex m;
  std::vector<int> seen;
  std::vector<std::thread::id> threads;
  std::promise<void> all;
  Worker<int> w([&](int& job) {
    const std::lock_guard lock(m);
    seen.push_back(job);
    threads.push_back(std::this_thread::get_id());
    if (job == 99) {
      all.set_value();
    }
  });
  for (int i = 0; i < 100; ++i) {
    w.post(i);
  }
  ASSERT_EQ(all.get_future().wait_for(10s), std::future_status::ready);
  w.stop();
  ASSERT_EQ(seen.size(), 100U);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(seen[static_cast<size_t>(i)], i);
    EXPECT_EQ(threads[static_cast<size_t>(i)], threads.front());
  }
  EXPECT_NE(threads.front(), std::this_thread::get_id());
}

TEST(Worker, StopFinishesTheJobInHandAndDestroysTheRestUnrun) {
  // A job that records when it is destroyed: the queue's left-overs must be freed, not leaked or
  // run (a dropped card request holds a PIN, wiped by its destructor).
  struct Job {
    int n;
    std::shared_ptr<std::atomic<int>> destroyed;
    Job(int number, std::shared_ptr<std::atomic<int>> counter)
        : n(number), destroyed(std::move(counter)) {}
    Job(Job&&) noexcept = default;
    Job& operator=(Job&&) noexcept = default;
    Job(const Job&) = delete;
    Job& operator=(const Job&) = delete;
    ~Job() {
      if (destroyed) {
        ++*destroyed;
      }
    }
  };
  auto destroyed = std::make_shared<std::atomic<int>>(0);
  std::promise<void> started;
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<int> ran{0};
  {
    Worker<Job> w([&](Job& job) {
      ++ran;
      if (job.n == 0) {
        started.set_value();
        released.wait();
      }
    });
    w.post(Job(0, destroyed));
    ASSERT_EQ(started.get_future().wait_for(10s), std::future_status::ready);
    for (int i = 1; i <= 5; ++i) {
      w.post(Job(i, destroyed));
    }
    std::thread stopper([&w] { w.stop(); });
    std::this_thread::sleep_for(20ms);
    release.set_value();
    stopper.join();
    EXPECT_EQ(ran.load(), 1);
    EXPECT_EQ(destroyed->load(), 6);  // the one run and the five dropped
    w.post(Job(6, destroyed));        // after stop: dropped at once
    EXPECT_EQ(destroyed->load(), 7);
  }
  EXPECT_EQ(ran.load(), 1);
}

TEST(PeriodicWorker, RunsAtOnceWithZeroFirstWaitAndAgainWhenWoken) {
  std::atomic<int> rounds{0};
  PeriodicWorker w(
      [&rounds] {
        ++rounds;
        return std::chrono::milliseconds(std::chrono::hours(1));
      },
      0ms);
  for (int i = 0; i < 1000 && rounds.load() < 1; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(rounds.load(), 1);
  w.wake();
  for (int i = 0; i < 1000 && rounds.load() < 2; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(rounds.load(), 2);
  const auto before = std::chrono::steady_clock::now();
  w.stop();  // cuts the hour's wait short
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  EXPECT_TRUE(w.stopping());
}

TEST(PeriodicWorker, WaitsTheFirstWaitAndThenWhatEachRoundAsks) {
  std::atomic<int> rounds{0};
  PeriodicWorker w(
      [&rounds] {
        ++rounds;
        return std::chrono::milliseconds(1);
      },
      std::chrono::milliseconds(std::chrono::hours(1)));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(rounds.load(), 0);  // still in its first wait
  w.wake();
  for (int i = 0; i < 1000 && rounds.load() < 5; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_GE(rounds.load(), 5);  // then every millisecond
}

TEST(PeriodicWorker, ALongRoundSeesTheStop) {
  std::promise<void> in_round;
  std::atomic<bool> saw_stop{false};
  PeriodicWorker* self = nullptr;
  PeriodicWorker w(
      [&] {
        in_round.set_value();
        while (!self->stopping()) {
          std::this_thread::sleep_for(1ms);
        }
        saw_stop = true;
        return std::chrono::milliseconds(0);
      },
      std::chrono::milliseconds(std::chrono::hours(1)));
  self = &w;
  w.wake();
  ASSERT_EQ(in_round.get_future().wait_for(10s), std::future_status::ready);
  w.stop();
  EXPECT_TRUE(saw_stop.load());
}

TEST(Sleep, AStopCutsItShort) {
  std::stop_source source;
  std::thread stopper([&source] {
    std::this_thread::sleep_for(20ms);
    source.request_stop();
  });
  const auto before = std::chrono::steady_clock::now();
  mk::base::sleep_unless_stopped(source.get_token(), std::chrono::hours(1));
  EXPECT_LT(std::chrono::steady_clock::now() - before, 10s);
  stopper.join();
  const auto again = std::chrono::steady_clock::now();
  mk::base::sleep_unless_stopped(std::stop_token{}, 30ms);  // no stop possible: the full time
  EXPECT_GE(std::chrono::steady_clock::now() - again, 30ms);
}

}  // namespace
