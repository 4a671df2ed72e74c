#include "bench/process_sampling.hpp"

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "bench/bench_support.hpp"

namespace mk::bench {

namespace fs = std::filesystem;

std::optional<long long> cpu_ticks(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) {
    return std::nullopt;
  }
  std::istringstream fields(stat.substr(paren + 2));  // field 3 (state) onwards
  std::vector<std::string> f;
  std::string token;
  while (fields >> token) {
    f.push_back(token);
  }
  if (f.size() < 13) {
    return std::nullopt;
  }
  return std::stoll(f[11]) + std::stoll(f[12]);  // fields 14 (utime) and 15 (stime)
}

ThreadTotals thread_totals(pid_t pid) {
  ThreadTotals totals;
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::istringstream schedstat(read_file(task.path() / "schedstat"));
    long long ns = 0;
    if (schedstat >> ns) {
      totals.cpu_ns += ns;
    }
    const std::string status = read_file(task.path() / "status");
    totals.context_switches += std::atoll(proc_field(status, "voluntary_ctxt_switches").c_str()) +
                               std::atoll(proc_field(status, "nonvoluntary_ctxt_switches").c_str());
    ++totals.threads;
  }
  return totals;
}

double status_mib(pid_t pid, const std::string& key) {
  const std::string value =
      proc_field(read_file("/proc/" + std::to_string(pid) + "/status"), key);  // "N kB"
  if (value.empty()) {
    return std::nan("");
  }
  return std::strtod(value.c_str(), nullptr) / 1024.0;
}

std::vector<std::string> graphics_libraries(pid_t pid) {
  std::set<std::string> found;
  std::istringstream maps(read_file("/proc/" + std::to_string(pid) + "/maps"));
  std::string line;
  while (std::getline(maps, line)) {
    const auto slash = line.rfind('/');
    if (slash == std::string::npos) {
      continue;
    }
    const std::string name = line.substr(slash + 1);
    for (const char* marker : {"_dri.so", "libGLX_", "libEGL_", "libvulkan_", "libgallium"}) {
      if (name.find(marker) != std::string::npos) {
        found.insert(name);
      }
    }
  }
  return {found.begin(), found.end()};
}

}  // namespace mk::bench
