// mynakiosk-bench: the kiosk shell's performance numbers (issue 2), as docs/performance.md
// quotes them. It measures
//   - cold start to first frame: fresh `mynakiosk --exit-after-first-frame` processes, headless
//     and in a window;
//   - frame render time at 1920x1080 with SDL's software renderer, in this process;
//   - idle CPU and peak RSS of a real windowed kiosk (under an Xvfb it starts itself when there
//     is no DISPLAY);
// and the machine it ran on. It writes one JSON object to --out, prints a summary, and exits
// non-zero when any measurement failed or came out out of range, so a smoke run is a test.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <SDL.h>
#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_support.hpp"
#include "bench/child_process.hpp"
#include "bench/process_sampling.hpp"
#include "center/sim/test_tls.hpp"
#include "devices/sim/encoding.hpp"
#include "devices/sim/pki.hpp"
#include "flows/view_model.hpp"
#include "kiosk/app/app.hpp"
#include "kiosk/app/input.hpp"
#include "kiosk/app/runners.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/logging/log.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/font_locator.hpp"
#include "kiosk/ui/frame.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/text_renderer.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;
using namespace std::chrono_literals;

using mk::bench::Child;
using mk::bench::cpu_ticks;
using mk::bench::environment_with_display;
using mk::bench::ExitInfo;
using mk::bench::find_in_path;
using mk::bench::graphics_libraries;
using mk::bench::proc_field;
using mk::bench::read_file;
using mk::bench::status_mib;
using mk::bench::thread_totals;
using mk::bench::ThreadTotals;

constexpr int kWidth = 1920;
constexpr int kHeight = 1080;

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// ---------------------------------------------------------------------------------------------
// Statistics

struct Stats {
  double mean = 0, p50 = 0, p95 = 0, min = 0, max = 0;
};

// Nearest-rank percentiles: p50 of 5 runs is the 3rd fastest, p95 of 50 is the 48th.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const auto index = static_cast<size_t>(std::max(1.0, rank)) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

Stats summarize(std::vector<double> values) {
  Stats s;
  if (values.empty()) {
    return s;
  }
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (const double v : values) {
    sum += v;
  }
  s.mean = sum / static_cast<double>(values.size());
  s.p50 = percentile(values, 50);
  s.p95 = percentile(values, 95);
  s.min = values.front();
  s.max = values.back();
  return s;
}

// ---------------------------------------------------------------------------------------------
// Checks: every measurement is recorded here; any failure makes the run fail.

class Checks {
 public:
  void positive(const std::string& name, double value) {
    if (!std::isfinite(value) || value <= 0) {
      failures_.push_back(name + " is " + std::to_string(value) + ", expected > 0");
    }
  }
  // For numbers whose ideal is zero (idle CPU): they must be measured, and not be negative.
  void non_negative(const std::string& name, double value) {
    if (!std::isfinite(value) || value < 0) {
      failures_.push_back(name + " is " + std::to_string(value) + ", expected >= 0");
    }
  }
  void fail(const std::string& what) { failures_.push_back(what); }
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  std::vector<std::string> failures_;
};

// ---------------------------------------------------------------------------------------------
// The machine

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return std::isspace(c) == 0; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

struct Machine {
  std::string cpu_model;
  long cores = 0;
  double memory_gib = 0;
  std::string kernel;
  std::string debian_version;
  std::string date_utc;
  std::string load_average;
};

Machine describe_machine() {
  Machine m;
  m.cpu_model = proc_field(read_file("/proc/cpuinfo"), "model name");
  m.cores = sysconf(_SC_NPROCESSORS_ONLN);
  const std::string mem_total = proc_field(read_file("/proc/meminfo"), "MemTotal");  // "N kB"
  m.memory_gib = std::strtod(mem_total.c_str(), nullptr) / (1024.0 * 1024.0);
  utsname u{};
  if (uname(&u) == 0) {
    m.kernel = std::string(u.sysname) + " " + u.release + " " + u.machine;
  }
  m.debian_version = trim(read_file("/etc/debian_version"));
  m.date_utc = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
  std::istringstream load(read_file("/proc/loadavg"));
  std::string one, five, fifteen;
  load >> one >> five >> fifteen;
  m.load_average = one + " " + five + " " + fifteen;
  return m;
}

// ---------------------------------------------------------------------------------------------
// The display for the windowed measurements

