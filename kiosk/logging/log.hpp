#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "kiosk/config/config.hpp"

namespace mk::kiosk {

// Wraps a personal datum (a name, an address, a card number) so that it can be passed where a
// log argument is expected and still never reaches a log line: it formats as "[redacted]".
// PINs never get this far; they live in wiped buffers and are not formattable at all.
template <typename T>
struct Sensitive {
  const T& value;
};
template <typename T>
Sensitive(const T&) -> Sensitive<T>;

// Sets up the sinks every component logger writes to: the console (stderr) and, when the
// systemd journal is there (or config says so), the journal. The line format holds time,
// level, component and message only — no field for a person exists in it.
void setup_logging(const Config::Log& config);

// The logger of one component ("app", "config", "ui", ...), created on first use.
std::shared_ptr<spdlog::logger> logger(const std::string& component);

// The pattern of every console line; exposed so a test can check it carries nothing else.
inline constexpr const char* kLogPattern = "%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ [%n] %v";

}  // namespace mk::kiosk

template <typename T>
struct fmt::formatter<mk::kiosk::Sensitive<T>> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const mk::kiosk::Sensitive<T>&, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format("[redacted]", ctx);
  }
};
