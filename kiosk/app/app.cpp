#include "kiosk/app/app.hpp"

#include <algorithm>
#include <thread>

#include "flows/kiosk_ops.hpp"
#include "flows/staff/staff_flow.hpp"
#include "kiosk/logging/log.hpp"
#include "kiosk/ui/frame_check.hpp"
#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

namespace {
// A second touch on the same target this soon is a tremor or a double tap, not a new choice.
constexpr auto kRepeatTouchWindow = std::chrono::milliseconds(500);
constexpr const char* kLookScreen = "session.look";
constexpr const char* kOpenLook = "look";
// "Take your cards" chimes again this often until they are taken (a reminder by sound and
// screen, as convenience-store kiosks do).
constexpr auto kChimeEvery = std::chrono::seconds(5);
// While the idle warning counts down, it sounds when it appears and then every this many seconds.
constexpr int kWarningSoundEvery = 10;
// The staff sign-in's hidden gesture (docs/operations.md): this many touches on the top-left
// corner, a square this big where no screen has a button, within this long.
constexpr size_t kStaffCornerTaps = 3;
constexpr double kStaffCornerMm = 12.0;
constexpr auto kStaffCornerWithin = std::chrono::seconds(3);
constexpr const char* kStaffKey = "f12";
constexpr const char* kCallStaff = "call_staff";
// How long a person waiting for staff is kept from the idle timeout.
constexpr auto kCallWaitNotIdle = std::chrono::minutes(10);
constexpr const char* kCloseCallNotice = "call:close";

}  // namespace

Look default_look(const Config& config) {
  return {config.display.text_scale, Contrast::standard};
}

App::App(const Config& config, const Catalog& catalog, TextMetrics& metrics, TimePoint now,
         FlowRuntime* runtime, flows::ProcedureContext context)
    : config_(config),
      catalog_(catalog),
      metrics_(metrics),
      flow_(config.kiosk.default_language),
      runtime_(runtime),
      context_(std::move(context)),
      last_input_(now),
      look_(default_look(config)),
      last_tap_time_(now - kRepeatTouchWindow) {
  context_.printer = !config.printer.queue.empty();
  context_.camera = !config.camera.images.empty();
}

void App::redraw() {
  layout_stale_ = true;
  needs_draw_ = true;
}

// The person's choice of text size and colours, over whatever they were doing.
flows::ViewModel App::look_view() const {
  flows::ViewModel vm;
  vm.screen = kLookScreen;
  vm.kind = flows::ScreenKind::choice;
  vm.language = flow_.language();
  vm.texts["title"] = {"look.title", {}};
  vm.texts["body"] = {"look.body", {}};
  const auto option = [&](std::string id, const char* key, bool in_use) {
    vm.actions.push_back({std::move(id), {key, {}}, flows::ActionStyle::choice, !in_use, {}});
  };
  option("look:text:1.0", "look.text_standard", look_.text_scale == 1.0);
  option("look:text:1.5", "look.text_large", look_.text_scale == 1.5);
  option("look:text:2.0", "look.text_largest", look_.text_scale == 2.0);
  option("look:colour:standard", "look.colour_standard", look_.contrast == Contrast::standard);
  option("look:colour:high", "look.colour_high", look_.contrast == Contrast::high);
  vm.actions.push_back({"look:close", {"look.close", {}}, flows::ActionStyle::primary, true, {}});
  return vm;
}

void App::ask_for_cards(TimePoint now) {
  if (cards_present_ && cards_present_() > 0) {
    logger("app")->info("asking the person to take their card(s)");
    take_cards_ = true;
    if (!staff_open()) {  // staff ending a session ask for the card themselves
      play(Sound::take_cards);
    }
    next_chime_ = now + kChimeEvery;
    redraw();
  }
}

void App::play(Sound sound) {
  ++sounds_played_.at(static_cast<size_t>(sound));
  if (sound_) {
    sound_(sound);
  }
}