class Display {
 public:
  // The session's DISPLAY if there is one, else a new Xvfb on the first free display number.
  Display(int log_fd, Checks& checks) {
    const char* existing = std::getenv("DISPLAY");  // NOLINT(concurrency-mt-unsafe): one thread
    if (existing != nullptr && *existing != 0) {
      name_ = existing;
      description_ = std::string(existing) + " (the session's display)";
      return;
    }
    const std::string xvfb = find_in_path("Xvfb");
    if (xvfb.empty()) {
      checks.fail("no DISPLAY and no Xvfb in PATH (apt-get install xvfb)");
      return;
    }
    int tries = 0;
    for (int n = 90; n < 200 && tries < 5; ++n) {
      const fs::path socket = "/tmp/.X11-unix/X" + std::to_string(n);
      const fs::path lock = "/tmp/.X" + std::to_string(n) + "-lock";
      std::error_code ec;
      if (fs::exists(socket, ec) || fs::exists(lock, ec)) {
        continue;
      }
      ++tries;
      const std::string name = ":" + std::to_string(n);
      // -noreset: the server would otherwise reset each time its last client leaves, i.e.
      // between two measured starts.
      auto server = std::make_unique<Child>(
          std::vector<std::string>{xvfb, name, "-screen", "0", "1920x1080x24", "-nolisten", "tcp",
                                   "-noreset"},
          environment_with_display(""), log_fd);
      const auto deadline = Clock::now() + 10s;
      bool ready = false;
      while (Clock::now() < deadline && !server->poll()) {
        if (fs::exists(socket, ec)) {
          std::this_thread::sleep_for(50ms);
          ready = !server->poll();  // still ours: a server that lost the lock race exits
          break;
        }
        std::this_thread::sleep_for(10ms);
      }
      if (ready) {
        xvfb_ = std::move(server);
        name_ = name;
        description_ = name + " (Xvfb 1920x1080x24 started by the bench)";
        return;
      }
      server->stop(2s);  // lost a race for this number, or too slow: try the next one
    }
    checks.fail("could not start Xvfb (see the children's log)");
  }
  ~Display() { close(); }
  Display(const Display&) = delete;
  Display& operator=(const Display&) = delete;

  bool ok() const { return !name_.empty(); }
  const std::string& name() const { return name_; }
  const std::string& description() const { return description_; }
  void close() {
    if (xvfb_) {
      xvfb_->stop(5s);
      xvfb_.reset();
    }
  }

 private:
  std::string name_;
  std::string description_;
  std::unique_ptr<Child> xvfb_;
};

// ---------------------------------------------------------------------------------------------
// Measurements

struct ColdStarts {
  bool measured = false;
  std::string display;
  int runs = 0;
  double first_ms = 0;  // the unmeasured warm-up run (page cache)
  Stats ms;
  double peak_rss_mib = 0;  // largest ru_maxrss of the runs
};

// `argv`: the whole command; `display`: empty for none.
ColdStarts measure_cold_starts(const std::vector<std::string>& argv, const std::string& display,
                               int runs, int log_fd, Checks& checks, const std::string& label) {
  ColdStarts result;
  result.display = display;
  const auto env = environment_with_display(display);
  std::vector<double> times;
  for (int i = 0; i <= runs; ++i) {  // run 0 warms the page cache and is not counted
    const auto start = Clock::now();
    Child child(argv, env, log_fd);
    const ExitInfo exit = child.wait();
    const double ms = ms_between(start, Clock::now());
    if (!exit.exited_ok()) {
      checks.fail(label + " start " + std::to_string(i) + ": mynakiosk " + exit.describe());
      return result;
    }
    if (i == 0) {
      result.first_ms = ms;
      continue;
    }
    times.push_back(ms);
    result.peak_rss_mib =
        std::max(result.peak_rss_mib, static_cast<double>(exit.usage.ru_maxrss) / 1024.0);
  }
  result.measured = true;
  result.runs = runs;
  result.ms = summarize(times);
  checks.positive(label + ".median_ms", result.ms.p50);
  checks.positive(label + ".max_ms", result.ms.max);
  checks.positive(label + ".peak_rss_mib", result.peak_rss_mib);
  return result;
}

struct ScreenTiming {
  std::string screen;
  size_t labels = 0;
  size_t buttons = 0;
  double cold_ms = 0;
  Stats total_ms;
  double layout_mean_ms = 0;
  double draw_mean_ms = 0;
  uint64_t fingerprint = 0;
};

struct RenderResult {
  bool measured = false;
  std::string font;
  std::vector<ScreenTiming> screens;
  Stats touch_to_frame_ms;  // a tap's input event to its new frame presented
  int touches = 0;
  size_t ui_warnings = 0;
};

