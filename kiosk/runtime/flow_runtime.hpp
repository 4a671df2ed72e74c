#pragma once

// Runs one flow at a time: feeds it events (taps from the UI thread, answers posted by the card,
// centre and store threads, timers) and carries out the effects it returns. The flow itself is
// pure (flows/); this is where its requests meet the world. An answer that arrives after its flow
// ended — the person cancelled, the session timed out — is dropped, never fed to the next flow.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "base/job_queue.hpp"
#include "flows/engine/effect.hpp"
#include "flows/engine/event.hpp"
#include "flows/engine/running_flow.hpp"

namespace mk::kiosk {

// Delivers a request's answer back to the runtime; callable from any thread, any number of
// times (a card watch may answer, then report the card removed).
using Post = std::function<void(flows::Event)>;

// Where each kind of effect goes. Every member may be empty in a test that does not need it; a
// request with no service is answered "error" so the flow does not hang.
struct FlowServices {
  std::function<void(flows::CardRequest, Post)> card;
  std::function<void(flows::CenterRequest, Post)> center;
  std::function<void(flows::OutboxEnqueue, Post)> outbox;
  // Prints a slip; without a printer the request is answered "no_printer".
  std::function<void(flows::PrintRequest, Post)> print;
  // Looks through the camera; without a camera the request is answered "no_camera".
  std::function<void(flows::CameraRequest, Post)> camera;
  // Answers what staff ask the kiosk (flows/kiosk_ops.hpp); without it: "unavailable".
  std::function<void(flows::KioskRequest, Post)> kiosk;
  // (entry, flow name, state): the service adds who, where and when.
  std::function<void(const flows::AuditEntry&, const std::string&, const std::string&)> audit;
  std::function<void()> release_card;
  // (code, needs_staff, text): the flow reached a state where something went wrong
  // (StateSpec::code; the runtime has logged it, the person's screen says what to do), or failed
  // (MK-FLOW-FAILED: staff must hear of it); the text says where and after what, never anything
  // personal.
  std::function<void(const std::string&, bool, const std::string&)> problem;
  // A flow ended (its final state, "failed", or "abandoned" when another started over it), from
  // the state it was in before (the last screen the person saw), after this long: the day's
  // counts.
  std::function<void(const std::string& flow, const std::string& outcome, const std::string& from,
                     std::chrono::milliseconds took)>
      ended;
  // Called (on the posting thread) after an answer was posted: wakes a UI loop that sleeps.
  std::function<void()> wake;
};

class FlowRuntime {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  explicit FlowRuntime(FlowServices services);
  ~FlowRuntime();  // a flow still running is abandoned (wiped), not just destroyed
  FlowRuntime(const FlowRuntime&) = delete;
  FlowRuntime& operator=(const FlowRuntime&) = delete;

  // Starts `flow`, ending any running one first (its late answers are then dropped).
  void begin(std::unique_ptr<flows::RunningFlow> flow, TimePoint now);
  // Ends the running flow as an idle timeout or cancel would (the flow's own declaration).
  void input(flows::Event event, TimePoint now);
  // Ends the running flow where it stands, whatever its state (staff ending a stuck session, a
  // new flow starting over one that would not cancel): wiped, its card released, its screen
  // forgotten, counted as `outcome`.
  void stop(const std::string& outcome, TimePoint now);

  // From any thread: an answer for the flow of generation `generation`.
  void post(uint64_t generation, flows::Event event);
  // UI thread: feeds posted answers and due timers to the flow. Returns true when the view changed.
  bool pump(TimePoint now);
  // Blocks until something was posted or `max` passed (headless runs wait for the card thread).
  bool wait_for_post(std::chrono::milliseconds max);

  std::optional<TimePoint> next_deadline() const;
  bool active() const { return flow_ != nullptr; }
  const std::optional<flows::ViewModel>& view() const { return view_; }
  // The final state of the last flow that ended ("finished", "cancelled", ...).
  const std::string& last_outcome() const { return last_outcome_; }
  std::string state() const { return flow_ ? flow_->state() : std::string(); }
  std::string flow_name() const { return flow_ ? flow_->name() : std::string(); }
  uint64_t generation() const { return generation_; }

 private:
  void run(flows::Effects effects, TimePoint now);
  void feed(flows::Event event, TimePoint now);
  // The one way a flow leaves: wiped (abandon), destroyed, its timers and late answers dropped.
  void end_flow();
  Post poster();

  FlowServices services_;
  std::unique_ptr<flows::RunningFlow> flow_;
  std::optional<flows::ViewModel> view_;
  bool view_changed_ = false;
  std::string last_outcome_;
  TimePoint started_at_;      // of the running flow
  std::string state_before_;  // the running flow's state before the event being fed
  uint64_t generation_ = 0;
  std::map<std::string, TimePoint> timers_;

  base::JobQueue<std::pair<uint64_t, flows::Event>> inbox_;  // answers posted from any thread
};

}  // namespace mk::kiosk
