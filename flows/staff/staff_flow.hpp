#pragma once

// The staff layer (issue 12): a staff member opens it over whatever the kiosk shows (a hidden but
// documented gesture or key, docs/operations.md), signs in with their staff ID and PIN, and is
// then signed in at the staff desk until they sign out, leave it idle, or the kiosk ends it.
//
//   staff ID → staff PIN → the centre checks them (or, when it cannot be reached, the kiosk's copy
//   of its verifiers: center_ops::kStaffSignIn) → the desk → signed out
//   the desk → the kiosk's state at a glance (kiosk_ops::kStatus), the day's report
//   (kiosk_ops::kDayReport, printed on the slip printer where there is one), the dead letters (one
//   sent again: kiosk_ops::kRequeue), ending the person's session (kiosk_ops::kEndSession, after
//   a confirmation) → back to the desk
//
// Both pads are masked: the person at the kiosk never sees what staff type. Every sign-in, wrong
// PIN, lock and sign-out is an audit row with the staff ID as its actor; the PIN reaches only the
// centre request and is wiped with it. The desk ends after `idle_ms` without a touch.

#include <map>
#include <optional>
#include <string>

#include "base/secret_bytes.hpp"
#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/language.hpp"

namespace mk::flows {

class StaffFlow : public MachineFlow<StaffFlow> {
 public:
  // `printer`: a slip printer is configured (the day's report offers "print" only then).
  StaffFlow(Language language, int idle_ms, bool printer = false);

  static const FlowDefinition& definition();
  // The timer the desk's idle timeout runs on.
  static constexpr const char* kIdleTimer = "staff_idle";

 private:
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens = "staff";  // screen ids: "staff.<state>"
  ViewModel view(const std::string& screen) const;
  // The PIN typed: kept for the centre request `checking` makes, and nowhere else.
  Step pin_typed(Event& e);
  Step after_check(Event& e);
  // Any event while signed in: leaving and idling sign out (audited), a touch starts the idle
  // time again; nullopt when the state's own handling comes next.
  std::optional<Step> while_signed_in(Event& e);
  Step at_status(Event& e);
  Step at_report(Event& e);
  Step at_dead_letters(Event& e);
  Step at_session_ended(Event& e);
  void dead_letter_lines(ViewModel& vm) const;
  void status_lines(ViewModel& vm) const;
  void report_lines(ViewModel& vm) const;
  ViewModel report_slip() const;
  // The staff ID's last two digits: enough for staff to see it is theirs, not for the person
  // beside them (or an audit row of a refusal) to learn it.
  std::string id_end() const;
  // A procedure as the menu names it (its id when the menu has none).
  static TextRef procedure_name(const std::string& id);
  // An audit row with the staff ID typed as its actor.
  AuditEntry audit(std::string action, std::string result, std::string detail = {}) const;
  void wipe();

  Language language_;
  int idle_ms_;
  std::string staff_id_;    // as typed: the actor of the audit rows, shown at the desk
  base::SecretBytes pin_;   // typed, until the centre request takes it (moved out at once)
  std::string role_;        // the centre's (or the copy's) answer: "staff" / "supervisor"
  std::string checked_by_;  // "center" or "kiosk" (its copy, while the centre was away)
  bool printer_;
  Fields status_;  // the kiosk's answer (kiosk_ops::kStatus); "" outcome: not yet
  std::string status_outcome_;
  Fields report_;  // kiosk_ops::kDayReport's
  std::string report_outcome_;
  std::string printed_;  // the report's print job: "" none, "ok" or its error
  Fields letters_;       // kiosk_ops::kDeadLetters's
  std::string letters_outcome_;
  std::string requeued_;        // the last one sent again: its id, and "!" before it when refused
  bool call_answered_ = false;  // the sign-in answered the person's call for staff
  Fields ended_;                // kiosk_ops::kEndSession's answer
  std::string ended_outcome_;
  friend class MachineFlow<StaffFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
