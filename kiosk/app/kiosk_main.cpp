#include "kiosk/app/kiosk_main.hpp"

#include <chrono>
#include <cstdlib>
#include <future>

#include <SDL.h>
#include <fmt/format.h>
#include <unistd.h>

#include "kiosk/app/app.hpp"
#include "kiosk/app/assets.hpp"
#include "kiosk/app/bootstrap.hpp"
#include "kiosk/app/config_check.hpp"
#include "kiosk/app/exit_codes.hpp"
#include "kiosk/app/health_check.hpp"
#include "kiosk/app/process_hardening.hpp"
#include "kiosk/app/runners.hpp"
#include "kiosk/app/simulated_world.hpp"
#include "kiosk/app/store_opening.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/logging/log.hpp"
#include "kiosk/runtime/kiosk_glance.hpp"
#include "kiosk/script/script.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/font_locator.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/text_renderer.hpp"
#include "offline-cache/inspection.hpp"
#include "offline-cache/time.hpp"

namespace {

long elapsed_ms(std::chrono::steady_clock::time_point since) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - since)
                               .count());
}

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

namespace mk::kiosk {

int kiosk_main(const CommandLine& command, const char* program,
               const SimulatedWorldFactory& simulated_world) {
  try {
    forbid_core_dumps();  // before anything secret can be in memory
  } catch (const std::exception& e) {
    fmt::print(stderr, "mynakiosk: {}\n", e.what());
    return kFailure;
  }
  // Configuration first: nothing else starts on a config an operator got wrong.
  const auto started = std::chrono::steady_clock::now();
  std::string config_path = command.config_path;
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
  if (const auto bad_day = pin_simulated_day(config, process_environment)) {
    fmt::print(stderr, "mynakiosk: {}\n", *bad_day);
    return kBadConfig;
  }
  const StorePaths store_location =
      store_paths(config.store, ::geteuid() == 0, process_environment);
  if (command.check_config) {
    const auto problems = check_config_files(config, store_location);
    if (!problems.empty()) {
      fmt::print(stderr, "mynakiosk: {} points to files that are not right:\n", config_source);
      for (const auto& problem : problems) {
        fmt::print(stderr, "  {}\n", problem);
      }
      return kBadConfig;
    }
    fmt::print("{}: ok\n", config_source);
    return kOk;
  }
  if (command.check) {
    try {
      const auto report =
          health_report(store_location, offline_cache::system_now(), config.printer.queue);
      fmt::print("{}\n", report.dump(2));
      return report.at("ok").get<bool>() ? kOk : kNeedsAttention;
    } catch (const std::exception& e) {
      fmt::print(stderr, "mynakiosk: the check failed: {}\n", e.what());
      return kFailure;
    }
  }
  if (command.day_report) {
    const std::string day = command.day_report->empty() || *command.day_report == "today"
                                ? offline_cache::japan_day(offline_cache::system_now())
                                : *command.day_report;
    try {
      fmt::print("{}", day_report_csv(offline_cache::read_day_report(store_location.dir, day),
                                      config.kiosk.terminal_id));
      return kOk;
    } catch (const std::exception& e) {
      fmt::print(stderr, "mynakiosk: the day's report cannot be read: {}\n", e.what());
      return kFailure;
    }
  }
  if (command.rekey) {
    try {
      const auto aside = rekey_store(store_location);
      fmt::print("mynakiosk: the old store and key are in {}; a new key is {}\n", aside.string(),
                 store_location.key_file.string());
      return kOk;
    } catch (const std::exception& e) {
      fmt::print(stderr, "mynakiosk: re-keying the store failed: {}\n", e.what());
      return kFailure;
    }
  }
  setup_logging(config.log);
  auto log = logger("app");
  // The installed kiosk never runs the simulated world, whatever the configuration says (or
  // leaves to the defaults): it has none.
  if (wants_simulated_world(config) && !simulated_world) {
    log->critical(
        "{} asks for the simulated world ([cards] mode = \"virtual\" or [center] mode = "
        "\"simulator\", the defaults without a configuration); this installed kiosk has none: "
        "configure the readers and the centre ({}), or run the demo, mynakiosk-demo",
        config_source, kSystemConfig);
    return kBadConfig;
  }
  // The adapters log to these names when they are registered (the centre link: "center").
  logger("center");
  logger("cache");

  try {
    std::vector<ScriptStep> script;
    if (!command.script_path.empty()) {
      script = load_script(command.script_path);
    }
    const auto assets = find_assets_dir(config.ui.assets_dir, program);
    // Fontconfig's first match reads all its configuration (~9 ms): while the texts are read.
    auto font_lookup = std::async(std::launch::async,
                                  [&config] { return find_japanese_font(config.ui.font_family); });
    const Catalog catalog = Catalog::load(assets / "texts");
    const FontWeights fonts = font_lookup.get();
    TextRenderer text(fonts);
    // The first screen's fonts open while the display and the kiosk's parts start.
    text.open_ahead(
        usual_fonts(Theme::for_panel(config.display.width, config.display.height,
                                     config.display.diagonal_in, default_look(config))));
    log->info("mynakiosk {} terminal {} config {} assets {}", MK_VERSION, config.kiosk.terminal_id,
              config_source, assets.string());
    log->info("font {} ({} #{}), HarfBuzz {}", fonts.regular.family, fonts.regular.file.string(),
              fonts.regular.index, TextRenderer::harfbuzz_version());

    const SdlSession sdl(command.headless ? SDL_INIT_EVENTS : SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    // The kiosk's parts (the store, the readers, the centre link; the demo's simulated world)
    // start on a thread of their own while the display opens and the first frame is drawn: no
    // one can touch the screen before it shows. Joined before the first input. After SDL_Init:
    // the parts wake the UI loop with SDL events.
    auto parts_starting = std::async(std::launch::async, [&] {
      return std::make_unique<KioskParts>(config, store_location, assets, simulated_world, catalog,
                                          [] {
                                            SDL_Event wake{};
                                            wake.type = SDL_USEREVENT;
                                            SDL_PushEvent(&wake);
                                          });
    });
    std::unique_ptr<Canvas> canvas;
    if (command.headless) {
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
    std::unique_ptr<KioskParts> kiosk;  // outlives the app, which holds its runtime
    App app(config, catalog, text, start, nullptr, {flows_today(config), {}, false});
    if (command.script_path.empty()) {
      // The first frame before the loudspeaker is looked for (finding none can take a tenth of
      // a second, ALSA) and before the parts are waited for. A script draws its own.
      draw_if_needed(app, *canvas, text);
      log->info("first frame after {} ms", elapsed_ms(started));
    }
    kiosk = parts_starting.get();
    log->debug("the kiosk's parts ready after {} ms", elapsed_ms(started));
    ScriptDevices script_devices = kiosk->script_devices();
    app.set_runtime(&kiosk->runtime(), kiosk->terminal_id());
    app.set_staff_runtime(&kiosk->staff_runtime());
    app.set_staff_call(kiosk->staff_call());
    kiosk->set_session_ops([&app](const flows::KioskRequest& request, const Post& post) {
      app.staff_request(request, post);
    });
    // A procedure that keeps something (an audit trail of a card write, a submission) does not
    // start while the store cannot keep it.
    app.set_gate(kiosk->gate());
    app.set_camera([&kiosk] { return kiosk->camera_present(); });
    app.set_faq(&kiosk->faq());
    app.set_session_start(kiosk->session_start());
    app.set_cards_present(kiosk->cards_present());
    const bool interactive =
        command.script_path.empty() && !command.headless && !command.exit_after_first_frame;
    std::unique_ptr<AudioOutput> audio;
    if (config.audio.enabled && (interactive || !command.script_path.empty())) {
      try {
        audio = std::make_unique<AudioOutput>(config.audio.volume);
        log->info("audio: {} (volume {})", audio->driver(), config.audio.volume);
      } catch (const std::exception& e) {
        // The screen still says everything; whoever looks after the kiosk reads why it is mute.
        log->warn(
            "{}: the kiosk runs without its chimes and tones (audio.output = \"off\" "
            "in the configuration if it has no loudspeaker)",
            e.what());
      }
    }
    app.set_sound([&audio](Sound sound) {
      if (audio) {
        audio->play(sound);
      }
    });
    Screenshots screenshots(command.screenshot_dir.empty()
                                ? std::nullopt
                                : std::optional<std::filesystem::path>(command.screenshot_dir));
    if (!command.screen_variants_dir.empty()) {
      screenshots.set_variants(std::make_unique<ScreenVariantWriter>(command.screen_variants_dir,
                                                                     config, catalog, text));
    }
    int code = kOk;
    if (!command.script_path.empty()) {
      const ScriptOutcome outcome =
          run_script(script, app, *canvas, text, screenshots, start, script_devices, audio.get());
      for (const auto& failure : outcome.failures) {
        log->error("script {}: {}", command.script_path, failure);
      }
      if (outcome.sessions_completed > 0 || !outcome.abandoned.empty()) {
        log->info("script {}: {} session(s) completed, {} abandoned", command.script_path,
                  outcome.sessions_completed, outcome.abandoned.size());
      }
      code = outcome.failures.empty() ? kOk : kScriptFailed;
    } else if (command.headless || command.exit_after_first_frame) {
      screenshots.capture(*canvas, app.view().screen);
    } else {
      run_interactive(app, *canvas, text, audio.get(), command.frame_map);
    }
    if (!command.screenshot_dir.empty()) {
      log->info("{} screenshot(s) written to {}", screenshots.written().size(),
                std::filesystem::absolute(command.screenshot_dir).string());
    }
    if (code == kOk && command.strict && !app.warnings().empty()) {
      log->error("strict run: {} UI problem(s) reported", app.warnings().size());
      code = kUiWarnings;
    }
    return code;
  } catch (const StoreRefused& e) {
    log->critical("store: {}", e.what());
    return kStoreRefused;
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

}  // namespace mk::kiosk