// One layout + draw + present of a view model; adds the two parts' times in ms.
mk::kiosk::Frame render_once(const mk::flows::ViewModel& vm, const mk::kiosk::Config& config,
                             const mk::kiosk::Look& look, const mk::kiosk::Catalog& catalog,
                             mk::kiosk::TextRenderer& text, mk::kiosk::Canvas& canvas,
                             double& layout_ms, double& draw_ms,
                             const std::shared_ptr<const mk::kiosk::Frame>& backdrop) {
  const auto t0 = Clock::now();
  const auto theme = mk::kiosk::Theme::for_panel(canvas.width(), canvas.height(),
                                                 config.display.diagonal_in, look);
  mk::kiosk::Frame frame = backdrop ? mk::kiosk::layout_dialog(vm, backdrop, catalog, text, theme,
                                                               canvas.width(), canvas.height())
                                    : mk::kiosk::layout_screen(vm, catalog, text, theme,
                                                               canvas.width(), canvas.height());
  const auto t1 = Clock::now();
  canvas.draw(frame, text);
  canvas.present();
  const auto t2 = Clock::now();
  layout_ms = ms_between(t0, t1);
  draw_ms = ms_between(t1, t2);
  return frame;
}

ScreenTiming time_screen(const mk::flows::ViewModel& vm, const mk::kiosk::Config& config,
                         const mk::kiosk::Catalog& catalog, mk::kiosk::TextRenderer& text,
                         mk::kiosk::Canvas& canvas, int iterations,
                         const mk::kiosk::Look& look = {}, const std::string& suffix = "",
                         const std::shared_ptr<const mk::kiosk::Frame>& backdrop = nullptr) {
  ScreenTiming timing;
  timing.screen = vm.screen + suffix;
  double layout_ms = 0, draw_ms = 0;
  const mk::kiosk::Frame frame =
      render_once(vm, config, look, catalog, text, canvas, layout_ms, draw_ms, backdrop);
  timing.cold_ms = layout_ms + draw_ms;
  timing.labels = frame.labels.size();
  timing.buttons = frame.buttons.size();
  std::vector<double> totals;
  double layout_sum = 0, draw_sum = 0;
  for (int i = 0; i < iterations; ++i) {
    render_once(vm, config, look, catalog, text, canvas, layout_ms, draw_ms, backdrop);
    totals.push_back(layout_ms + draw_ms);
    layout_sum += layout_ms;
    draw_sum += draw_ms;
  }
  timing.total_ms = summarize(totals);
  timing.layout_mean_ms = layout_sum / iterations;
  timing.draw_mean_ms = draw_sum / iterations;
  timing.fingerprint = canvas.read_pixels().fingerprint();
  return timing;
}

// Taps the centre of the button for `action` on the app's current frame.
bool tap(mk::kiosk::App& app, const std::string& action, Clock::time_point& now) {
  const mk::kiosk::Button* button = app.frame().button(action);
  if (button == nullptr) {
    return false;
  }
  now += 1s;  // past the repeated-touch window
  app.handle(
      {mk::kiosk::InputEvent::Kind::tap, button->rect.center_x(), button->rect.center_y(), {}},
      now);
  return true;
}

// One view of each screen kind the flows show, with the catalogue's own texts (a PIN entry with a
// problem and the tries left, data to confirm, progress, an error, a result with the card's
// photo, a choice, a card placement), as the flows build them.
// Touch to frame: from a tap handed to the App to the changed frame presented — App::handle,
// the new screen's layout, the draw — for taps on the attract screen's language buttons, each a
// new screen. This is the kiosk's share; the touch panel's and the display's own delays come on
// top of it.
Stats measure_touch_to_frame(mk::kiosk::App& app, mk::kiosk::Canvas& canvas,
                             mk::kiosk::TextRenderer& text, Clock::time_point& now, int touches,
                             Checks& checks) {
  std::vector<double> latencies;
  uint64_t last = 0;
  for (int i = 0; i < touches; ++i) {
    const auto t0 = Clock::now();
    if (!tap(app, i % 2 == 0 ? "lang_en" : "lang_ja", now) || !app.needs_draw()) {
      checks.fail("touch to frame: a language button did not change the screen");
      break;
    }
    canvas.draw(app.frame(), text);
    canvas.present();
    app.drawn();
    latencies.push_back(ms_between(t0, Clock::now()));
    const uint64_t shown = canvas.read_pixels().fingerprint();
    if (shown == last) {
      checks.fail("touch to frame: the frame after a language tap did not change");
      break;
    }
    last = shown;
  }
  return summarize(latencies);
}

