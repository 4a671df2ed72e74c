#include "kiosk/logging/log.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

namespace mk::kiosk {
namespace {

TEST(Log, SensitiveValuesNeverReachTheLine) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  sink->set_pattern(kLogPattern);
  spdlog::logger log("test", sink);
  const std::string name = "山田 太郎";
  const std::string address = "東京都千代田区霞が関2-1-2";
  log.info("matched {} at {}", Sensitive{name}, Sensitive{address});
  const std::string line = out.str();
  EXPECT_EQ(line.find("山田"), std::string::npos) << line;
  EXPECT_EQ(line.find("霞が関"), std::string::npos) << line;
  EXPECT_NE(line.find("matched [redacted] at [redacted]"), std::string::npos) << line;
  EXPECT_NE(line.find("info [test]"), std::string::npos) << line;
}

TEST(Log, ComponentLoggersAreSharedAndLevelled) {
  Config::Log config;
  config.level = LogLevel::warn;
  config.journal = JournalMode::off;
  setup_logging(config);
  auto a = logger("component-a");
  EXPECT_EQ(a, logger("component-a"));
  EXPECT_EQ(a->level(), spdlog::level::warn);
  config.level = LogLevel::debug;
  setup_logging(config);
  EXPECT_EQ(a->level(), spdlog::level::debug) << "setup applies to loggers made earlier";
}

}  // namespace
}  // namespace mk::kiosk
