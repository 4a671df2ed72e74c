#include "offline-cache/time.hpp"

#include <cstdio>
#include <ctime>
#include <random>

namespace mk::offline_cache {

TimePoint system_now() {
  return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now());
}

double system_unit_random() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::string utc_stamp(TimePoint t) {
  const std::time_t seconds = static_cast<std::time_t>(to_millis(t) / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  const size_t length = std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &parts);
  return {text, length};
}

std::string japan_day(TimePoint t) {
  const std::chrono::sys_days day =
      std::chrono::floor<std::chrono::days>(t + std::chrono::hours(9));
  const std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

}  // namespace mk::offline_cache
