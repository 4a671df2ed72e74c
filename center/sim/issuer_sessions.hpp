#pragma once

// The centre simulator's issuer sessions (docs/center-api.md, "Issuer sessions"): the centre
// writes, erases, rewrites or re-PINs a card's 免許AP over SCP03, phase by phase, through the
// kiosk's relay.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "center/api/wire.hpp"
#include "center/issuer/license_write_plan.hpp"
#include "center/sim/replies.hpp"

namespace mk::center::sim {

struct SimulatorState;

// One issuer session in memory: the SCP03 host holds session keys and cannot be stored.
struct IssuerSessionState {
  std::string id, terminal, holder_ref;
  api::IssuerOperation operation = api::IssuerOperation::record;
  std::vector<api::PhaseName> phases;
  size_t current = 0;
  api::Bytes host_challenge;
  enum class State { awaiting_open, awaiting_answers, done, failed } state = State::awaiting_open;
  std::unique_ptr<issuer::Scp03Host> host;
  size_t command_count = 0;
  api::Bytes sealed_pin;  // the new PIN, AES-GCM sealed; empty for delete
  std::optional<issuer::LicenseImage> image;
  std::optional<api::HoldingForm> holding_form;  // record: the form once it is complete
  std::string new_expiry;                        // rewrite: the renewed record's expiry
  std::string card_id;                           // the card written (lowercase hex)
  std::string appointment;  // reset_pin: the PIN unlock appointment it completes
};

// POST /v1/issuer/sessions, .../phases/{phase}/open and .../phases/{phase}/answers.
Reply create_session(SimulatorState& centre, const httplib::Request& req,
                     const std::string& terminal);
Reply open_phase(SimulatorState& centre, const httplib::Request& req, const std::string& terminal);
Reply phase_answers(SimulatorState& centre, const httplib::Request& req,
                    const std::string& terminal);

}  // namespace mk::center::sim
