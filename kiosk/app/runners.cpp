#include "kiosk/app/runners.hpp"

#include <SDL.h>
#include <fmt/format.h>

#include "kiosk/app/sdl_input.hpp"
#include "kiosk/logging/log.hpp"
#include "kiosk/ui/image.hpp"

namespace mk::kiosk {

Screenshots::Screenshots(std::optional<std::filesystem::path> dir) : dir_(std::move(dir)) {
  if (dir_) {
    std::filesystem::create_directories(*dir_);
  }
}

void Screenshots::capture(const Canvas& canvas, const std::string& screen) {
  if (!dir_) {
    return;
  }
  const Image image = canvas.read_pixels();
  const uint64_t fingerprint = image.fingerprint();
  if (fingerprint == last_fingerprint_) {
    return;
  }
  last_fingerprint_ = fingerprint;
  const auto file = *dir_ / fmt::format("{:03d}-{}.png", ++counter_, screen);
  write_png(file, image);
  written_.push_back(file);
}

void Screenshots::capture_named(const Canvas& canvas, const std::string& name) {
  if (!dir_) {
    return;
  }
  const auto file = *dir_ / (name + ".png");
  write_png(file, canvas.read_pixels());
  written_.push_back(file);
}

bool draw_if_needed(App& app, Canvas& canvas, TextRenderer& text) {
  if (!app.needs_draw()) {
    return false;
  }
  canvas.draw(app.frame(), text);
  canvas.present();
  app.drawn();
  return true;
}

void run_interactive(App& app, Canvas& canvas, TextRenderer& text) {
  using Clock = std::chrono::steady_clock;
  for (;;) {
    draw_if_needed(app, canvas, text);
    int timeout_ms = -1;  // no deadline: sleep until input
    if (const auto deadline = app.next_deadline()) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
      timeout_ms = static_cast<int>(std::max<int64_t>(0, left.count()));
    }
    SDL_Event event;
    bool got = SDL_WaitEventTimeout(&event, timeout_ms) != 0;
    while (got) {
      if (const auto input = translate_sdl_event(event, canvas.width(), canvas.height())) {
        if (!app.handle(*input, Clock::now())) {
          return;
        }
      }
      got = SDL_PollEvent(&event) != 0;
    }
    app.tick(Clock::now());
  }
}

namespace {

void push_tap(int x, int y, int width, int height) {
  SDL_Event event{};
  event.type = SDL_FINGERUP;
  event.tfinger.touchId = 1;
  event.tfinger.x = (static_cast<float>(x) + 0.5f) / static_cast<float>(width);
  event.tfinger.y = (static_cast<float>(y) + 0.5f) / static_cast<float>(height);
  SDL_PushEvent(&event);
}

bool push_key(const std::string& name) {
  const SDL_Keycode code = SDL_GetKeyFromName(name.c_str());
  if (code == SDLK_UNKNOWN) {
    return false;
  }
  SDL_Event event{};
  event.type = SDL_KEYDOWN;
  event.key.keysym.sym = code;
  SDL_PushEvent(&event);
  return true;
}

}  // namespace

ScriptOutcome run_script(const std::vector<ScriptStep>& steps, App& app, Canvas& canvas,
                         TextRenderer& text, Screenshots& screenshots, App::TimePoint start,
                         const ScriptDevices& devices) {
  ScriptOutcome outcome;
  App::TimePoint now = start;
  auto settle = [&] {
    SDL_Event event;
    while (SDL_PollEvent(&event) != 0) {
      if (const auto input = translate_sdl_event(event, canvas.width(), canvas.height())) {
        app.handle(*input, now);
      }
    }
    app.tick(now);
    draw_if_needed(app, canvas, text);
    screenshots.capture(canvas, app.view().screen);
  };
  settle();
  for (const auto& step : steps) {
    const std::string where = "line " + std::to_string(step.line) + ": ";
    switch (step.kind) {
      case ScriptStep::Kind::tap_action: {
        const Button* button = app.frame().button(step.arg);
        if (button == nullptr || !button->enabled) {
          outcome.failures.push_back(where + "no enabled button \"" + step.arg + "\" on screen \"" +
                                     app.view().screen + "\"");
          return outcome;
        }
        push_tap(button->rect.center_x(), button->rect.center_y(), canvas.width(), canvas.height());
        break;
      }
      case ScriptStep::Kind::tap_point:
        push_tap(step.x, step.y, canvas.width(), canvas.height());
        break;
      case ScriptStep::Kind::key:
        if (!push_key(step.arg)) {
          outcome.failures.push_back(where + "unknown key \"" + step.arg + "\"");
          return outcome;
        }
        break;
      case ScriptStep::Kind::wait:
        now += step.duration;
        break;
      case ScriptStep::Kind::expect_screen:
        if (app.view().screen != step.arg) {
          outcome.failures.push_back(where + "expected screen \"" + step.arg + "\", shown \"" +
                                     app.view().screen + "\"");
          return outcome;
        }
        break;
      case ScriptStep::Kind::screenshot:
        screenshots.capture_named(canvas, step.arg);
        break;
      case ScriptStep::Kind::await_screen: {
        const auto real_start = std::chrono::steady_clock::now();
        auto last = real_start;
        while (app.view().screen != step.arg) {
          if (std::chrono::steady_clock::now() - real_start > step.duration) {
            outcome.failures.push_back(
                where + "waited " + std::to_string(step.duration.count() / 1000) +
                " s for screen \"" + step.arg + "\", shown \"" + app.view().screen + "\"");
            return outcome;
          }
          app.wait_for_background(std::chrono::milliseconds(50));
          const auto real_now = std::chrono::steady_clock::now();
          now += real_now - last;
          last = real_now;
          settle();
        }
        break;
      }
      case ScriptStep::Kind::card_place:
      case ScriptStep::Kind::card_remove: {
        const bool place = step.kind == ScriptStep::Kind::card_place;
        std::optional<std::string> error = "this run has no virtual cards";
        if (place && devices.place_card) {
          error =
              devices.place_card(step.arg, step.fixture + (step.replacement ? "+replacement" : ""));
        } else if (!place && devices.remove_card) {
          error = devices.remove_card(step.arg);
        }
        if (error) {
          outcome.failures.push_back(where + *error);
          return outcome;
        }
        break;
      }
      case ScriptStep::Kind::center_event: {
        const auto error = devices.center_event
                               ? devices.center_event(step.arg, step.fixture)
                               : std::optional<std::string>("this run has no built-in centre");
        if (error) {
          outcome.failures.push_back(where + *error);
          return outcome;
        }
        break;
      }
      case ScriptStep::Kind::type:
        for (const char c : step.arg) {
          const std::string id = std::string("pin_pad:") + c;
          const Button* key = app.frame().button(id);
          if (key == nullptr || !key->enabled) {
            outcome.failures.push_back(where + "no PIN pad key \"" + std::string(1, c) +
                                       "\" on screen \"" + app.view().screen + "\"");
            return outcome;
          }
          push_tap(key->rect.center_x(), key->rect.center_y(), canvas.width(), canvas.height());
          settle();
          // Two presses of the same key are two digits, not a tremor: let the repeat window pass.
          now += std::chrono::milliseconds(600);
        }
        break;
    }
    settle();
  }
  return outcome;
}

}  // namespace mk::kiosk
