#include "kiosk/app/command_line.hpp"

// GCC 12 sees a "potential null dereference" in CLI11's own string splitting once it is inlined
// into this small function (a false positive inside the library's header).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop

#include "kiosk/app/exit_codes.hpp"

namespace mk::kiosk {

ParsedCommandLine parse_command_line(int argc, char** argv) {
  CLI::App cli{"MynaKiosk: the マイナ免許証 self-service kiosk"};
  ParsedCommandLine parsed;
  CommandLine& c = parsed.command.emplace();
  cli.add_option("--config", c.config_path,
                 std::string("configuration file (default: ") + kSystemConfig +
                     " if present, else the built-in defaults)");
  cli.add_flag("--headless", c.headless, "no window: draw with the software renderer offscreen");
  cli.add_option("--script", c.script_path, "play a UI script (taps, keys, waits, expectations)");
  cli.add_option("--screenshots", c.screenshot_dir,
                 "write a PNG of every screen shown to this folder");
  cli.add_option("--screen-variants", c.screen_variants_dir,
                 "with --script: draw each screen shown, once, in the looks its golden images "
                 "are kept in (half-size PNGs <screen>.<look>.png in this folder), checking each");
  cli.add_option("--frame-map", c.frame_map,
                 "in a window: after each frame, write the screen id and where its buttons are "
                 "(JSON, no texts) to this file, for driving the window from outside (xdotool)");
  cli.add_flag("--strict", c.strict, "exit with code 4 when the UI reports any problem");
  cli.add_flag("--check-config", c.check_config, "validate the configuration and exit");
  cli.add_flag("--exit-after-first-frame", c.exit_after_first_frame,
               "draw the first frame and exit (used to measure start-up)");
  cli.add_flag("--check", c.check,
               "print the store's health as JSON and exit (0 ok, 6 someone must act); reads "
               "only, safe beside a running kiosk");
  cli.add_option("--day-report", c.day_report,
                 "print the day's report (procedures by outcome and duration, diagnostic codes; "
                 "nothing personal) as CSV and exit: \"today\" or YYYY-MM-DD; reads only, safe "
                 "beside a running kiosk")
      ->expected(0, 1)
      ->default_str("today");
  cli.add_flag("--rekey-store", c.rekey,
               "set the store and its key aside intact (<store dir>/set-aside-<time>/), make a "
               "new key and exit; for a store whose key is lost");
  cli.set_version_flag("--version", std::string("mynakiosk ") + MK_VERSION);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    parsed.exit_code = cli.exit(e) == 0 ? kOk : kBadConfig;
    parsed.command.reset();
  }
  return parsed;
}

}  // namespace mk::kiosk
