#pragma once

// Licence renewals at the centre simulator: the renewal period and new expiry as the Road
// Traffic Act counts them (license_validity.hpp), 経由申請 away from home (R-VIA), the counter's
// part done by staff, and POST /v1/holders/{ref}/renewal.

#include <optional>
#include <string>

#include <httplib.h>

#include "center/sim/holder_records.hpp"
#include "center/sim/license_validity.hpp"
#include "center/sim/replies.hpp"

namespace mk::center::sim {

struct Holder;
struct SimulatorState;

struct RenewalFacts {
  devices::sim::Date expiry, new_expiry, period_start;
  DriverCategory category = DriverCategory::violator;
  bool in_period = false;
  bool via = false;
  bool via_eligible = false;
};

// The renewal as the Road Traffic Act counts it, from the record before this renewal.
RenewalFacts renewal_facts(SimulatorState& centre, const Holder& h);
// The new expiry of a renewal whose rewrite is done, if any.
std::optional<std::string> renewed_expiry(SimulatorState& centre, const std::string& ref);
// The counter's part of this renewal (適性検査, 講習, fee) is done: the admin step staff (and the
// scenarios) take. Throws std::runtime_error outside the period or when suspended.
void complete_counter_renewal(SimulatorState& centre, const std::string& fixture_id);
// Why a recorded holder's card may not be rewritten with a renewal now; empty when it may.
std::string rewrite_refusal(SimulatorState& centre, const Holder& h, const HolderState& st,
                            const RenewalFacts& f);

// POST /v1/holders/{ref}/renewal: the renewal offer.
Reply renewal(SimulatorState& centre, const httplib::Request& req);

}  // namespace mk::center::sim
