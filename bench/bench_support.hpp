#pragma once

// What the benchmark binaries share: wall-clock helpers, nearest-rank statistics, and a
// description of the machine for the JSON they write (docs/performance.md quotes them).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/utsname.h>
#include <unistd.h>

namespace mk::bench {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;

inline double ms_since(Clock::time_point from) {
  return std::chrono::duration<double, std::milli>(Clock::now() - from).count();
}

struct Stats {
  double mean = 0, p50 = 0, p95 = 0, min = 0, max = 0;
};

// Nearest-rank percentiles.
inline Stats stats(std::vector<double> values) {
  Stats s;
  if (values.empty()) {
    return s;
  }
  std::sort(values.begin(), values.end());
  const auto rank = [&](double p) {
    const auto index = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size()))) - 1;
    return values[std::min(index, values.size() - 1)];
  };
  double sum = 0;
  for (const double v : values) {
    sum += v;
  }
  s.mean = sum / static_cast<double>(values.size());
  s.p50 = rank(0.50);
  s.p95 = rank(0.95);
  s.min = values.front();
  s.max = values.back();
  return s;
}

inline json to_json(const Stats& s) {
  return {{"mean_ms", s.mean},
          {"p50_ms", s.p50},
          {"p95_ms", s.p95},
          {"min_ms", s.min},
          {"max_ms", s.max}};
}

inline std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::string proc_field(const std::string& text, const std::string& key) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto colon = line.find(':');
    if (colon != std::string::npos && line.substr(0, key.size()) == key) {
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  }
  return {};
}

inline json machine() {
  utsname u{};
  uname(&u);
  std::string date(32, '\0');
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  date.resize(std::strftime(date.data(), date.size(), "%Y-%m-%dT%H:%M:%SZ", &parts));
  auto load = read_file("/proc/loadavg");
  load = load.substr(0, load.find(' ', load.find(' ', load.find(' ') + 1) + 1));
  return {{"cpu", proc_field(read_file("/proc/cpuinfo"), "model name")},
          {"cores", sysconf(_SC_NPROCESSORS_ONLN)},
          {"kernel", std::string(u.sysname) + " " + u.release + " " + u.machine},
          {"debian", read_file("/etc/debian_version").substr(0, 5)},
          {"date_utc", date},
          {"load_average", load}};
}

}  // namespace mk::bench
