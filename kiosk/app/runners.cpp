#include "kiosk/app/runners.hpp"

#include <array>
#include <functional>

#include <SDL.h>
#include <fmt/format.h>

#include "kiosk/app/frame_map.hpp"
#include "kiosk/app/sdl_input.hpp"
#include "kiosk/logging/log.hpp"
#include "kiosk/ui/frame_check.hpp"
#include "kiosk/ui/image.hpp"
#include "kiosk/ui/screens/screens.hpp"

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

void run_interactive(App& app, Canvas& canvas, TextRenderer& text, AudioOutput* audio,
                     const std::filesystem::path& frame_map) {
  using Clock = std::chrono::steady_clock;
  uint64_t frames = 0;
  for (;;) {
    // The first frame may have been drawn before the loop (kiosk_main): mapped all the same.
    if ((draw_if_needed(app, canvas, text) || frames == 0) && !frame_map.empty()) {
      write_frame_map(frame_map, app.frame(), ++frames, canvas.width(), canvas.height());
    }
    std::optional<Clock::time_point> deadline = app.next_deadline();
    if (audio != nullptr) {
      audio->settle(Clock::now());
      if (const auto busy = audio->busy_until(); busy && (!deadline || *busy < *deadline)) {
        deadline = busy;  // wake to close the loudspeaker when its sound has finished
      }
    }
    int timeout_ms = -1;  // no deadline: sleep until input
    if (deadline) {
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

constexpr int kMaxPageTurns = 20;
constexpr auto kPageTurnTime = std::chrono::seconds(1);

// Plays one step after another on virtual time; a failing step returns why.
class ScriptPlayer {
 public:
  ScriptPlayer(App& app, Canvas& canvas, TextRenderer& text, Screenshots& screenshots,
               App::TimePoint start, const ScriptDevices& devices, AudioOutput* audio)
      : app_(app),
        canvas_(canvas),
        text_(text),
        screenshots_(screenshots),
        now_(start),
        devices_(devices),
        audio_(audio),
        dead_letters_before_(devices.dead_letters ? devices.dead_letters() : 0) {}

  void settle() {
    SDL_Event event;
    while (SDL_PollEvent(&event) != 0) {
      if (const auto input = translate_sdl_event(event, canvas_.width(), canvas_.height())) {
        app_.handle(*input, now_);
      }
    }
    app_.tick(now_);
    if (audio_ != nullptr) {
      audio_->settle(std::chrono::steady_clock::now());  // the loudspeaker runs on real time
    }
    if (draw_if_needed(app_, canvas_, text_)) {
      // Every frame a script shows is checked as drawn (a strict run fails on a problem).
      app_.add_warnings(check_pixels(app_.frame(), canvas_.read_pixels(), app_.theme()));
      const auto dialog = app_.dialog_view();
      const flows::ViewModel screen = app_.screen_view();
      app_.add_warnings(dialog ? screenshots_.capture_variants(*dialog, &screen)
                               : screenshots_.capture_variants(screen, nullptr));
    }
    screenshots_.capture(canvas_, app_.view().screen);
  }

  std::optional<std::string> play(const ScriptStep& step) {
    switch (step.kind) {
      case ScriptStep::Kind::tap_action: {
        // On a screen of several pages, turn them as a person would to find the button.
        for (int turns = 0; turns < kMaxPageTurns && app_.frame().button(step.arg) == nullptr;
             ++turns) {
          const Button* next = app_.frame().button(kNextPage);
          if (next == nullptr || !next->enabled) {
            break;
          }
          push_tap(next->rect.center_x(), next->rect.center_y(), canvas_.width(), canvas_.height());
          now_ += kPageTurnTime;  // not a repeated touch on the same target
          settle();
        }
        const Button* button = app_.frame().button(step.arg);
        if (button == nullptr || !button->enabled) {
          return "no enabled button \"" + step.arg + "\" on screen \"" + app_.view().screen + "\"";
        }
        push_tap(button->rect.center_x(), button->rect.center_y(), canvas_.width(),
                 canvas_.height());
        return std::nullopt;
      }
      case ScriptStep::Kind::tap_point:
        push_tap(step.x, step.y, canvas_.width(), canvas_.height());
        return std::nullopt;
      case ScriptStep::Kind::key:
        if (!push_key(step.arg)) {
          return "unknown key \"" + step.arg + "\"";
        }
        return std::nullopt;
      case ScriptStep::Kind::wait:
        now_ += step.duration;
        return std::nullopt;
      case ScriptStep::Kind::expect_screen:
        if (app_.view().screen != step.arg) {
          return "expected screen \"" + step.arg + "\", shown \"" + app_.view().screen + "\"";
        }
        return std::nullopt;
      case ScriptStep::Kind::expect_focus:
        app_.frame();  // laid out: a focus on a screen that is gone is dropped
        if (app_.focused() != step.arg) {
          return "expected the focus on \"" + step.arg + "\", it is on \"" + app_.focused() + "\"";
        }
        return std::nullopt;
      case ScriptStep::Kind::stays_screen:
        if (app_.view().screen != step.arg ||
            wait_real([&] { return app_.view().screen != step.arg; }, step.duration)) {
          return "expected screen \"" + step.arg + "\" to stay, shown \"" + app_.view().screen +
                 "\"";
        }
        return std::nullopt;
      case ScriptStep::Kind::screenshot:
        screenshots_.capture_named(canvas_, step.arg);
        return std::nullopt;
      case ScriptStep::Kind::await_screen:
        if (!wait_real([&] { return app_.view().screen == step.arg; }, step.duration)) {
          return "waited " + std::to_string(step.duration.count() / 1000) + " s for screen \"" +
                 step.arg + "\", shown \"" + app_.view().screen + "\"";
        }
        return std::nullopt;
      case ScriptStep::Kind::await_drained:
        if (!devices_.drained) {
          return std::string("this run cannot tell what waits to be sent");
        }
        if (!wait_real(devices_.drained, step.duration, std::chrono::milliseconds(500))) {
          return "waited " + std::to_string(step.duration.count() / 1000) +
                 " s for the outbox and the audit rows to reach the centre";
        }
        return std::nullopt;
      case ScriptStep::Kind::expect_dead_letters: {
        if (!devices_.dead_letters) {
          return std::string("this run has no outbox");
        }
        const int64_t dead = devices_.dead_letters() - dead_letters_before_;
        if (dead != step.count) {
          return "expected " + std::to_string(step.count) +
                 " new dead letter(s) since the script began, the outbox has " +
                 std::to_string(dead);
        }
        return std::nullopt;
      }
      case ScriptStep::Kind::card_place:
        if (!devices_.place_card) {
          return std::string("this run has no virtual cards");
        }
        return devices_.place_card({step.arg, step.fixture, step.replacement, step.pull_at_apdu});
      case ScriptStep::Kind::card_remove:
        if (!devices_.remove_card) {
          return std::string("this run has no virtual cards");
        }
        return devices_.remove_card(step.arg);
      case ScriptStep::Kind::camera_show:
        if (!devices_.show_camera) {
          return std::string("this run has no camera");
        }
        return devices_.show_camera(step.arg);
      case ScriptStep::Kind::center_event:
        return devices_.center_event
                   ? devices_.center_event({step.arg, step.fixture, step.duration, step.count})
                   : std::optional<std::string>("this run has no built-in centre");
      case ScriptStep::Kind::type:
        for (const char c : step.arg) {
          const std::string id = std::string("pin_pad:") + c;
          const Button* key = app_.frame().button(id);
          if (key == nullptr || !key->enabled) {
            return "no PIN pad key \"" + std::string(1, c) + "\" on screen \"" +
                   app_.view().screen + "\"";
          }
          push_tap(key->rect.center_x(), key->rect.center_y(), canvas_.width(), canvas_.height());
          settle();
          // Two presses of the same key are two digits, not a tremor: let the repeat window pass.
          now_ += std::chrono::milliseconds(600);
        }
        return std::nullopt;
      case ScriptStep::Kind::expect_sound: {
        const Sound sound = *sound_from_name(step.arg);
        const int64_t played = app_.sounds_played(sound);
        int64_t& checked = sounds_checked_.at(static_cast<size_t>(sound));
        if (played == checked) {
          return "expected the sound " + step.arg + ", not played since it was last expected";
        }
        checked = played;
        return std::nullopt;
      }
      case ScriptStep::Kind::session:
      case ScriptStep::Kind::on_failure_next_session:
        return std::nullopt;  // the player's loop keeps track of these
    }
    return std::nullopt;
  }

  // The person takes their cards and leaves: the session times out and the kiosk must come back
  // to its attract screen with nothing of theirs (a busy card or centre answer may take a while).
  std::optional<std::string> walk_away() {
    if (devices_.remove_card) {
      (void)devices_.remove_card("mynumber");  // not on the reader: nothing to take
      (void)devices_.remove_card("dl");
    }
    const bool back = wait_real(
        [&] {
          now_ += std::chrono::hours(1);  // past any idle timeout
          return app_.view().screen == "attract";
        },
        std::chrono::seconds(60));
    if (!back) {
      return "the kiosk did not come back to its attract screen after the person left (shown \"" +
             app_.view().screen + "\")";
    }
    return std::nullopt;
  }

 private:
  // Waits in real time (answers from cards and the centre take it) until `done`, advancing the
  // virtual clock by the real time waited.
  bool wait_real(const std::function<bool()>& done, std::chrono::milliseconds limit,
                 std::chrono::milliseconds poll = std::chrono::milliseconds(50)) {
    const auto real_start = std::chrono::steady_clock::now();
    auto last = real_start;
    while (!done()) {
      if (std::chrono::steady_clock::now() - real_start > limit) {
        return false;
      }
      app_.wait_for_background(poll);
      const auto real_now = std::chrono::steady_clock::now();
      now_ += real_now - last;
      last = real_now;
      settle();
    }
    return true;
  }

  App& app_;
  Canvas& canvas_;
  TextRenderer& text_;
  Screenshots& screenshots_;
  App::TimePoint now_;
  const ScriptDevices& devices_;
  AudioOutput* audio_;
  std::array<int64_t, kSounds.size()> sounds_checked_{};  // by Sound: played when last expected
  int64_t dead_letters_before_ = 0;  // the store may hold older ones (an earlier run's)
};

}  // namespace

ScriptOutcome run_script(const std::vector<ScriptStep>& steps, App& app, Canvas& canvas,
                         TextRenderer& text, Screenshots& screenshots, App::TimePoint start,
                         const ScriptDevices& devices, AudioOutput* audio) {
  ScriptOutcome outcome;
  ScriptPlayer player(app, canvas, text, screenshots, start, devices, audio);
  auto log = logger("script");
  std::string session;  // the session being played; empty before the first
  bool tolerant = false;
  auto end_session = [&] {
    if (!session.empty()) {
      ++outcome.sessions_completed;
      log->info("session {} completed", session);
    }
    session.clear();
  };
  player.settle();
  for (size_t i = 0; i < steps.size(); ++i) {
    const ScriptStep& step = steps[i];
    if (step.kind == ScriptStep::Kind::session) {
      end_session();
      session = step.arg;
      log->info("session {} begins", session);
    } else if (step.kind == ScriptStep::Kind::on_failure_next_session) {
      tolerant = true;
    }
    const auto failure = player.play(step);
    if (!failure) {
      player.settle();
      continue;
    }
    const std::string what = "line " + std::to_string(step.line) + ": " + *failure;
    if (!tolerant || session.empty()) {
      outcome.failures.push_back(what);
      return outcome;
    }
    log->warn("session {} abandoned at {}", session, what);
    outcome.abandoned.push_back(session + ": " + what);
    session.clear();
    if (const auto stuck = player.walk_away()) {
      outcome.failures.push_back(what + "; then " + *stuck);
      return outcome;
    }
    while (i + 1 < steps.size() && steps[i + 1].kind != ScriptStep::Kind::session) {
      ++i;
    }
  }
  end_session();
  return outcome;
}

}  // namespace mk::kiosk
