#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "flows/welcome/welcome_flow.hpp"
#include "kiosk/app/input.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/ui/frame.hpp"
#include "kiosk/ui/text_metrics.hpp"

namespace mk::kiosk {

// The kiosk between its input and its screen: turns input into intents for the flow, keeps the
// session clock (idle timeout), and lays out the flow's view model into a frame when it changed.
// It never draws and never waits; the main loop and the script runner do, with their own clock.
class App {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  App(const Config& config, const Catalog& catalog, TextMetrics& metrics, TimePoint now);

  // Returns false when the input asks the kiosk to quit (a window closed outside kiosk mode).
  bool handle(const InputEvent& input, TimePoint now);
  // Fires what is due at `now` (the idle timeout).
  void tick(TimePoint now);
  // When tick() next has something to do; nullopt when nothing is pending (sleep until input).
  std::optional<TimePoint> next_deadline() const;

  // True when the screen shows something older than the current view.
  bool needs_draw() const { return needs_draw_; }
  void drawn() { needs_draw_ = false; }
  // The current view laid out (again only when it changed).
  const Frame& frame();
  flows::ViewModel view() const { return flow_.view(); }

  // Every layout problem and missing text seen so far (a strict run fails on any).
  std::vector<std::string> warnings() const;

 private:
  void apply(const flows::Intent& intent);

  const Config& config_;
  const Catalog& catalog_;
  TextMetrics& metrics_;
  flows::WelcomeFlow flow_;
  Frame frame_;
  bool layout_stale_ = true;
  bool needs_draw_ = true;
  TimePoint last_input_;
  std::string last_tap_action_;
  TimePoint last_tap_time_;
  std::vector<std::string> warnings_;
};

}  // namespace mk::kiosk