std::vector<mk::flows::ViewModel> kind_views() {
  using mk::flows::ActionStyle;
  using mk::flows::ScreenKind;
  using mk::flows::ViewModel;
  // Each view is its own value until the end: references into a growing vector would dangle.
  const auto view = [](std::string screen, ScreenKind kind) {
    ViewModel vm;
    vm.texts["title"] = {screen + ".title", {}};
    vm.screen = std::move(screen);
    vm.kind = kind;
    vm.actions.push_back({"look", {"look.open", {}}, ActionStyle::tool, true, {}});
    return vm;
  };
  ViewModel pin = view("read_back.enter_pin", ScreenKind::pin_entry);
  pin.texts["body"] = {"read_back.enter_pin.body", {}};
  pin.texts["problem"] = {"read_back.pin_wrong", {}};
  pin.texts["tries"] = {"read_back.tries_left", {{"tries", "9"}}};
  pin.pin_pad =
      mk::flows::PinPadView{.submit_action = "pin", .min_length = 4, .max_length = 4, .entered = 2};
  pin.actions.push_back({"cancel", {"common.cancel", {}}, ActionStyle::back, true, {}});
  ViewModel confirm = view("record.confirm_record", ScreenKind::confirm_data);
  confirm.texts["body"] = {"record.confirm_record.body", {}};
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"number", "301234567890"},
                                                        {"expiry", "2029-05-12"},
                                                        {"color", "優良"},
                                                        {"conditions", "眼鏡等"},
                                                        {"classes", "普通 2005-06-01"}}) {
    confirm.details.push_back({"read_back.field." + key, {{"value", value}}});
  }
  confirm.actions.push_back({"cancel", {"common.cancel", {}}, ActionStyle::back, true, {}});
  confirm.actions.push_back({"confirm", {"record.confirm", {}}, ActionStyle::primary, true, {}});
  ViewModel progress = view("record.writing", ScreenKind::progress);
  ViewModel error = view("record.card_error", ScreenKind::error);
  error.texts["body"] = {"record.card_error.body", {}};
  error.actions.push_back({"cancel", {"common.cancel", {}}, ActionStyle::back, true, {}});
  error.actions.push_back({"retry", {"common.retry", {}}, ActionStyle::primary, true, {}});
  ViewModel result = view("read_back.showing", ScreenKind::result);
  result.details = confirm.details;
  const auto photo = mk::devices::sim::portrait_j2k(1);
  result.photo.assign(photo.begin(), photo.end());
  result.actions.push_back({"done", {"common.done", {}}, ActionStyle::primary, true, {}});
  ViewModel choice = view("record.choose_form", ScreenKind::choice);
  choice.texts["body"] = {"record.choose_form.body", {}};
  choice.actions.push_back({"cancel", {"common.cancel", {}}, ActionStyle::back, true, {}});
  choice.actions.push_back({"form_both", {"record.form_both", {}}, ActionStyle::choice, true, {}});
  choice.actions.push_back(
      {"form_myna_only", {"record.form_myna_only", {}}, ActionStyle::choice, true, {}});
  ViewModel place = view("read_back.place_card", ScreenKind::card_placement);
  place.texts["body"] = {"read_back.place_card.body", {}};
  place.illustration = mk::flows::Illustration::place_my_number_card;  // rasterised each time
  place.actions.push_back({"cancel", {"common.cancel", {}}, ActionStyle::back, true, {}});
  // The JPKI signing PIN's pad: 38 keys.
  ViewModel signing = view("widget.signing_pin", ScreenKind::pin_entry);
  signing.texts["title"] = {"read_back.enter_pin.title", {}};
  signing.pin_pad = mk::flows::PinPadView{.submit_action = "pin",
                                          .min_length = 6,
                                          .max_length = 16,
                                          .alphanumeric = true,
                                          .entered = 7};
  signing.actions.push_back({"cancel", {"common.cancel", {}}, ActionStyle::back, true, {}});
  // A link as a QR code (encoded each time) beside the texts, and a meter.
  ViewModel handover = view("widget.qr_code", ScreenKind::result);
  handover.texts["title"] = {"read_back.no_record.title", {}};
  handover.texts["body"] = {"read_back.no_record.body", {}};
  handover.qr_code = "https://myna.go.jp/";
  handover.meter = mk::flows::MeterView{12, 30, {}};
  handover.actions.push_back({"done", {"common.done", {}}, ActionStyle::primary, true, {}});
  return {std::move(pin),   std::move(confirm), std::move(progress),
          std::move(error), std::move(result),  std::move(choice),
          std::move(place), std::move(signing), std::move(handover)};
}