bool App::kiosk_action(const std::string& action) {
  if (action == kPreviousPage || action == kNextPage) {
    page_ += action == kNextPage ? 1 : -1;
  } else if (action == kOpenLook) {
    look_open_ = true;
  } else if (action == kCallStaff && call_.raise) {
    const StaffCall::State state = call_.state ? call_.state() : StaffCall::State::none;
    if (state != StaffCall::State::raising && state != StaffCall::State::raised) {
      call_.raise(screen_view().screen);
    }
    call_notice_ = true;  // again, for a person who closed it
  } else if (action == kCloseCallNotice) {
    call_notice_ = false;
  } else if (action == "look:close") {
    look_open_ = false;
  } else if (action.rfind("look:text:", 0) == 0) {
    look_.text_scale = std::stod(action.substr(10));
  } else if (action == "look:colour:standard" || action == "look:colour:high") {
    look_.contrast = action == "look:colour:high" ? Contrast::high : Contrast::standard;
  } else {
    return false;
  }
  logger("app")->info("{}", action);
  redraw();
  return true;
}

void App::show_reader(flows::ViewModel& vm) const {
  const auto my_number = config_.cards.my_number_reader;
  const auto license = config_.cards.license_reader;
  switch (vm.illustration) {
    case flows::Illustration::none:
      return;
    case flows::Illustration::place_my_number_card:
      vm.readers = {my_number};
      break;
    case flows::Illustration::place_driving_licence:
      vm.readers = {license};
      break;
    case flows::Illustration::take_cards:  // from any reader: every one marked
      vm.readers = {my_number};
      if (license != my_number) {
        vm.readers.push_back(license);
      }
      break;
  }
  if (vm.readers.size() == 1) {
    std::string key(flows::reader_place_name(vm.readers.front()));
    std::replace(key.begin(), key.end(), '-', '_');
    vm.texts["where"] = {"reader.where." + key, {}};
  }
}

flows::ViewModel App::view() const {
  if (auto dialog = dialog_view()) {
    return std::move(*dialog);
  }
  return screen_view();
}

std::optional<flows::ViewModel> App::dialog_view() const {
  if (warning_left_s_) {
    // Over whatever the person was doing, which is kept as it was (a PIN half typed included).
    flows::ViewModel vm;
    vm.screen = "session.idle_warning";
    vm.language = flow_.language();
    vm.texts["title"] = {"session.idle_warning.title", {}};
    vm.texts["body"] = {"session.idle_warning.body",
                        {{"seconds", std::to_string(*warning_left_s_)}}};
    vm.actions.push_back(
        {"more_time", {"session.more_time", {}}, flows::ActionStyle::primary, true, {}});
    // The seconds left, also as a bar that empties: seen without reading.
    vm.meter = flows::MeterView{*warning_left_s_, config_.session.idle_warning_s, {}};
    return vm;
  }
  if (look_open_ && !take_cards_) {
    return look_view();
  }
  if (!staff_open()) {
    return call_view();
  }
  return std::nullopt;
}

std::optional<flows::ViewModel> App::call_view() const {
  if (!call_notice_ || !call_.state) {
    return std::nullopt;
  }
  const StaffCall::State state = call_.state();
  const char* stage = state == StaffCall::State::raising       ? "raising"
                      : state == StaffCall::State::raised      ? "raised"
                      : state == StaffCall::State::unreachable ? "unreachable"
                                                               : nullptr;
  if (stage == nullptr) {
    return std::nullopt;
  }
  const std::string key = std::string("staff_call.") + stage;
  flows::ViewModel vm;
  vm.screen = std::string("session.staff_call_") + stage;
  vm.kind = state == StaffCall::State::unreachable ? flows::ScreenKind::error
                                                   : flows::ScreenKind::message;
  vm.language = flow_.language();
  vm.texts["title"] = {key + ".title", {}};
  vm.texts["body"] = {key + ".body", {}};
  vm.actions.push_back(
      {kCloseCallNotice, {"staff_call.close", {}}, flows::ActionStyle::primary, true, {}});
  return vm;
}

void App::forget_call() {
  call_notice_ = false;
  if (call_.session_ended) {
    call_.session_ended();
  }
}

