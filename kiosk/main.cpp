// mynakiosk: the kiosk application. See README.md for how to run it and docs/architecture.md for
// how it is built.

#include <CLI/CLI.hpp>
#include <SDL.h>
#include <fmt/format.h>

#include "kiosk/app/app.hpp"
#include "kiosk/app/assets.hpp"
#include "kiosk/app/runners.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/logging/log.hpp"
#include "kiosk/script/script.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/font_locator.hpp"
#include "kiosk/ui/text_renderer.hpp"

namespace {

// Exit codes, also listed in README.md.
enum Exit : int {
  kOk = 0,
  kFailure = 1,
  kBadConfig = 2,  // bad config file, bad command line or bad script
  kScriptFailed = 3,
  kUiWarnings = 4,  // --strict and the UI reported a problem (missing text, overflow, glyphs)
};

constexpr const char* kSystemConfig = "/etc/mynakiosk/mynakiosk.toml";

struct SdlSession {
  explicit SdlSession(Uint32 flags) {
    if (SDL_Init(flags) != 0) {
      throw std::runtime_error(std::string("SDL could not start: ") + SDL_GetError());
    }
  }
  ~SdlSession() { SDL_Quit(); }
  SdlSession(const SdlSession&) = delete;
  SdlSession& operator=(const SdlSession&) = delete;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace mk::kiosk;
  CLI::App cli{"MynaKiosk: the マイナ免許証 self-service kiosk"};
  std::string config_path;
  bool headless = false;
  bool strict = false;
  bool check_config = false;
  bool exit_after_first_frame = false;
  std::string script_path;
  std::string screenshot_dir;
  cli.add_option("--config", config_path,
                 std::string("configuration file (default: ") + kSystemConfig +
                     " if present, else the built-in defaults)");
  cli.add_flag("--headless", headless, "no window: draw with the software renderer offscreen");
  cli.add_option("--script", script_path, "play a UI script (taps, keys, waits, expectations)");
  cli.add_option("--screenshots", screenshot_dir,
                 "write a PNG of every screen shown to this folder");
  cli.add_flag("--strict", strict, "exit with code 4 when the UI reports any problem");
  cli.add_flag("--check-config", check_config, "validate the configuration and exit");
  cli.add_flag("--exit-after-first-frame", exit_after_first_frame,
               "draw the first frame and exit (used to measure start-up)");
  cli.set_version_flag("--version", std::string("mynakiosk ") + MK_VERSION);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? kOk : kBadConfig;
  }

  // Configuration first: nothing else starts on a config an operator got wrong.
  Config config;
  std::string config_source = "built-in defaults";
  if (config_path.empty() && std::filesystem::exists(kSystemConfig)) {
    config_path = kSystemConfig;
  }
  if (!config_path.empty()) {
    const ConfigResult result = load_config(config_path);
    if (!result.config) {
      fmt::print(stderr, "mynakiosk: the configuration is not valid:\n");
      for (const auto& error : result.errors) {
        fmt::print(stderr, "  {}\n", error.to_string(config_path));
      }
      return kBadConfig;
    }
    config = *result.config;
    config_source = config_path;
  }
  if (check_config) {
    fmt::print("{}: ok\n", config_source);
    return kOk;
  }
  setup_logging(config.log);
  auto log = logger("app");

  try {
    std::vector<ScriptStep> script;
    if (!script_path.empty()) {
      script = load_script(script_path);
    }
    const auto assets = find_assets_dir(config.ui.assets_dir, argv[0]);
    const Catalog catalog = Catalog::load(assets / "texts");
    const FontWeights fonts = find_japanese_font(config.ui.font_family);
    log->info("mynakiosk {} terminal {} config {} assets {}", MK_VERSION, config.kiosk.terminal_id,
              config_source, assets.string());
    log->info("font {} ({} #{}), HarfBuzz {}", fonts.regular.family, fonts.regular.file.string(),
              fonts.regular.index, TextRenderer::harfbuzz_version());

    const SdlSession sdl(headless ? SDL_INIT_EVENTS : SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    TextRenderer text(fonts);
    std::unique_ptr<Canvas> canvas;
    if (headless) {
      canvas = Canvas::offscreen(config.display.width, config.display.height);
    } else {
      // Without a reachable display SDL falls back to its offscreen driver: the kiosk would run
      // invisibly (and poll for input). Refuse, unless that driver was asked for by name.
      const std::string driver =
          SDL_GetCurrentVideoDriver() != nullptr ? SDL_GetCurrentVideoDriver() : "";
      const char* requested = SDL_getenv("SDL_VIDEODRIVER");
      if ((driver == "offscreen" || driver == "dummy") &&
          (requested == nullptr || driver != requested)) {
        log->critical("no display can be reached (DISPLAY={}); run with --headless instead",
                      SDL_getenv("DISPLAY") != nullptr ? SDL_getenv("DISPLAY") : "unset");
        return kFailure;
      }
      canvas = Canvas::open_window({config.display.width, config.display.height,
                                    config.display.mode == WindowMode::kiosk, "MynaKiosk"});
      SDL_DisableScreenSaver();
    }
    const auto start = std::chrono::steady_clock::now();
    App app(config, catalog, text, start);
    Screenshots screenshots(screenshot_dir.empty()
                                ? std::nullopt
                                : std::optional<std::filesystem::path>(screenshot_dir));
    int code = kOk;
    if (!script_path.empty()) {
      const ScriptOutcome outcome = run_script(script, app, *canvas, text, screenshots, start);
      for (const auto& failure : outcome.failures) {
        log->error("script {}: {}", script_path, failure);
      }
      code = outcome.failures.empty() ? kOk : kScriptFailed;
    } else if (headless || exit_after_first_frame) {
      draw_if_needed(app, *canvas, text);
      screenshots.capture(*canvas, app.view().screen);
    } else {
      run_interactive(app, *canvas, text);
    }
    if (!screenshot_dir.empty()) {
      log->info("{} screenshot(s) written to {}", screenshots.written().size(),
                std::filesystem::absolute(screenshot_dir).string());
    }
    if (code == kOk && strict && !app.warnings().empty()) {
      log->error("strict run: {} UI problem(s) reported", app.warnings().size());
      code = kUiWarnings;
    }
    return code;
  } catch (const ScriptError& e) {
    log->error("{}", e.what());
    return kBadConfig;
  } catch (const MissingFontError& e) {
    log->critical("{}", e.what());
    return kFailure;
  } catch (const std::exception& e) {
    log->critical("cannot run: {}", e.what());
    return kFailure;
  }
}