RenderResult measure_rendering(int iterations, Checks& checks) {
  using namespace mk::kiosk;
  RenderResult result;
  if (SDL_Init(SDL_INIT_EVENTS) != 0) {  // as the headless kiosk does
    checks.fail(std::string("SDL_Init: ") + SDL_GetError());
    return result;
  }
  try {
    const Config config{};  // the built-in defaults: 1920x1080, Japanese first, text scale 1
    const Catalog catalog = Catalog::load(fs::path(MK_SOURCE_ASSETS_DIR) / "texts");
    TextRenderer text(find_japanese_font(config.ui.font_family));
    result.font = text.faces().regular.family + " (" + text.faces().regular.file.string() + ")";
    auto canvas = Canvas::offscreen(kWidth, kHeight);
    auto now = Clock::now();
    App app(config, catalog, text, now);

    // attract is timed before the app lays anything out, so its cold draw also opens the fonts.
    result.screens.push_back(time_screen(app.view(), config, catalog, text, *canvas, iterations));
    const std::vector<std::pair<std::string, std::string>> path = {{"start", "menu"},
                                                                   {"record", "unavailable"}};
    for (const auto& [action, expected] : path) {
      if (!tap(app, action, now) || app.view().screen != expected) {
        std::string why = "render: tapping \"" + action;
        why += "\" did not lead to \"" + expected + "\" (shown: \"" + app.view().screen + "\")";
        checks.fail(why);
        break;
      }
      result.screens.push_back(time_screen(app.view(), config, catalog, text, *canvas, iterations));
    }
    const auto kinds = kind_views();
    for (const auto& vm : kinds) {
      result.screens.push_back(time_screen(vm, config, catalog, text, *canvas, iterations));
    }
    // A dialog: the idle warning's countdown over the signing PIN's pad, the heaviest screen. As
    // in the App, the screen behind is laid out (and dimmed) once, each second only the dialog.
    mk::flows::ViewModel warning;
    warning.screen = "dialog.idle_warning";
    warning.texts["title"] = {"session.idle_warning.title", {}};
    warning.texts["body"] = {"session.idle_warning.body", {{"seconds", "12"}}};
    warning.meter = mk::flows::MeterView{12, 30, {}};
    warning.actions.push_back(
        {"more_time", {"session.more_time", {}}, mk::flows::ActionStyle::primary, true, {}});
    const auto signing = std::find_if(kinds.begin(), kinds.end(), [](const auto& vm) {
      return vm.screen == "widget.signing_pin";
    });
    const auto backdrop = dialog_backdrop(
        layout_screen(*signing, catalog, text,
                      Theme::for_panel(kWidth, kHeight, config.display.diagonal_in, {}), kWidth,
                      kHeight),
        Theme::for_panel(kWidth, kHeight, config.display.diagonal_in, {}));
    result.screens.push_back(
        time_screen(warning, config, catalog, text, *canvas, iterations, {}, "", backdrop));
    // The heaviest look: twice the text, white on black (pages, the PIN pad beside them).
    const Look large{2.0, Contrast::high};
    result.screens.push_back(
        time_screen(kinds.front(), config, catalog, text, *canvas, iterations, large, "@2x-high"));
    result.screens.push_back(
        time_screen(kinds[1], config, catalog, text, *canvas, iterations, large, "@2x-high"));
    App attract(config, catalog, text, now);
    draw_if_needed(attract, *canvas, text);
    result.touches = std::max(iterations * 10, 20);
    result.touch_to_frame_ms =
        measure_touch_to_frame(attract, *canvas, text, now, result.touches, checks);
    result.ui_warnings = app.warnings().size() + attract.warnings().size();
    result.measured = true;
  } catch (const std::exception& e) {
    checks.fail(std::string("render: ") + e.what());
  }
  SDL_Quit();
  std::set<uint64_t> distinct;
  for (const auto& s : result.screens) {
    const std::string key = "frame_render." + s.screen;
    checks.positive(key + ".cold_ms", s.cold_ms);
    checks.positive(key + ".mean_ms", s.total_ms.mean);
    checks.positive(key + ".p50_ms", s.total_ms.p50);
    checks.positive(key + ".p95_ms", s.total_ms.p95);
    distinct.insert(s.fingerprint);
  }
  checks.positive("touch_to_frame.p95_ms", result.touch_to_frame_ms.p95);
  const size_t expected = 3 + kind_views().size() + 1 + 2;
  if (result.measured && result.screens.size() != expected) {
    checks.fail("render: timed " + std::to_string(result.screens.size()) + " screens, not " +
                std::to_string(expected));
  }
  if (distinct.size() != result.screens.size()) {
    checks.fail("render: two screens drew identical pixels (nothing drawn?)");
  }
  return result;
}

struct IdleResult {
  bool measured = false;
  std::string display;
  double settle_ms = 0;
  double window_s = 0;
  double cpu_ms = 0;  // utime + stime, 10 ms ticks
  double cpu_percent = 0;
  double cpu_ms_schedstat = 0;  // ns resolution
  long long context_switches = 0;
  int threads = 0;
  double peak_rss_mib = 0;
  std::vector<std::string> graphics;
  std::string exit;
  bool needed_kill = false;
};