flows::ViewModel App::screen_view() const {
  if (take_cards_ && !staff_open()) {
    flows::ViewModel vm;
    vm.screen = "session.take_cards";
    vm.kind = flows::ScreenKind::card_removal;
    vm.illustration = flows::Illustration::take_cards;
    vm.language = flow_.language();
    vm.texts["title"] = {"session.take_cards.title", {}};
    vm.texts["body"] = {"session.take_cards.body", {}};
    show_reader(vm);
    return vm;
  }
  const FlowRuntime* shown = shown_runtime();
  flows::ViewModel vm = shown != nullptr && shown->view() ? *shown->view() : flow_.view();
  if (vm.pin_pad) {
    vm.pin_pad->entered = static_cast<int>(pin_typed_.size());
    if (!vm.pin_pad->masked) {  // what is no secret (a word to search for) is shown as typed
      vm.pin_pad->typed = std::string(pin_typed_.reveal());
    }
  }
  // On every screen of a person's: text size and colours, and calling staff.
  vm.actions.push_back({kOpenLook, {"look.open", {}}, flows::ActionStyle::tool, true, {}});
  if (call_.raise && shown != staff_) {
    const bool called = call_.state && (call_.state() == StaffCall::State::raising ||
                                        call_.state() == StaffCall::State::raised);
    vm.actions.push_back({kCallStaff,
                          {called ? "staff_call.calling" : "staff_call.button", {}},
                          flows::ActionStyle::tool,
                          true,
                          {}});
  }
  show_reader(vm);
  return vm;
}

FlowRuntime* App::shown_runtime() const {
  if (staff_open()) {
    return staff_;
  }
  return runtime_ != nullptr && runtime_->active() ? runtime_ : nullptr;
}

void App::apply(const flows::Intent& intent, TimePoint now) {
  if (FlowRuntime* shown = shown_runtime()) {
    apply_to(*shown, intent, now);
    return;
  }
  const std::string before = flow_.view().screen;
  const bool was_attract = flow_.state() == flows::WelcomeFlow::State::attract;
  if (flow_.handle(intent)) {
    if (was_attract && flow_.state() != flows::WelcomeFlow::State::attract) {
      extensions_ = 0;
      if (session_start_) {
        session_start_();
      }
    }
    redraw();
    const std::string after = flow_.view().screen;
    if (after != before) {
      logger("app")->info("screen {} -> {}", before, after);
    }
  }
  // A procedure with a flow starts it instead of the "not offered here" page.
  if (flow_.state() == flows::WelcomeFlow::State::unavailable && runtime_ != nullptr) {
    const flows::Procedure* procedure = flows::find_procedure(flow_.chosen_procedure());
    if (procedure != nullptr && procedure->offered()) {
      if (camera_present_) {
        context_.camera = camera_present_();
      }
      std::optional<std::string> refused;
      if (procedure->needs_camera && !context_.camera) {
        refused = "out_of_service.camera";
      } else if (gate_) {
        refused = gate_(*procedure);
      }
      if (refused) {
        logger("app")->error("procedure {} not started: {}", procedure->id, *refused);
        flow_.show_out_of_service(*refused);
        return;
      }
      runtime_->begin(procedure->make(flow_.language(), context_), now);
      after_procedure_step(now);
    }
  }
}

bool App::wait_for_background(std::chrono::milliseconds max) {
  FlowRuntime* shown = shown_runtime();
  if (shown == nullptr) {
    std::this_thread::sleep_for(max);
    return false;
  }
  return shown->wait_for_post(max);
}

void App::apply_to(FlowRuntime& runtime, const flows::Intent& intent, TimePoint now) {
  switch (intent.kind) {
    case flows::Intent::Kind::cancel:
      runtime.input(flows::Event::cancel(), now);
      break;
    case flows::Intent::Kind::idle_timeout:
      runtime.input(flows::Event::idle(), now);
      break;
    case flows::Intent::Kind::action:
      if (intent.action.rfind("pin_pad:", 0) == 0) {
        pin_pad_key(intent.action.substr(8), now);
        return;
      }
      runtime.input(flows::Event::tap(intent.action), now);
      break;
  }
  after_step(runtime, now);
}

