#pragma once

// The centre simulator's admin API, for tests and demos (docs/center-sim.md, "Admin API"):
// faults and outages, the counter's part of a renewal, revocations, and what reached the centre
// (writes, audit chains). Only the test kiosk certificate; no faults, no idempotency.

#include <httplib.h>

namespace mk::center::sim {

class Server;
struct SimulatorState;

void add_admin_routes(httplib::Server& http, SimulatorState& centre, Server& server);

}  // namespace mk::center::sim
