#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flows/procedures.hpp"
#include "flows/welcome/welcome_flow.hpp"
#include "kiosk/app/input.hpp"
#include "kiosk/audio/sound.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/runtime/flow_runtime.hpp"
#include "kiosk/runtime/staff_call.hpp"
#include "kiosk/ui/frame.hpp"
#include "kiosk/ui/text_metrics.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

// Asked before a procedure starts: the text key of why it cannot start now (the kiosk could not
// keep what it would accept, the centre it needs is out of reach), or nothing.
using ProcedureGate = std::function<std::optional<std::string>(const flows::Procedure&)>;

// How every session's screens start to look: the configured text size, standard contrast.
Look default_look(const Config& config);

// The kiosk between its input and its screen: turns input into intents for the welcome flow or
// events for the running procedure's flow, keeps the session clock (idle timeout), holds what is
// typed on a PIN pad until it is confirmed, and lays out the current view model into a frame
// when it changed. It never draws and never waits; the main loop and the script runner do, with
// their own clock.
class App {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // `runtime` runs the flows of the procedures offered (flows/procedures.hpp), made with
  // `context`; without a runtime, or for a procedure without a flow, the menu's choice shows the
  // "not offered here" page.
  App(const Config& config, const Catalog& catalog, TextMetrics& metrics, TimePoint now,
      FlowRuntime* runtime = nullptr, flows::ProcedureContext context = {});

  // The procedures' runtime, before the first input (the first frame may come before it).
  // `terminal`: the identity the centre knows this kiosk by (what a signed consent names).
  void set_runtime(FlowRuntime* runtime, std::string terminal) {
    runtime_ = runtime;
    context_.terminal = std::move(terminal);
  }
  // The staff layer's runtime (issue 12): the staff sign-in opens over whatever is shown — the
  // key F12, or three touches within 3 s on the screen's top-left corner (docs/operations.md) —
  // and its screens are shown, and take the input, until staff sign out.
  void set_staff_runtime(FlowRuntime* staff) { staff_ = staff; }
  // Whether the staff layer is open.
  bool staff_open() const { return staff_ != nullptr && staff_->active(); }
  // The call-staff button on every screen of a person's (issue 12 §2): `raise` calls staff from
  // the screen shown, `state` says where the call is, `session_ended` forgets a call the centre
  // never heard of when the person leaves. Without it the button is not shown.
  struct StaffCallPort {
    std::function<void(const std::string& screen)> raise;
    std::function<StaffCall::State()> state;
    std::function<void()> session_ended;
  };
  void set_staff_call(StaffCallPort port) { call_ = std::move(port); }

  // What the staff layer asks of the person's session (kiosk_ops::kEndSession): carried out once
  // the staff layer's step is over (it is asked from inside that step), then answered.
  void staff_request(const flows::KioskRequest& request, Post post);

  // Whether a camera is there now (the configured one, the demo's, or a script's `camera show`);
  // without it the configuration says.
  void set_camera(std::function<bool()> present) { camera_present_ = std::move(present); }
  // The FAQ the browser shows (it outlives the app).
  void set_faq(const flows::FaqLibrary* faq) { context_.faq = faq; }
  void set_gate(ProcedureGate gate) { gate_ = std::move(gate); }
  // Called when a person's session begins (their first touch leaves the attract screen): the
  // card service sets aside the cards already on a reader.
  void set_session_start(std::function<void()> start) { session_start_ = std::move(start); }
  // How many cards are on the readers now. With it, every end of a procedure and of a session
  // asks the person to take their cards, and waits until none is left.
  void set_cards_present(std::function<int()> count) { cards_present_ = std::move(count); }
  // Where the kiosk's sounds go (the loudspeaker); without it they are only counted.
  void set_sound(std::function<void(Sound)> play) { sound_ = std::move(play); }
  // How many times `sound` was played since the kiosk started (scripts check them).
  int64_t sounds_played(Sound sound) const { return sounds_played_.at(static_cast<size_t>(sound)); }

  // Returns false when the input asks the kiosk to quit (a window closed outside kiosk mode).
  bool handle(const InputEvent& input, TimePoint now);
  // Fires what is due at `now` (the idle timeout).
  void tick(TimePoint now);
  // When tick() next has something to do; nullopt when nothing is pending (sleep until input).
  std::optional<TimePoint> next_deadline() const;

  // Blocks until a card, centre or store answer arrives for the running procedure, at most
  // `max` (false when nothing came). Headless runs use it to wait for real devices.
  bool wait_for_background(std::chrono::milliseconds max);

  // True when the screen shows something older than the current view.
  bool needs_draw() const { return needs_draw_; }
  void drawn() { needs_draw_ = false; }
  // The current view laid out (again only when it changed).
  const Frame& frame();
  flows::ViewModel view() const;
  // A dialog open over the screen (the idle warning, the look panel), and the screen under it.
  std::optional<flows::ViewModel> dialog_view() const;
  flows::ViewModel screen_view() const;
  // The action of the button the keyboard's focus is on ("" = none).
  const std::string& focused() const { return focused_; }