void App::after_step(FlowRuntime& runtime, TimePoint now) {
  if (&runtime == staff_) {
    after_staff_step(now);
  } else {
    after_procedure_step(now);
  }
}

void App::open_staff(TimePoint now) {
  if (staff_ == nullptr || staff_->active()) {
    return;
  }
  logger("app")->info("staff sign-in opened");
  warning_left_s_.reset();
  last_input_ = now;  // someone is at the kiosk
  look_open_ = false;
  staff_->begin(
      std::make_unique<flows::FlowAdapter<flows::StaffFlow>>(
          "staff", flow_.language(), config_.session.staff_idle_timeout_s * 1000, context_.printer),
      now);
  after_staff_step(now);
}

void App::staff_request(const flows::KioskRequest& request, Post post) {
  staff_asks_.emplace(request, std::move(post));
}

void App::end_person_session(TimePoint now, flows::Fields& ended) {
  ended["procedure"] = runtime_ != nullptr ? runtime_->flow_name() : std::string();
  ended["state"] = runtime_ != nullptr ? runtime_->state() : std::string();
  logger("app")->warn("staff ended the person's session{}",
                      ended["procedure"].empty()
                          ? std::string(" (no procedure was running)")
                          : " (" + ended["procedure"] + " in " + ended["state"] + ")");
  if (runtime_ != nullptr) {
    runtime_->stop("overridden", now);
  }
  warning_left_s_.reset();
  look_ = default_look(config_);
  look_open_ = false;
  extensions_ = 0;
  forget_call();
  flow_.handle(flows::Intent::idle());  // the welcome flow back to its first screen
  ask_for_cards(now);                   // shown once staff leave
  redraw();
}

// After the staff layer moved: carry out what it asked of the person's session, redraw, forget a
// PIN typed on a pad that is gone, and show the person's screen again when it closed.
void App::after_staff_step(TimePoint now) {
  if (staff_asks_) {
    auto [request, post] = std::move(*staff_asks_);
    staff_asks_.reset();
    if (request.op == flows::kiosk_ops::kEndSession) {
      flows::Fields ended;
      end_person_session(now, ended);
      post(flows::Event::kiosk(request.op, "ok", std::move(ended)));
    } else {
      post(flows::Event::kiosk(request.op, "unavailable"));  // not the person's session's
    }
  }
  redraw();
  forget_pin_if_moved();
  if (!staff_->active()) {
    logger("app")->info("staff layer closed: {}", staff_->last_outcome());
    last_input_ = now;  // the person's idle time starts again
  }
}

bool App::staff_gesture(const InputEvent& input, TimePoint now) {
  if (staff_ == nullptr) {
    return false;
  }
  if (input.kind == InputEvent::Kind::key && input.key == kStaffKey) {
    open_staff(now);
    return true;
  }
  const int corner = theme().mm(kStaffCornerMm);
  if (input.kind != InputEvent::Kind::tap || input.x >= corner || input.y >= corner) {
    return false;
  }
  // Not the person's input: it neither keeps their session alive nor answers a warning.
  std::erase_if(corner_taps_, [&](TimePoint t) { return now - t > kStaffCornerWithin; });
  corner_taps_.push_back(now);
  if (corner_taps_.size() >= kStaffCornerTaps) {
    corner_taps_.clear();
    open_staff(now);
  }
  return true;
}

namespace {

// The characters a PIN of this pad may hold: digits, and for the signing PIN capital letters.
bool accepts(const flows::PinPadView& pad, char c) {
  return (c >= '0' && c <= '9') || (pad.alphanumeric && c >= 'A' && c <= 'Z');
}

}  // namespace

