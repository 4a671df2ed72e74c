#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace mk::offline_cache {

// Wall-clock time in milliseconds since the Unix epoch (UTC), as the store keeps it.
using Milliseconds = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::system_clock, Milliseconds>;

// Time and chance are injected so that tests control them.
using Clock = std::function<TimePoint()>;
using UnitRandom = std::function<double()>;  // uniform in [0, 1)

TimePoint system_now();
double system_unit_random();

inline int64_t to_millis(TimePoint t) {
  return t.time_since_epoch().count();
}
inline TimePoint from_millis(int64_t ms) {
  return TimePoint(Milliseconds(ms));
}

// "20260115T093000Z": for file names (no ':' in them).
std::string utc_stamp(TimePoint t);
// The kiosk's day at `t`: the date in Japan (UTC+9, no daylight saving), "2026-01-15".
std::string japan_day(TimePoint t);

// A test hook called with a name at each crash-relevant point of a write (just before and just
// after each COMMIT, see docs/offline-cache.md). The crash test's child raises SIGKILL there.
using CommitHook = std::function<void(std::string_view point)>;

}  // namespace mk::offline_cache
