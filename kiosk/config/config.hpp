#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "flows/language.hpp"

namespace mk::kiosk {

enum class WindowMode { window, kiosk };  // kiosk: full screen, no cursor, no way out but staff
enum class JournalMode { automatic, on, off };
enum class LogLevel { trace, debug, info, warn, error };

struct Config {
  struct Display {
    int width = 1920;
    int height = 1080;
    WindowMode mode = WindowMode::window;
    double text_scale = 1.0;  // large-text mode multiplies every font size
  } display;
  struct Kiosk {
    std::string terminal_id = "KIOSK-DEV-01";
    flows::Language default_language = flows::Language::ja;
  } kiosk;
  struct Session {
    int idle_timeout_s = 90;
  } session;
  struct Log {
    LogLevel level = LogLevel::info;
    JournalMode journal = JournalMode::automatic;
  } log;
  struct Ui {
    std::string font_family = "Noto Sans CJK JP";
    std::string assets_dir;  // empty: found next to the executable or in the source tree
  } ui;
};

// One thing wrong with a config file: which key, where, and why, in words an operator can act on.
struct ConfigError {
  std::string key;  // dotted path, e.g. "display.width"; empty for a syntax error
  int line = 0;     // 1-based; 0 when unknown
  int column = 0;
  std::string reason;

  std::string to_string(const std::string& file) const;
};

struct ConfigResult {
  std::optional<Config> config;     // set only when errors is empty
  std::vector<ConfigError> errors;  // every problem found, not just the first
};

// Parses and validates TOML text. Unknown keys are errors: a typo must not silently fall back
// to a default on a kiosk that nobody watches.
ConfigResult parse_config(std::string_view toml_text);
ConfigResult load_config(const std::filesystem::path& file);

}  // namespace mk::kiosk
