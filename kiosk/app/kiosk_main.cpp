#include "kiosk/app/kiosk_main.hpp"

#include <atomic>
#include <cstdlib>

#include <CLI/CLI.hpp>
#include <SDL.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <unistd.h>

#include "center/client/center_api.hpp"
#include "center/client/center_client.hpp"
#include "devices/pcsc/reader_manager.hpp"
#include "flows/holding_form/holding_form_flow.hpp"
#include "flows/read_back/read_back_flow.hpp"
#include "flows/record/record_flow.hpp"
#include "flows/renewal/renewal_flow.hpp"
#include "kiosk/app/app.hpp"
#include "kiosk/app/assets.hpp"
#include "kiosk/app/config_check.hpp"
#include "kiosk/app/health_check.hpp"
#include "kiosk/app/process_hardening.hpp"
#include "kiosk/app/runners.hpp"
#include "kiosk/app/simulated_world.hpp"
#include "kiosk/app/store_opening.hpp"
#include "kiosk/config/center_link.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/logging/log.hpp"
#include "kiosk/runtime/card_service.hpp"
#include "kiosk/runtime/center_service.hpp"
#include "kiosk/runtime/center_sync.hpp"
#include "kiosk/runtime/flow_runtime.hpp"
#include "kiosk/runtime/problem_reporter.hpp"
#include "kiosk/runtime/store_condition.hpp"
#include "kiosk/script/script.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/font_locator.hpp"
#include "kiosk/ui/text_renderer.hpp"
#include "offline-cache/background_sender.hpp"
#include "offline-cache/store.hpp"

