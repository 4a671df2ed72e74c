#pragma once

// Appointments at the centre simulator: the after-hours PIN unlock appointments it seeds for
// today and tomorrow, looking one up, and the kiosk's check-in.

#include <string>

#include <httplib.h>

#include "center/api/wire.hpp"
#include "center/sim/replies.hpp"

namespace mk::center::sim {

struct SimulatorState;

// (Re)books CenterSimulator::kTodayAppointment and kTomorrowAppointment, as the calendar moves.
void seed_appointments(SimulatorState& centre);

// GET /v1/appointments/{number}; fails with appointment_not_found (404).
api::Appointment appointment(SimulatorState& centre, const std::string& number);
// POST /v1/appointments/{number}/check-in
Reply check_in(SimulatorState& centre, const httplib::Request& req, const std::string& terminal);

}  // namespace mk::center::sim
