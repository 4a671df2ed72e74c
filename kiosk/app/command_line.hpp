#pragma once

// The kiosk's command line (README.md, "The kiosk executable"), parsed.

#include <optional>
#include <string>

namespace mk::kiosk {

// The configuration an installed kiosk reads when --config names none.
inline constexpr const char* kSystemConfig = "/etc/mynakiosk/mynakiosk.toml";

struct CommandLine {
  std::string config_path;  // empty: /etc/mynakiosk/mynakiosk.toml if present, else the defaults
  bool headless = false;
  bool strict = false;
  bool check_config = false;
  bool exit_after_first_frame = false;
  bool rekey = false;
  bool check = false;
  // --day-report: print the day's report as CSV and exit; "today" or a day (YYYY-MM-DD).
  std::optional<std::string> day_report;
  std::string script_path;
  std::string screenshot_dir;
  std::string screen_variants_dir;
  std::string frame_map;  // the window's buttons after each frame, for driving it from outside
};

struct ParsedCommandLine {
  std::optional<CommandLine> command;  // absent: exit with `exit_code` (help, version, an error)
  int exit_code = 0;
};

// Prints help, the version or what is wrong with the command line itself.
ParsedCommandLine parse_command_line(int argc, char** argv);

}  // namespace mk::kiosk
