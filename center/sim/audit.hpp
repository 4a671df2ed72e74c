#pragma once

// The audit rows the centre simulator receives (docs/center-api.md, "Audit batches"): each
// kiosk's hash chain continued row by row, a restarted chain accepted when it forks from a row
// the centre holds (the rows it replaces kept as evidence), and the chains as the admin API
// reports them.

#include <string>

#include <httplib.h>

#include "center/api/wire.hpp"
#include "center/sim/replies.hpp"

namespace mk::center::sim {

struct SimulatorState;

// POST /v1/audit/batches
Reply audit(SimulatorState& centre, const httplib::Request& req, const std::string& terminal);

// Each terminal's received audit chain: its rows, and whether each continues the one before
// (seq + 1, prev_hash = the previous row's hash).
api::Json audit_chains(SimulatorState& centre);

}  // namespace mk::center::sim
