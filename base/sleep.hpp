#pragma once

// A sleep a shutdown cuts short: a retry back-off on a thread that must stop promptly.

#include <chrono>
#include <stop_token>

namespace mk::base {

// Sleeps for `duration`, or less when `stop` is requested.
void sleep_unless_stopped(const std::stop_token& stop, std::chrono::milliseconds duration);

}  // namespace mk::base
