#include "kiosk/logging/log.hpp"

#include <filesystem>
#include <mutex>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>

namespace mk::kiosk {

namespace {

std::mutex sinks_mutex;
std::vector<spdlog::sink_ptr>& sinks() {
  static std::vector<spdlog::sink_ptr> list;
  return list;
}
spdlog::level::level_enum current_level = spdlog::level::info;

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::trace:
      return spdlog::level::trace;
    case LogLevel::debug:
      return spdlog::level::debug;
    case LogLevel::info:
      return spdlog::level::info;
    case LogLevel::warn:
      return spdlog::level::warn;
    case LogLevel::error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

bool journal_present() {
  std::error_code ignored;
  return std::filesystem::exists("/run/systemd/journal/socket", ignored);
}

}  // namespace

void setup_logging(const Config::Log& config) {
  const std::lock_guard lock(sinks_mutex);
  auto& list = sinks();
  list.clear();
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  console->set_pattern(kLogPattern);
  list.push_back(console);
  const bool journal = config.journal == JournalMode::on ||
                       (config.journal == JournalMode::automatic && journal_present());
  if (journal) {
    // The journal stamps time and priority itself; the line holds the component and message.
    auto sink = std::make_shared<spdlog::sinks::systemd_sink_mt>("mynakiosk");
    sink->set_pattern("[%n] %v");
    list.push_back(sink);
  }
  current_level = to_spdlog(config.level);
  // Loggers made before this call get the new sinks too.
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& existing) {
    existing->sinks() = list;
    existing->set_level(current_level);
  });
}

std::shared_ptr<spdlog::logger> logger(const std::string& component) {
  const std::lock_guard lock(sinks_mutex);
  if (auto existing = spdlog::get(component)) {
    return existing;
  }
  if (sinks().empty()) {
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_pattern(kLogPattern);
    sinks().push_back(console);
  }
  auto made = std::make_shared<spdlog::logger>(component, sinks().begin(), sinks().end());
  made->set_level(current_level);
  spdlog::register_logger(made);
  return made;
}

}  // namespace mk::kiosk
