#pragma once

// POST /v1/holders/{ref}/status at the centre simulator: what a holder may ask about themselves —
// their one-stop consent, their last portal linkage submission, and the facts the online lecture
// rule needs (center/api/holder_status.hpp).

#include <httplib.h>

#include "center/sim/replies.hpp"

namespace mk::center::sim {

struct SimulatorState;

Reply holder_status(SimulatorState& centre, const httplib::Request& req);

}  // namespace mk::center::sim
