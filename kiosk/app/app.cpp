#include "kiosk/app/app.hpp"

#include <algorithm>

#include "kiosk/logging/log.hpp"
#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

namespace {
// A second touch on the same target this soon is a tremor or a double tap, not a new choice.
constexpr auto kRepeatTouchWindow = std::chrono::milliseconds(500);
}  // namespace

App::App(const Config& config, const Catalog& catalog, TextMetrics& metrics, TimePoint now)
    : config_(config),
      catalog_(catalog),
      metrics_(metrics),
      flow_(config.kiosk.default_language),
      last_input_(now),
      last_tap_time_(now - kRepeatTouchWindow) {}

void App::apply(const flows::Intent& intent) {
  const std::string before = flow_.view().screen;
  if (flow_.handle(intent)) {
    layout_stale_ = true;
    needs_draw_ = true;
    const std::string after = flow_.view().screen;
    if (after != before) {
      logger("app")->info("screen {} -> {}", before, after);
    }
  }
}

bool App::handle(const InputEvent& input, TimePoint now) {
  switch (input.kind) {
    case InputEvent::Kind::quit:
      if (config_.display.mode == WindowMode::kiosk) {
        logger("app")->warn("quit request ignored in kiosk mode");
        return true;
      }
      return false;
    case InputEvent::Kind::redraw:
      needs_draw_ = true;
      return true;
    case InputEvent::Kind::key:
      last_input_ = now;
      if (input.key == "escape") {
        apply(flows::Intent::cancel_key());
      }
      return true;
    case InputEvent::Kind::tap: {
      last_input_ = now;
      const auto action = frame().hit(input.x, input.y);
      if (!action) {
        return true;
      }
      if (*action == last_tap_action_ && now - last_tap_time_ < kRepeatTouchWindow) {
        return true;
      }
      last_tap_action_ = *action;
      last_tap_time_ = now;
      apply(flows::Intent::tap(*action));
      return true;
    }
  }
  return true;
}

std::optional<App::TimePoint> App::next_deadline() const {
  if (flow_.state() == flows::WelcomeFlow::State::attract &&
      flow_.language() == config_.kiosk.default_language) {
    return std::nullopt;  // nothing of a person to wipe, nothing to time out
  }
  return last_input_ + std::chrono::seconds(config_.session.idle_timeout_s);
}

void App::tick(TimePoint now) {
  if (const auto deadline = next_deadline(); deadline && now >= *deadline) {
    logger("app")->info("idle for {} s: session ended", config_.session.idle_timeout_s);
    apply(flows::Intent::idle());
    last_input_ = now;
  }
}

const Frame& App::frame() {
  if (layout_stale_) {
    frame_ = layout_screen(flow_.view(), catalog_, metrics_, config_.display.width,
                           config_.display.height, config_.display.text_scale);
    for (const auto& warning : frame_.warnings) {
      if (std::find(warnings_.begin(), warnings_.end(), warning) == warnings_.end()) {
        logger("ui")->warn("{}", warning);
        warnings_.push_back(warning);
      }
    }
    layout_stale_ = false;
  }
  return frame_;
}

std::vector<std::string> App::warnings() const {
  std::vector<std::string> all = warnings_;
  for (const auto& key : catalog_.missing()) {
    all.push_back("missing text " + key);
  }
  return all;
}

}  // namespace mk::kiosk
