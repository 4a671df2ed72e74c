#pragma once

// Appointments at the centre simulator: the after-hours PIN unlock appointments it seeds for
// today and tomorrow, looking one up, the kiosk's check-in and the identity check before the
// unlock.

#include <optional>
#include <string>

#include <httplib.h>

#include "center/api/wire.hpp"
#include "center/sim/replies.hpp"

namespace mk::center::sim {

struct SimulatorState;

// (Re)books CenterSimulator::kTodayAppointment, kTomorrowAppointment and kOtherHolderAppointment,
// as the calendar moves.
void seed_appointments(SimulatorState& centre);

// GET /v1/appointments/{number}; fails with appointment_not_found (404).
api::Appointment appointment(SimulatorState& centre, const std::string& number);
// POST /v1/appointments/{number}/check-in: today, inside the slot, not used, not locked, and not
// at another kiosk; again at the same kiosk it answers as before.
Reply check_in(SimulatorState& centre, const httplib::Request& req, const std::string& terminal);
// POST /v1/appointments/{number}/identity (R-LIC-PIN-LOCK): the card's authentication signature,
// the card holds the appointment holder's licence, and the photo taken now shows the licence
// photo's face. A failure counts (flows/rules/pin_unlock.hpp); the last allowed one locks it.
Reply identify(SimulatorState& centre, const httplib::Request& req, const std::string& terminal);

// The appointment whose identity check passed at `terminal` for the holder, inside its slot: what
// lets an issuer session reset the licence PIN. Nothing when there is none.
std::optional<std::string> verified_unlock(SimulatorState& centre, const std::string& holder_ref,
                                           const std::string& terminal);
// Its one unlock is done (the issuer session completed).
void mark_unlocked(SimulatorState& centre, const std::string& number);

}  // namespace mk::center::sim
