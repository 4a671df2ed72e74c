#pragma once

// Staff at the centre simulator (docs/center-sim.md "Staff"): the test staff members, kept as the
// centre keeps them — an Argon2id verifier each, never a PIN — their sign-in at a kiosk with a
// count of wrong PINs that locks a member at the fifth, and the verifiers a kiosk caches.

#include <string>
#include <vector>

#include <httplib.h>

#include "center/sim/replies.hpp"

namespace mk::center::sim {

struct SimulatorState;

// Adds the test staff (CenterSimulator::kStaff...) that are not there yet: a member locked in an
// earlier run stays locked.
void seed_staff(SimulatorState& centre);

// POST /v1/staff/sign-in: the member (staff_id, role), or staff_sign_in_refused (401: no such
// member or a wrong PIN; the two are not told apart) or staff_locked (423: the fifth wrong PIN in
// a row, and every sign-in after it). The count is kept whatever the answer.
Reply staff_sign_in(SimulatorState& centre, const httplib::Request& req);
// GET /v1/staff/verifiers: every member who may sign in (not locked), with their verifier.
Reply staff_verifiers(SimulatorState& centre);

// POST /v1/staff/calls: a person at `terminal` asks for staff; the call, open.
Reply raise_staff_call(SimulatorState& centre, const httplib::Request& req,
                       const std::string& terminal);
// POST /v1/staff/calls/{id}/answer: a staff member signed in at that kiosk; call_not_found (404)
// for a call of another kiosk or none. Answered again, it keeps its first answer.
Reply answer_staff_call(SimulatorState& centre, const httplib::Request& req,
                        const std::string& terminal);
// Every call raised at `terminal`, oldest first (what the centre's staff board shows).
std::vector<api::StaffCall> staff_calls(SimulatorState& centre, const std::string& terminal);

}  // namespace mk::center::sim
