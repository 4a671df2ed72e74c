#pragma once

// The centre simulator's holder API: looking a licence holder up (by licence, by My Number card
// after a challenge, by driving history), which card holds the record, and changing the holding
// form.

#include <cstdint>
#include <span>
#include <string>

#include <httplib.h>

#include "center/sim/replies.hpp"

namespace mk::center::sim {

struct SimulatorState;

Reply lookup(SimulatorState& centre, const httplib::Request& req);  // /v1/holders/lookup
Reply auth_challenge(SimulatorState& centre);                       // /v1/auth/challenges
// Spends a challenge auth_challenge issued: fails with signature_invalid when it is unknown, used
// or expired.
void take_challenge(SimulatorState& centre, std::span<const uint8_t> challenge);
// True for a challenge auth_challenge issued, not yet used and not expired (it stays open).
bool challenge_open(SimulatorState& centre, std::span<const uint8_t> challenge);
Reply lookup_by_card(SimulatorState& centre, const httplib::Request& req);  // .../lookup-by-card
Reply card_status(SimulatorState& centre, const httplib::Request& req);     // /v1/cards/status
Reply history_lookup(SimulatorState& centre, const httplib::Request& req);  // /v1/history/lookup
// POST /v1/holders/{ref}/holding-form
Reply holding_form(SimulatorState& centre, const httplib::Request& req,
                   const std::string& terminal);

}  // namespace mk::center::sim