  // Every layout problem and missing text seen so far (a strict run fails on any).
  std::vector<std::string> warnings() const;
  // What the person chose for text size and colours (reset for the next person).
  const Look& look() const { return look_; }
  // The look on this panel that frames are laid out with.
  Theme theme() const;
  // Problems found outside layout (the pixels of a drawn frame), kept with the layout's own.
  void add_warnings(const std::vector<std::string>& found);

 private:
  // A person's session is under way: something of theirs to time out and wipe.
  bool session_in_progress() const;
  // The idle warning is shown: any touch but its "more time" button is ignored.
  bool handle_idle_warning(const InputEvent& input, TimePoint now);
  void end_idle_session(TimePoint now);
  void apply(const flows::Intent& intent, TimePoint now);
  // To the flow of `runtime` (the person's procedure or the staff layer).
  void apply_to(FlowRuntime& runtime, const flows::Intent& intent, TimePoint now);
  // The runtime whose screen is shown (the staff layer over the procedure), or nullptr.
  FlowRuntime* shown_runtime() const;
  // A touch on the staff corner or the staff key; true when it was one (and is used up).
  bool staff_gesture(const InputEvent& input, TimePoint now);
  void open_staff(TimePoint now);
  void after_staff_step(TimePoint now);
  // Ends the person's session where it stands (staff's override): the procedure stopped (wiped,
  // card released, counted "overridden"), the kiosk at its first screen, asking for the cards.
  // `ended`: which procedure, in which state.
  void end_person_session(TimePoint now, flows::Fields& ended);
  void after_step(FlowRuntime& runtime, TimePoint now);
  // Forgets a PIN typed on a pad that is no longer shown.
  void forget_pin_if_moved();
  void pin_pad_key(const std::string& key, TimePoint now);
  // A touch on the button with this action, or Enter on it.
  void activate(const std::string& action, TimePoint now);
  // Moves the keyboard's focus to the next (+1) or previous (-1) button in reading order.
  void move_focus(int step);
  // Marks the focused button in frame_ (after a layout).
  void mark_focus();
  // The kiosk's own actions on every screen (text size and colours, turning pages); false when
  // the action is the screen's.
  bool kiosk_action(const std::string& action);
  flows::ViewModel look_view() const;
  // A picture of placing or taking a card marks where this kiosk's readers are; a text says
  // where the one to use is.
  void show_reader(flows::ViewModel& vm) const;
  void redraw();
  void after_procedure_step(TimePoint now);
  void play(Sound sound);

  const Config& config_;
  const Catalog& catalog_;
  TextMetrics& metrics_;
  flows::WelcomeFlow flow_;
  Frame frame_;
  bool layout_stale_ = true;
  bool needs_draw_ = true;
  FlowRuntime* runtime_;
  FlowRuntime* staff_ = nullptr;
  std::vector<TimePoint> corner_taps_;  // the last touches on the staff corner
  std::optional<std::pair<flows::KioskRequest, Post>> staff_asks_;  // to carry out after its step
  StaffCallPort call_;
  bool call_notice_ = false;  // the person's "staff are coming" notice is shown
  StaffCall::State call_seen_ = StaffCall::State::none;  // as last drawn
  std::optional<TimePoint> call_waiting_since_;          // raising or raised since
  // The notice over the person's screen while a call is under way.
  std::optional<flows::ViewModel> call_view() const;
  // A person's session ends (idle, or staff ended it): the notice goes.
  void forget_call();
  flows::ProcedureContext context_;
  std::function<bool()> camera_present_;
  ProcedureGate gate_;
  std::function<void()> session_start_;
  std::function<int()> cards_present_;
  std::function<void(Sound)> sound_;
  std::array<int64_t, kSounds.size()> sounds_played_{};  // by Sound
  // "Take your cards" is shown until no card is on a reader (a reader's event wakes the loop);
  // the idle timeout still ends the session under it, and it stays until the cards are taken.
  bool take_cards_ = false;
  // Asks for the cards when one is left on a reader (after a procedure or a session ended).
  void ask_for_cards(TimePoint now);
  TimePoint next_chime_;         // when "take your cards" chimes again
  base::SecretBytes pin_typed_;  // the PIN pad's digits, until confirmed
  std::string pin_screen_;       // the screen (and pad) they were typed on
  TimePoint last_input_;
  std::optional<int> warning_left_s_;  // the idle warning's seconds left, while it is shown
  int extensions_ = 0;                 // "more time" touches in this session
  Look look_;                          // text size and colours the person chose
  struct Backdrop {                    // the screen under the dialog shown, laid out
    flows::ViewModel view;
    Look look;
    int page = 0;
    std::shared_ptr<const Frame> frame;
  };
  std::optional<Backdrop> backdrop_;
  bool look_open_ = false;   // the screen to choose them is shown
  int page_ = 0;             // the page of a long screen shown
  std::string page_screen_;  // the screen it is a page of
  std::string last_tap_action_;
  TimePoint last_tap_time_;
  std::string focused_;         // the button the keyboard's focus is on ("" = none)
  std::string focused_screen_;  // on which screen
  std::vector<std::string> warnings_;
};

}  // namespace mk::kiosk
