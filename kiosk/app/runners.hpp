#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/app.hpp"
#include "kiosk/app/screen_variants.hpp"
#include "kiosk/audio/audio_output.hpp"
#include "kiosk/script/script.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/text_renderer.hpp"

namespace mk::kiosk {

// Writes a PNG of every frame that differs from the last one written: NNN-<screen>.png.
class Screenshots {
 public:
  explicit Screenshots(std::optional<std::filesystem::path> dir);
  void capture(const Canvas& canvas, const std::string& screen);
  void capture_named(const Canvas& canvas, const std::string& name);
  const std::vector<std::filesystem::path>& written() const { return written_; }
  // Also draws every screen in the looks of its golden images (screen_variants()).
  void set_variants(std::unique_ptr<ScreenVariantWriter> variants) {
    variants_ = std::move(variants);
  }
  // The problems found drawing `vm`'s screen (a dialog over `beneath`, when given) in those
  // looks, the first time it is shown.
  std::vector<std::string> capture_variants(const flows::ViewModel& vm,
                                            const flows::ViewModel* beneath) {
    return variants_ ? variants_->capture(vm, beneath) : std::vector<std::string>{};
  }

 private:
  std::optional<std::filesystem::path> dir_;
  uint64_t last_fingerprint_ = 0;
  int counter_ = 0;
  std::vector<std::filesystem::path> written_;
  std::unique_ptr<ScreenVariantWriter> variants_;
};

// Draws the frame if it changed; returns true when it drew.
bool draw_if_needed(App& app, Canvas& canvas, TextRenderer& text);

// The kiosk's main loop: draws only when something changed and otherwise sleeps in
// SDL_WaitEventTimeout until input or the next deadline, so an idle kiosk uses no CPU.
// The loudspeaker (nullptr: none) is closed once its sound has finished.
// `frame_map` (when not empty): see write_frame_map.
void run_interactive(App& app, Canvas& canvas, TextRenderer& text, AudioOutput* audio = nullptr,
                     const std::filesystem::path& frame_map = {});

// A card a script puts on a reader.
struct CardPlacement {
  std::string kind;          // "mynumber" | "dl"
  std::string fixture;       // a fixture person (devices/sim/fixtures)
  bool replacement = false;  // the My Number card that replaced the person's lost one (R-LOST)
  int pull_at_apdu = 0;      // pulled off the reader as this command APDU arrives; 0: never
};

// A `center` step of a script, played by the built-in centre.
struct CenterEvent {
  // "counter_renewal", "slow", "fault", "revoke_signing_certificate",
  // "reinstate_signing_certificate"
  std::string event;
  std::string fixture;                 // the person; fault: the mode
  std::chrono::milliseconds delay{0};  // slow: before each answer
  int count = 0;                       // fault: the next n requests (0: until healed)
};

// What a script can do besides touching the screen: place and remove virtual cards, play the
// built-in centre's counter, ask whether the kiosk has sent everything. Each returns an error
// message, or nullopt when done. Empty members: the script's steps that need them fail.
struct ScriptDevices {
  std::function<std::optional<std::string>(const CardPlacement& card)> place_card;
  std::function<std::optional<std::string>(const std::string& kind)> remove_card;
  std::function<std::optional<std::string>(const CenterEvent& event)> center_event;
  // True when nothing waits to be sent to the centre (outbox, audit rows); may wake the senders.
  std::function<bool()> drained;
  // How many submissions the centre refused for good (the outbox's dead letters).
  std::function<int64_t()> dead_letters;
  // What the camera sees from now on (`camera show`: a still or a folder of frames; empty: `camera
  // off`, nothing).
  std::function<std::optional<std::string>(const std::filesystem::path& images)> show_camera;
};

struct ScriptOutcome {
  std::vector<std::string> failures;  // "line N: expected screen X, shown Y", ...
  // Sessions (`session` steps) played to their end, and those abandoned after a failing step
  // (`on failure next session`): "<name>: line N: ...".
  int sessions_completed = 0;
  std::vector<std::string> abandoned;
};

// Plays a script through the same input path as real touches (SDL events, translated), on
// virtual time starting at `start`, capturing a screenshot of every new frame.
// Card answers take real time: `await screen` waits for them, advancing the virtual clock by the
// real time it waited.
ScriptOutcome run_script(const std::vector<ScriptStep>& steps, App& app, Canvas& canvas,
                         TextRenderer& text, Screenshots& screenshots, App::TimePoint start,
                         const ScriptDevices& devices = {}, AudioOutput* audio = nullptr);

}  // namespace mk::kiosk