void App::pin_pad_key(const std::string& key, TimePoint now) {
  FlowRuntime* runtime = shown_runtime();
  if (runtime == nullptr) {
    return;
  }
  const auto& shown = runtime->view();
  if (!shown || !shown->pin_pad) {
    return;
  }
  const flows::PinPadView& pad = *shown->pin_pad;
  // The digits are edited in place in pin_typed_ (no second copy), and moved out on confirm.
  if (key != "confirm") {
    play(Sound::key);  // the digit itself is never said: a tone confirms the touch
  }
  if (key == "delete") {
    pin_typed_.pop_back();
  } else if (key == "confirm") {
    if (static_cast<int>(pin_typed_.size()) >= pad.min_length) {
      base::SecretBytes pin = std::move(pin_typed_);
      runtime->input(flows::Event::typed(pad.submit_action, std::move(pin)), now);
      after_step(*runtime, now);
      return;
    }
  } else if (key.size() == 1 && accepts(pad, key[0]) &&
             static_cast<int>(pin_typed_.size()) < pad.max_length) {
    pin_typed_.push_back(key[0]);
  }
  redraw();
}

// After the procedure's flow moved: redraw, forget a PIN typed on a screen or pad that is gone
// (a pad of another kind on the same screen too: what was typed on a masked pad is never shown on
// one that is not), and go back to the menu when the flow ended.
void App::after_procedure_step(TimePoint now) {
  redraw();
  forget_pin_if_moved();
  if (!runtime_->active()) {
    logger("app")->info("procedure {} ended: {}", flow_.chosen_procedure(),
                        runtime_->last_outcome());
    flow_.show_menu();
    ask_for_cards(now);
  }
}

void App::forget_pin_if_moved() {
  std::string screen;
  if (const FlowRuntime* shown = shown_runtime(); shown != nullptr && shown->view()) {
    const flows::ViewModel& vm = *shown->view();
    screen = vm.screen;
    if (vm.pin_pad) {
      screen += "|" + vm.pin_pad->submit_action + (vm.pin_pad->masked ? "|masked" : "|shown");
    }
  }
  if (screen != pin_screen_) {
    pin_typed_.clear();
    pin_screen_ = screen;
  }
}

bool App::handle_idle_warning(const InputEvent& input, TimePoint now) {
  const bool more_time =
      (input.kind == InputEvent::Kind::tap && frame().hit(input.x, input.y) == "more_time") ||
      (input.kind == InputEvent::Kind::key && (input.key == "return" || input.key == "space"));
  if (more_time) {
    ++extensions_;
    logger("app")->info("more time ({} in this session)", extensions_);
    warning_left_s_.reset();
    last_input_ = now;
    last_tap_action_.clear();
    redraw();
  }
  return true;
}

bool App::handle(const InputEvent& input, TimePoint now) {
  if (staff_gesture(input, now)) {
    return true;
  }
  if (warning_left_s_ &&
      (input.kind == InputEvent::Kind::tap || input.kind == InputEvent::Kind::key)) {
    return handle_idle_warning(input, now);
  }
  if (take_cards_ && !staff_open() &&
      (input.kind == InputEvent::Kind::tap || input.kind == InputEvent::Kind::key)) {
    last_input_ = now;
    return true;  // nothing to do but take the cards
  }
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
        apply(flows::Intent::cancel_key(), now);
      } else if (input.key == "tab" || input.key == "down" || input.key == "right") {
        move_focus(+1);
      } else if (input.key == "up" || input.key == "left") {
        move_focus(-1);
      } else if (const Button* on = focused_.empty() ? nullptr : frame().button(focused_);
                 on != nullptr && on->enabled &&
                 (input.key == "return" || input.key == "keypad enter" || input.key == "space")) {
        activate(on->action, now);  // Enter on the focused button is a touch on it
      } else if (const auto key = pin_pad_key_of(input.key)) {
        // A keyboard or a keypad types as the pad on the screen does, and only what it offers.
        const Button* shown = frame().button("pin_pad:" + *key);
        if (shown != nullptr && shown->enabled) {
          activate(shown->action, now);
        }
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
      activate(*action, now);
      return true;
    }
  }
  return true;
}

bool App::session_in_progress() const {
  return shown_runtime() != nullptr || flow_.state() != flows::WelcomeFlow::State::attract ||
         flow_.language() != config_.kiosk.default_language || look_ != default_look(config_) ||
         look_open_;
}