IdleResult measure_idle(const std::string& kiosk, const Display& display, double idle_seconds,
                        int log_fd, Checks& checks) {
  IdleResult result;
  result.display = display.description();
  Child child({kiosk}, environment_with_display(display.name()), log_fd);
  const pid_t pid = child.pid();
  // Up: at least 2 s, then until no thread has woken for a whole second (it has drawn, and its
  // start-up work — the centre's first round, the audit upload — is over), at most 30 s.
  const auto start = Clock::now();
  std::this_thread::sleep_for(2s);
  long long last = thread_totals(pid).context_switches;
  while (!child.poll() && Clock::now() - start < 30s) {
    std::this_thread::sleep_for(1s);
    const long long now_switches = thread_totals(pid).context_switches;
    if (now_switches == last) {
      break;
    }
    last = now_switches;
  }
  result.settle_ms = ms_between(start, Clock::now());
  if (auto exited = child.poll()) {
    checks.fail("idle: the windowed kiosk ended before the measurement: " + exited->describe());
    return result;
  }
  const auto ticks0 = cpu_ticks(pid);
  const ThreadTotals threads0 = thread_totals(pid);
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(idle_seconds));
  const auto ticks1 = cpu_ticks(pid);
  const ThreadTotals threads1 = thread_totals(pid);
  const auto t1 = Clock::now();
  result.peak_rss_mib = status_mib(pid, "VmHWM");
  result.graphics = graphics_libraries(pid);
  if (child.poll() || !ticks0 || !ticks1) {
    checks.fail("idle: the windowed kiosk ended during the measurement");
    return result;
  }
  const double wall_ms = ms_between(t0, t1);
  const double tick_ms = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  result.window_s = wall_ms / 1000.0;
  result.cpu_ms = static_cast<double>(*ticks1 - *ticks0) * tick_ms;
  result.cpu_percent = 100.0 * result.cpu_ms / wall_ms;
  result.cpu_ms_schedstat = static_cast<double>(threads1.cpu_ns - threads0.cpu_ns) / 1e6;
  result.context_switches = threads1.context_switches - threads0.context_switches;
  result.threads = threads1.threads;
  const ExitInfo exit = child.stop(5s, &result.needed_kill);
  result.exit = exit.describe();
  result.measured = true;
  checks.non_negative("idle.cpu_ms", result.cpu_ms);
  checks.non_negative("idle.cpu_percent_of_one_core", result.cpu_percent);
  checks.non_negative("idle.cpu_ms_schedstat", result.cpu_ms_schedstat);
  checks.positive("idle.peak_rss_mib", result.peak_rss_mib);
  if (result.needed_kill || !exit.exited_ok()) {
    checks.fail("idle: the windowed kiosk did not quit cleanly on SIGTERM (" + result.exit +
                (result.needed_kill ? ", needed SIGKILL" : "") + ")");
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Output

// `value` rounded to `decimals` places, as the JSON gives it (a non-finite value becomes null).
double rounded(double value, int decimals = 3) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// A configuration of the installed kiosk in a folder of its own: PC/SC readers (none need be
// there) and a remote centre on a loopback port where nothing listens, with the test TLS files.
class InstalledKiosk {
 public:
  explicit InstalledKiosk(const fs::path& dir) : dir_(dir) {
    fs::create_directories(dir_);
    const auto tls = mk::center::sim::ensure_test_tls(dir_ / "tls");
    mk::devices::sim::PkiCache pki(dir_ / "pki");
    mk::devices::sim::make_license_authority(pki);
    std::ofstream(config()) << "[kiosk]\nterminal_id = \"" << mk::center::sim::kTestTerminalId
                            << "\"\n[center]\nmode = \"remote\"\nurl = \"https://127.0.0.1:1\"\n"
                            << "ca_file = \"" << tls.ca_cert.string() << "\"\nclient_cert = \""
                            << tls.client_cert.string() << "\"\nclient_key = \""
                            << tls.client_key.string() << "\"\n[cards]\nmode = \"readers\"\n"
                            << "license_ca_file = \"" << (pki.dir() / "license-ca.pem").string()
                            << "\"\n[store]\ndir = \"" << (dir_ / "store").string()
                            << "\"\nkey_file = \"" << (dir_ / "store.key").string()
                            << "\"\n[log]\njournal = \"off\"\n";
  }
  ~InstalledKiosk() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  InstalledKiosk(const InstalledKiosk&) = delete;
  InstalledKiosk& operator=(const InstalledKiosk&) = delete;
  fs::path config() const { return dir_ / "kiosk.toml"; }

 private:
  fs::path dir_;
};

json cold_starts_json(const ColdStarts& c) {
  json j{{"measured", c.measured}};
  if (!c.display.empty()) {
    j["display"] = c.display;
  }
  j["runs"] = c.runs;
  j["median_ms"] = rounded(c.ms.p50);
  j["max_ms"] = rounded(c.ms.max);
  j["min_ms"] = rounded(c.ms.min);
  j["warmup_run_ms"] = rounded(c.first_ms);
  j["peak_rss_mib"] = rounded(c.peak_rss_mib, 1);
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"mynakiosk-bench: start-up, frame render time, idle CPU and memory of the kiosk"};
  std::string out = "bench-results/kiosk.json";
  double idle_seconds = 10;
  int iterations = 50;
  int cold_starts = 5;
  cli.add_option("--out", out, "where to write the JSON results")->capture_default_str();
  cli.add_option("--idle-seconds", idle_seconds, "how long to measure the idle kiosk's CPU")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cli.add_option("--iterations", iterations, "warm draws of each screen")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cli.add_option("--cold-starts", cold_starts, "measured starts of the kiosk (each mode)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  const std::string kiosk = MK_KIOSK_EXE;
  const std::string installed_kiosk = MK_INSTALLED_KIOSK_EXE;
  const fs::path out_path = fs::absolute(out);
  fs::path log_path = out_path;
  log_path.replace_extension(".children.log");
  Checks checks;
  const Machine machine = describe_machine();
  mk::kiosk::setup_logging({mk::kiosk::LogLevel::warn, mk::kiosk::JournalMode::off});

  std::error_code ec;
  fs::create_directories(out_path.parent_path(), ec);
  if (ec) {
    std::cerr << "mynakiosk-bench: cannot create " << out_path.parent_path().string() << ": "
              << ec.message() << "\n";
    return 1;
  }
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    std::cerr << "mynakiosk-bench: cannot write " << log_path.string() << ": "
              << std::strerror(errno) << "\n";  // NOLINT(concurrency-mt-unsafe)
    return 1;
  }
  if (access(kiosk.c_str(), X_OK) != 0) {
    std::cerr << "mynakiosk-bench: the kiosk " << kiosk
              << " is not there; build target mynakiosk\n";
    return 1;
  }
  fmt::print("mynakiosk-bench: {}, {} cores, load {}\n", machine.cpu_model, machine.cores,
             machine.load_average);
  static_cast<void>(std::fflush(stdout));

  // Cold starts first, while this process is small and has no fonts or threads of its own.
  const ColdStarts headless =
      measure_cold_starts({kiosk, "--headless", "--exit-after-first-frame"}, "", cold_starts,
                          log_fd, checks, "cold_start.headless");
  // The installed kiosk as a centre runs it (readers, a remote centre; here one that does not
  // answer), and the floor under every start: the same executable only loading its libraries.
  const InstalledKiosk installed(out_path.parent_path() / "installed-kiosk");
  const ColdStarts installed_headless =
      measure_cold_starts({installed_kiosk, "--config", installed.config().string(), "--headless",
                           "--exit-after-first-frame"},
                          "", cold_starts, log_fd, checks, "cold_start.installed_headless");
  const ColdStarts libraries_only = measure_cold_starts(
      {installed_kiosk, "--version"}, "", cold_starts, log_fd, checks, "cold_start.libraries_only");
  const RenderResult render = measure_rendering(iterations, checks);
  ColdStarts windowed;
  IdleResult idle;
  {
    Display display(log_fd, checks);
    if (display.ok()) {
      windowed = measure_cold_starts({kiosk, "--exit-after-first-frame"}, display.name(),
                                     cold_starts, log_fd, checks, "cold_start.windowed");
      windowed.display = display.description();
      idle = measure_idle(kiosk, display, idle_seconds, log_fd, checks);
    }
  }
  close(log_fd);

  json screens = json::object();
  for (const auto& s : render.screens) {
    screens[s.screen] = json{{"labels", s.labels},
                             {"buttons", s.buttons},
                             {"cold_ms", rounded(s.cold_ms)},
                             {"mean_ms", rounded(s.total_ms.mean)},
                             {"p50_ms", rounded(s.total_ms.p50)},
                             {"p95_ms", rounded(s.total_ms.p95)},
                             {"max_ms", rounded(s.total_ms.max)},
                             {"layout_mean_ms", rounded(s.layout_mean_ms)},
                             {"draw_mean_ms", rounded(s.draw_mean_ms)}};
  }
  SDL_version sdl{};
  SDL_GetVersion(&sdl);
  const json results{
      {"benchmark", "mynakiosk-bench kiosk shell (issue 2)"},
      {"ok", checks.failures().empty()},
      {"failures", checks.failures()},
      {"machine",
       {{"cpu_model", machine.cpu_model},
        {"cores", machine.cores},
        {"memory_gib", rounded(machine.memory_gib, 1)},
        {"kernel", machine.kernel},
        {"debian_version", machine.debian_version},
        {"date_utc", machine.date_utc},
        {"load_average_at_start", machine.load_average}}},
      {"build",
       {{"build_type", MK_BUILD_TYPE},
#if defined(__clang__)
        {"compiler", std::string("clang ") + __clang_version__},
#else
        {"compiler", std::string("gcc ") + __VERSION__},
#endif
        {"sdl", fmt::format("{}.{}.{}", sdl.major, sdl.minor, sdl.patch)},
        {"kiosk", kiosk},
        {"kiosk_config", fs::exists("/etc/mynakiosk/mynakiosk.toml", ec)
                             ? "/etc/mynakiosk/mynakiosk.toml"
                             : "built-in defaults"}}},
      {"settings",
       {{"cold_starts", cold_starts},
        {"iterations", iterations},
        {"idle_seconds", rounded(idle_seconds, 1)}}},
      {"cold_start",
       {{"headless", cold_starts_json(headless)},
        {"windowed", cold_starts_json(windowed)},
        {"installed_headless", cold_starts_json(installed_headless)},
        {"libraries_only", cold_starts_json(libraries_only)}}},
      {"frame_render",
       {{"measured", render.measured},
        {"renderer", "SDL software renderer, offscreen 1920x1080 ARGB8888 surface"},
        {"method",
         "layout_screen() + Canvas::draw() + Canvas::present() called directly on each "
         "screen's view model; the App is driven by taps on button centres to reach each "
         "screen"},
        {"font", render.font},
        {"ui_warnings", render.ui_warnings},
        {"screens", screens},
        {"touch_to_frame",
         {{"touches", render.touches},
          {"method",
           "a tap on the attract screen's language buttons handed to App::handle, then the new "
           "frame laid out, drawn and presented (the kiosk's share of the latency)"},
          {"mean_ms", rounded(render.touch_to_frame_ms.mean)},
          {"p50_ms", rounded(render.touch_to_frame_ms.p50)},
          {"p95_ms", rounded(render.touch_to_frame_ms.p95)},
          {"max_ms", rounded(render.touch_to_frame_ms.max)}}}}},
      {"idle",
       {{"measured", idle.measured},
        {"display", idle.display},
        {"settle_ms", std::llround(idle.settle_ms)},
        {"window_s", rounded(idle.window_s)},
        {"cpu_ms", rounded(idle.cpu_ms, 1)},
        {"cpu_percent_of_one_core", rounded(idle.cpu_percent)},
        {"cpu_ms_schedstat", rounded(idle.cpu_ms_schedstat)},
        {"context_switches", idle.context_switches},
        {"threads", idle.threads},
        {"peak_rss_mib", rounded(idle.peak_rss_mib, 1)},
        {"graphics_libraries", idle.graphics},
        {"exit_on_sigterm", idle.exit}}}};
  {
    // Replace, not throw, should a path or a /proc string not be UTF-8.
    std::ofstream file(out_path);
    file << results.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    if (!file) {
      checks.fail("cannot write " + out_path.string());
    }
  }

  // The summary.
  fmt::print("\ncold start to first frame ({} runs each, after 1 warm-up run)\n", cold_starts);
  fmt::print("  headless  median {:8.2f} ms  max {:8.2f} ms  peak RSS {:6.1f} MiB\n",
             headless.ms.p50, headless.ms.max, headless.peak_rss_mib);
  fmt::print("  installed median {:8.2f} ms  max {:8.2f} ms  peak RSS {:6.1f} MiB\n",
             installed_headless.ms.p50, installed_headless.ms.max, installed_headless.peak_rss_mib);
  fmt::print("  libraries median {:8.2f} ms  (mynakiosk --version)\n", libraries_only.ms.p50);
  fmt::print("  windowed  median {:8.2f} ms  max {:8.2f} ms  peak RSS {:6.1f} MiB  on {}\n",
             windowed.ms.p50, windowed.ms.max, windowed.peak_rss_mib, windowed.display);
  fmt::print("frame render 1920x1080, software renderer (layout + draw, {} warm iterations)\n",
             iterations);
  for (const auto& s : render.screens) {
    fmt::print(
        "  {:<12} cold {:7.2f} ms  mean {:7.2f}  p50 {:7.2f}  p95 {:7.2f} ms  (layout {:.2f} + "
        "draw {:.2f})\n",
        s.screen, s.cold_ms, s.total_ms.mean, s.total_ms.p50, s.total_ms.p95, s.layout_mean_ms,
        s.draw_mean_ms);
  }
  fmt::print("touch to frame ({} language taps): p50 {:.2f} ms  p95 {:.2f} ms  max {:.2f} ms\n",
             render.touches, render.touch_to_frame_ms.p50, render.touch_to_frame_ms.p95,
             render.touch_to_frame_ms.max);
  fmt::print("idle windowed kiosk over {:.1f} s on {}\n", idle.window_s, idle.display);
  fmt::print("  CPU {:.0f} ms ({:.3f} % of one core; schedstat {:.3f} ms), {} context switches\n",
             idle.cpu_ms, idle.cpu_percent, idle.cpu_ms_schedstat, idle.context_switches);
  fmt::print("  peak RSS (VmHWM) {:.1f} MiB, {} threads, quit on SIGTERM: {}\n", idle.peak_rss_mib,
             idle.threads, idle.exit);
  fmt::print("\nresults: {}\n", out_path.string());
  if (!checks.failures().empty()) {
    fmt::print("FAILED (children's output: {}):\n", log_path.string());
    for (const auto& f : checks.failures()) {
      fmt::print("  {}\n", f);
    }
    return 1;
  }
  return 0;
}