namespace {

// Exit codes, also listed in README.md.
enum Exit : int {
  kOk = 0,
  kFailure = 1,
  kBadConfig = 2,  // bad config file, bad command line or bad script
  kScriptFailed = 3,
  kUiWarnings = 4,      // --strict and the UI reported a problem (missing text, overflow, glyphs)
  kStoreRefused = 5,    // the store cannot be opened without losing what it holds (a missing key)
  kNeedsAttention = 6,  // --check: someone must act (the JSON's "attention" says why)
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

namespace mk::kiosk {

int kiosk_main(int argc, char** argv, const SimulatedWorldFactory& simulated_world) {
  try {
    forbid_core_dumps();  // before anything secret can be in memory
  } catch (const std::exception& e) {
    fmt::print(stderr, "mynakiosk: {}\n", e.what());
    return kFailure;
  }
  CLI::App cli{"MynaKiosk: the マイナ免許証 self-service kiosk"};
  std::string config_path;
  bool headless = false;
  bool strict = false;
  bool check_config = false;
  bool exit_after_first_frame = false;
  bool rekey = false;
  bool check = false;
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
  cli.add_flag("--check", check,
               "print the store's health as JSON and exit (0 ok, 6 someone must act); reads "
               "only, safe beside a running kiosk");
  cli.add_flag("--rekey-store", rekey,
               "set the store and its key aside intact (<store dir>/set-aside-<time>/), make a "
               "new key and exit; for a store whose key is lost");
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
  if (const auto bad_day = pin_simulated_day(config, process_environment)) {
    fmt::print(stderr, "mynakiosk: {}\n", *bad_day);
    return kBadConfig;
  }
  const StorePaths store_location =
      store_paths(config.store, ::geteuid() == 0, process_environment);
  if (check_config) {
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
  if (check) {
    try {
      const auto report = health_report(store_location, offline_cache::system_now());
      fmt::print("{}\n", report.dump(2));
      return report.at("ok").get<bool>() ? kOk : kNeedsAttention;
    } catch (const std::exception& e) {
      fmt::print(stderr, "mynakiosk: the check failed: {}\n", e.what());
      return kFailure;
    }
  }
  if (rekey) {
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
  const bool wants_world =
      config.cards.mode == CardsMode::virtual_cards || config.center.mode == CenterMode::simulator;
  if (wants_world && !simulated_world) {
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
    // The simulated world of the embedded default (the demo build only): virtual cards and the
    // centre simulator. The installed build has none and refuses a configuration that asks for it.
    std::unique_ptr<SimulatedWorld> world;
    if (wants_world) {
      world = simulated_world(config, assets);
    }
    std::filesystem::path license_ca = config.cards.license_ca_file;
    if (world && world->license_ca()) {
      license_ca = *world->license_ca();
    }
    std::atomic<CardService*> cards_ptr{nullptr};
    devices::ReaderManager readers([&cards_ptr](const devices::ReaderEvent& e) {
      if (CardService* c = cards_ptr.load(); c != nullptr) {
        c->on_reader_event(e);
      }
    });
    CardService cards(readers, license_ca);
    cards_ptr = &cards;
    // Destroyed before `cards`: the reader thread stops telling it about cards first.
    const struct Unhook {
      std::atomic<CardService*>& ptr;
      ~Unhook() { ptr = nullptr; }
    } unhook{cards_ptr};
    // The centre: the simulated world's (the demo), otherwise the configured one.
    mk::center::client::CenterLinkConfig link;
    if (world && world->center_link()) {
      link = *world->center_link();
      link.connect_timeout = std::chrono::seconds(config.center.connect_timeout_s);
      link.total_timeout = std::chrono::seconds(config.center.request_timeout_s);
      log->info("centre: the built-in simulator on {} (terminal {})", link.base_url,
                link.terminal_id);
    } else {
      link = center_link(config);
      log->info("centre: {}", link.base_url);
    }
    mk::center::client::CenterClient center_link(link);
    mk::center::client::CenterApi center_api(center_link);
    CenterService center(center_api);

    // The durable store: the outbox (sent by the background sender), the audit log (uploaded).
    bool made_key = false;
    const auto store = open_store(store_location, {}, &made_key);
    log->info("store: {} (key {}, {})", store_location.dir.string(),
              store_location.key_file.string(), store_location.key_source);
    if (made_key) {
      log->warn("store: made a new key file {}", store_location.key_file.string());
    }
    namespace oc = offline_cache;
    ProblemReporter problems(&store->audit(), link.terminal_id);
    log->info("store: {}", store->open_report().summary());
    if (const auto& restarted = store->open_report().audit_restarted) {
      problems.report(oc::problem_code::kAuditChainRestarted, true, *restarted);
    }
    for (const auto& moved : store->open_report().moved_aside) {
      problems.report(oc::problem_code::kMovedAside, true,
                      moved.original.filename().string() + " was damaged (" + moved.reason +
                          ") and moved aside to " + moved.moved_to.string());
      if (moved.salvage && !moved.salvage->complete()) {
        problems.report(oc::problem_code::kSalvagePartial, true, moved.salvage->summary());
      }
    }
    StoreCondition store_condition(
        store_location.dir, problems, [&store] { store->probe_commit(); },
        static_cast<uint64_t>(config.store.min_free_mb) * 1024 * 1024);
    oc::BackgroundSender::Options sender_options;
    sender_options.on_problem = [&problems](const oc::StoreProblem& p) { problems.report(p); };
    oc::BackgroundSender sender(
        store->outbox(),
        [&center_api](const oc::OutboxItem& item) { return deliver_to_center(center_api, item); },
        oc::system_now, sender_options);
    sender.start();
    CenterSync sync(*store, center_api, link.terminal_id, &problems);
    sync.wake();  // reference data and pending audit rows at once

    FlowServices services;
    services.outbox = [&store, &log, &store_condition](flows::OutboxEnqueue&& e, const Post& post) {
      // Committed (fsync) before the flow may say "done"; the sender delivers it later.
      try {
        offline_cache::SecretBytes payload(nlohmann::json(e.payload).dump());
        for (auto& [k, v] : e.payload) {
          OPENSSL_cleanse(v.data(), v.size());
        }
        const std::string key =
            e.idempotency_key.empty() ? new_idempotency_key() : e.idempotency_key;
        store->outbox().enqueue(e.kind, key, payload);
        // The key is no personal data: it lets an operator (and the soak) follow one submission
        // to the centre.
        log->info("outbox: kept {} {} for the centre", e.kind, key);
        store_condition.write_succeeded();
        post(flows::Event::store("outbox", "ok"));
      } catch (const std::exception& error) {
        log->error("outbox: {}", error.what());
        store_condition.write_failed(error);
        post(flows::Event::store("outbox", "error"));
      }
    };
    services.audit = [&store, &sync, &log, &store_condition, terminal = link.terminal_id](
                         const flows::AuditEntry& e, const std::string& flow,
                         const std::string& state) {
      try {
        store->audit().append({"holder",
                               e.action,
                               e.result,
                               terminal,
                               e.detail.empty() ? flow + " in " + state : e.detail,
                               {},
                               {}});
        // (Not write_succeeded(): an audit row in audit.db says nothing of cache.db, where the
        // outbox lives.)
        sync.wake();
      } catch (const std::exception& error) {
        log->error("audit: {}", error.what());
        store_condition.write_failed(error);
      }
    };
    services.center = [&center](flows::CenterRequest r, Post p) {
      center.submit(std::move(r), std::move(p));
    };
    services.card = [&cards](flows::CardRequest r, Post p) {
      cards.submit(std::move(r), std::move(p));
    };
    services.release_card = [&cards] { cards.release(); };
    services.wake = [] {
      SDL_Event wake{};
      wake.type = SDL_USEREVENT;
      SDL_PushEvent(&wake);
    };
    FlowRuntime runtime(std::move(services));
    // Destroyed before `runtime`: the card and centre workers stop posting to it first.
    const struct StopServices {
      CardService& cards;
      CenterService& center;
      ~StopServices() {
        cards.stop();
        center.stop();
      }
    } stop_services{cards, center};
    std::map<std::string, FlowFactory> procedures;
    procedures["record"] = [&config](flows::Language language) -> std::unique_ptr<ActiveFlow> {
      return std::make_unique<FlowAdapter<flows::RecordFlow>>("record", language,
                                                              flows_today(config));
    };
    procedures["holding_form"] = [](flows::Language language) -> std::unique_ptr<ActiveFlow> {
      return std::make_unique<FlowAdapter<flows::HoldingFormFlow>>("holding_form", language);
    };
    procedures["history"] = [&config](flows::Language language) -> std::unique_ptr<ActiveFlow> {
      return std::make_unique<FlowAdapter<flows::RecordFlow>>(
          "history", language, flows_today(config), flows::RecordKind::driving_history);
    };
    procedures["renewal"] = [&config](flows::Language language) -> std::unique_ptr<ActiveFlow> {
      return std::make_unique<FlowAdapter<flows::RenewalFlow>>("renewal", language,
                                                               flows_today(config));
    };
    procedures["read_back"] = [](flows::Language language) -> std::unique_ptr<ActiveFlow> {
      return std::make_unique<FlowAdapter<flows::ReadBackFlow>>("read_back", language);
    };
    ScriptDevices script_devices = world ? world->script_devices() : ScriptDevices{};
    script_devices.drained = [&store, &sender, &sync] {
      sender.wake();  // (a row backing off stays due when it is due)
      sync.wake();
      return store->outbox().pending_count() == 0 &&
             store->audit().uploaded_through() >= store->audit().head_seq();
    };

    const auto start = std::chrono::steady_clock::now();
    App app(config, catalog, text, start, &runtime, std::move(procedures));
    // Every procedure but the read-back keeps something (an audit trail of a card write, a
    // submission): none starts while the store cannot keep it.
    app.set_gate([&store_condition](const std::string& procedure) -> std::optional<std::string> {
      return procedure == "read_back" ? std::nullopt : store_condition.refusal();
    });
    Screenshots screenshots(screenshot_dir.empty()
                                ? std::nullopt
                                : std::optional<std::filesystem::path>(screenshot_dir));
    int code = kOk;
    if (!script_path.empty()) {
      const ScriptOutcome outcome =
          run_script(script, app, *canvas, text, screenshots, start, script_devices);
      for (const auto& failure : outcome.failures) {
        log->error("script {}: {}", script_path, failure);
      }
      if (outcome.sessions_completed > 0 || !outcome.abandoned.empty()) {
        log->info("script {}: {} session(s) completed, {} abandoned", script_path,
                  outcome.sessions_completed, outcome.abandoned.size());
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