std::optional<App::TimePoint> App::next_deadline() const {
  std::optional<TimePoint> next;
  if (session_in_progress()) {
    const auto idle_at = last_input_ + std::chrono::seconds(config_.session.idle_timeout_s);
    // While the warning counts down, each second it shows; before, when it appears.
    next =
        warning_left_s_
            ? idle_at + std::chrono::seconds(config_.session.idle_warning_s - *warning_left_s_ + 1)
            : idle_at;
  }  // else nothing of a person to wipe, nothing to time out
  for (const FlowRuntime* r : {runtime_, staff_}) {
    if (r == nullptr || !r->active()) {
      continue;
    }
    if (const auto timer = r->next_deadline(); timer && (!next || *timer < *next)) {
      next = timer;
    }
  }
  if (take_cards_ && (!next || next_chime_ < *next)) {
    next = next_chime_;
  }
  return next;
}

void App::end_idle_session(TimePoint now) {
  warning_left_s_.reset();
  if (staff_open()) {
    // Staff left the kiosk in the middle of their sign-in: it closes, and the person's screen
    // under it is as it was.
    logger("app")->info("idle for {} s: the staff layer closes", config_.session.idle_timeout_s);
    apply_to(*staff_, flows::Intent::idle(), now);
    last_input_ = now;
    return;
  }
  logger("app")->info("idle for {} s and warned for {} s: session ended",
                      config_.session.idle_timeout_s, config_.session.idle_warning_s);
  look_ = default_look(config_);  // the next person starts with the kiosk's own look
  look_open_ = false;
  forget_call();
  apply(flows::Intent::idle(), now);
  if (runtime_ == nullptr || !runtime_->active()) {
    flow_.handle(flows::Intent::idle());  // and the welcome flow back to attract
    redraw();
  }
  last_input_ = now;
  ask_for_cards(now);
}

void App::tick(TimePoint now) {
  if (call_.state) {
    const StaffCall::State state = call_.state();
    const bool waiting = state == StaffCall::State::raising || state == StaffCall::State::raised;
    if (!waiting) {
      call_waiting_since_.reset();
    } else if (!call_waiting_since_) {
      call_waiting_since_ = now;
    }
    // A person waiting for staff is not idle — for a while: staff who help without signing in
    // here (or never come) must not leave the session up for the next person.
    if (waiting && session_in_progress() && now - *call_waiting_since_ < kCallWaitNotIdle) {
      last_input_ = now;
    }
    if (state != call_seen_) {
      call_seen_ = state;
      if (state == StaffCall::State::none) {
        call_notice_ = false;  // answered: staff are here
      }
      redraw();
    }
  }
  if (staff_open() && (staff_->pump(now) || !staff_->active())) {
    after_staff_step(now);
  }
  if (runtime_ != nullptr && runtime_->active()) {
    if (runtime_->pump(now) || !runtime_->active()) {
      after_procedure_step(now);
    }
  }
  if (take_cards_ && (!cards_present_ || cards_present_() == 0)) {
    logger("app")->info("every card taken");
    take_cards_ = false;
    last_input_ = now;
    redraw();
  } else if (take_cards_ && now >= next_chime_) {
    if (!staff_open()) {  // staff ask for the card themselves; the chime waits until they leave
      play(Sound::take_cards);
    }
    next_chime_ = now + kChimeEvery;
  }
  if (!session_in_progress()) {
    warning_left_s_.reset();
    return;
  }
  const auto idle_at = last_input_ + std::chrono::seconds(config_.session.idle_timeout_s);
  const auto end_at = idle_at + std::chrono::seconds(config_.session.idle_warning_s);
  if (now >= end_at) {
    end_idle_session(now);
  } else if (now >= idle_at) {
    const int left =
        static_cast<int>(std::chrono::ceil<std::chrono::seconds>(end_at - now).count());
    if (warning_left_s_ != left) {
      if (!warning_left_s_) {
        logger("app")->info("idle for {} s: warning, {} s to go", config_.session.idle_timeout_s,
                            left);
      }
      const int shown_s = config_.session.idle_warning_s - left;
      if (shown_s % kWarningSoundEvery == 0 || !warning_left_s_) {
        play(Sound::idle_warning);
      }
      warning_left_s_ = left;
      redraw();
    }
  }
}

