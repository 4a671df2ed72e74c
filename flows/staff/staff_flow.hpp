#pragma once

// The staff layer (issue 12): a staff member opens it over whatever the kiosk shows (a hidden but
// documented gesture or key, docs/operations.md), signs in with their staff ID and PIN, and is
// then signed in at the staff desk until they sign out, leave it idle, or the kiosk ends it.
//
//   staff ID → staff PIN → the centre checks them (or, when it cannot be reached, the kiosk's copy
//   of its verifiers: center_ops::kStaffSignIn) → the desk → signed out
//
// Both pads are masked: the person at the kiosk never sees what staff type. Every sign-in, wrong
// PIN, lock and sign-out is an audit row with the staff ID as its actor; the PIN reaches only the
// centre request and is wiped with it. The desk ends after `idle_ms` without a touch.

#include <map>
#include <string>

#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/language.hpp"

namespace mk::flows {

class StaffFlow : public MachineFlow<StaffFlow> {
 public:
  StaffFlow(Language language, int idle_ms);

  static const FlowDefinition& definition();
  // The timer the desk's idle timeout runs on.
  static constexpr const char* kIdleTimer = "staff_idle";

 private:
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens = "staff";  // screen ids: "staff.<state>"
  ViewModel view(const std::string& screen) const;
  Step after_check(Event& e);
  Step at_desk(Event& e);
  // An audit row with the staff ID typed as its actor.
  AuditEntry audit(std::string action, std::string result, std::string detail = {}) const;
  void wipe();

  Language language_;
  int idle_ms_;
  std::string staff_id_;    // as typed: the actor of the audit rows, shown at the desk
  std::string role_;        // the centre's (or the copy's) answer: "staff" / "supervisor"
  std::string checked_by_;  // "center" or "kiosk" (its copy, while the centre was away)
  friend class MachineFlow<StaffFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
