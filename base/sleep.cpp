#include "base/sleep.hpp"

#include <condition_variable>
#include <mutex>

namespace mk::base {

void sleep_unless_stopped(const std::stop_token& stop, std::chrono::milliseconds duration) {
  std::mutex mutex;
  std::condition_variable_any never;  // woken only by the stop token
  std::unique_lock lock(mutex);
  never.wait_for(lock, stop, duration, [] { return false; });
}

}  // namespace mk::base
