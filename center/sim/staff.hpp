#pragma once

// Staff at the centre simulator (docs/center-sim.md "Staff"): the test staff members, kept as the
// centre keeps them — an Argon2id verifier each, never a PIN — their sign-in at a kiosk with a
// count of wrong PINs that locks a member at the fifth, and the verifiers a kiosk caches.

#include <string>

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

}  // namespace mk::center::sim
