#pragma once

// What a flow asks the runtime (kiosk/) to do. A flow never does I/O itself: it returns these,
// and the runtime runs them on the device, network and storage threads and feeds each answer back
// as an Event.

#include <string>
#include <variant>
#include <vector>

#include "flows/engine/event.hpp"
#include "flows/view_model.hpp"

namespace mk::flows {

struct ShowView {
  ViewModel view;
};
// A card operation: op names it ("read_dl", "read_basic4", "verify_license_pin", "relay", ...);
// the answer comes back as Event::card(op, outcome, fields).
struct CardRequest {
  std::string op;
  Fields args;
  base::SecretBytes pin;  // the PIN the person just typed, for this one request
};
struct CenterRequest {
  std::string op;
  Fields args;
  base::SecretBytes pin;
  std::string idempotency_key;
  std::vector<uint8_t> blob = {};  // binary payload (the photo of a PIN unlock's identity check)
};
// Commit a submission to the outbox before telling the person "done".
struct OutboxEnqueue {
  std::string kind;
  std::string idempotency_key;  // empty: a new submission, the runtime gives it a fresh key
  Fields payload;
};
// Print a slip for the person to take away (the portal linkage's next steps): a view model like a
// screen's, laid out for paper by the kiosk. Never anything personal on it — a slip left at the
// kiosk tells the next person nothing. Answered as Event::printed(name, "ok" | an error): "ok" only
// once the printer's spooler reports the job completed.
struct PrintRequest {
  std::string name;  // "slip": the event's name
  ViewModel document;
};
// A look through the camera (flows/camera_ops.hpp: read a QR code, take the photo); answered as
// Event::camera(op, outcome, fields) with the photo in the event's blob.
struct CameraRequest {
  std::string op;
  Fields args;
};
// A question for the kiosk itself (flows/kiosk_ops.hpp): its state at a glance, the day's
// report — what staff see at their desk. Answered as Event::kiosk(op, outcome, fields); never
// anything personal.
struct KioskRequest {
  std::string op;
  Fields args;
};
struct StartTimer {
  std::string id;
  int milliseconds = 0;
};
struct CancelTimer {
  std::string id;
};
// One row of the audit trail: where comes from the session, never a PIN or My Number.
struct AuditEntry {
  std::string action;
  std::string result;
  std::string detail;
  // Who: "" is the person at the kiosk; "staff:<staff ID>" a staff member (issue 12).
  std::string actor = {};
};
// Clean-up the engine adds on every way out of a flow.
struct ReleaseCard {};
struct WipeSession {};
struct FlowEnded {
  std::string outcome;  // the final state's id
};

using Effect = std::variant<ShowView, CardRequest, CenterRequest, OutboxEnqueue, PrintRequest,
                            CameraRequest, KioskRequest, StartTimer, CancelTimer, AuditEntry,
                            ReleaseCard, WipeSession, FlowEnded>;
using Effects = std::vector<Effect>;

// "show", "card", "center", "outbox", "print", "camera", "kiosk", "start_timer", "cancel_timer",
// "audit",
// "release_card", "wipe", "ended": for logs and tests.
std::string effect_name(const Effect& effect);

}  // namespace mk::flows