const Frame& App::frame() {
  if (layout_stale_) {
    const auto dialog = dialog_view();
    const flows::ViewModel screen = screen_view();
    if (screen.screen != page_screen_) {
      page_ = 0;  // a new screen starts at its first page (a dialog over it keeps its page)
      page_screen_ = screen.screen;
    }
    const flows::ViewModel& vm = dialog ? *dialog : screen;
    const Theme look = theme();
    const int width = config_.display.width;
    const int height = config_.display.height;
    if (!dialog) {
      backdrop_.reset();
      frame_ = layout_screen(vm, catalog_, metrics_, look, width, height, page_);
    } else {
      // While the screen under a dialog stays as it was (a countdown), only the dialog is laid
      // out again.
      if (!backdrop_ || backdrop_->view != screen || backdrop_->look != look_ ||
          backdrop_->page != page_) {
        backdrop_ = Backdrop{
            screen, look_, page_,
            dialog_backdrop(layout_screen(screen, catalog_, metrics_, look, width, height, page_),
                            look)};
      }
      frame_ = layout_dialog(*dialog, backdrop_->frame, catalog_, metrics_, look, width, height);
    }
    add_warnings(frame_.warnings);
    add_warnings(check_frame(vm, frame_, look, config_.display.width, config_.display.height));
    layout_stale_ = false;
    mark_focus();
  }
  return frame_;
}

void App::mark_focus() {
  if (frame_.screen != focused_screen_) {
    focused_.clear();  // a new screen: the person starts again from its first button
  }
  const Theme look = theme();
  for (auto& b : frame_.buttons) {
    const bool on = !focused_.empty() && b.action == focused_;
    b.focus_ring_px = on ? std::max(2, look.mm(mm::kFocusRing)) : 0;
    b.focus_gap_px = on ? std::max(1, look.mm(mm::kFocusGap)) : 0;
    b.focus_ring = look.colors().text;
  }
}

void App::move_focus(int step) {
  const Frame& shown = frame();
  std::vector<const Button*> order;
  for (const auto& b : shown.buttons) {
    if (b.enabled) {
      order.push_back(&b);
    }
  }
  if (order.empty()) {
    return;
  }
  // Reading order: top to bottom, then left to right.
  std::stable_sort(order.begin(), order.end(), [](const Button* a, const Button* b) {
    return a->rect.y != b->rect.y ? a->rect.y < b->rect.y : a->rect.x < b->rect.x;
  });
  const auto n = static_cast<int>(order.size());
  int at = step > 0 ? 0 : n - 1;
  for (int i = 0; i < n; ++i) {
    if (order[static_cast<size_t>(i)]->action == focused_) {
      at = ((i + step) % n + n) % n;
    }
  }
  focused_ = order[static_cast<size_t>(at)]->action;
  focused_screen_ = shown.screen;
  mark_focus();
  needs_draw_ = true;
}

void App::activate(const std::string& action, TimePoint now) {
  if (!kiosk_action(action)) {
    apply(flows::Intent::tap(action), now);
  }
}

Theme App::theme() const {
  // The look panel is a dialog: it stays on one page whatever was chosen (layout_dialog), and
  // the screen behind it shows the choice.
  return Theme::for_panel(config_.display.width, config_.display.height,
                          config_.display.diagonal_in, look_);
}

void App::add_warnings(const std::vector<std::string>& found) {
  for (const auto& warning : found) {
    if (std::find(warnings_.begin(), warnings_.end(), warning) == warnings_.end()) {
      logger("ui")->warn("{}", warning);
      warnings_.push_back(warning);
    }
  }
}

std::vector<std::string> App::warnings() const {
  std::vector<std::string> all = warnings_;
  for (const auto& key : catalog_.missing()) {
    all.push_back("missing text " + key);
  }
  return all;
}

}  // namespace mk::kiosk
