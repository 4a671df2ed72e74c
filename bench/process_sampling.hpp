#pragma once

// Sampling another process from /proc for mynakiosk-bench: CPU time, per-thread CPU and context
// switches, memory from its status, and the graphics libraries it loaded.

#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace mk::bench {

// Time on CPU in ns and context switches, summed over the process's threads (schedstat has
// nanosecond resolution where /proc/<pid>/stat counts 10 ms ticks).
struct ThreadTotals {
  long long cpu_ns = 0;
  long long context_switches = 0;
  int threads = 0;
};

// utime + stime of the whole process (all threads), in clock ticks.
std::optional<long long> cpu_ticks(pid_t pid);

ThreadTotals thread_totals(pid_t pid);

// A "<key>:  N kB" line of its /proc status (VmRSS, VmHWM), in MiB.
double status_mib(pid_t pid, const std::string& key);

// The graphics libraries the process has loaded: tells which renderer SDL picked in a window.
std::vector<std::string> graphics_libraries(pid_t pid);

}  // namespace mk::bench
