#pragma once

// Reading the virtual card's log after an operation (mynacard-card-bench): APDUs and response
// bytes a session, what kind each command is, and which SELECTs were redundant — judged the same
// way for the kiosk's card stack and for OpenSC, since both are counted card-side.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "devices/sim/card_engine.hpp"

namespace mk::bench {

struct Span {
  size_t begin = 0, end = 0;  // indices into CardEngine::log()
};

struct Analysis {
  size_t apdus = 0;
  size_t response_bytes = 0;
  // A SELECT of the application already selected, or of the file already current, by the same
  // client in the same PC/SC session (what it selected itself earlier and nothing changed since).
  size_t redundant_selects = 0;
  // The same, judged by the card's state over the whole operation (state left by a previous
  // session of the operation counts too).
  size_t redundant_selects_card_side = 0;
  // SELECTs by AID repeating one that the card already answered 6A82 in the same session.
  size_t repeated_failed_selects = 0;
  std::vector<std::string> redundant;  // "#n CMD (why)", per session
  std::vector<size_t> apdus_per_session;
  std::map<std::string, size_t> categories;
  bool started_at_mf = true;
};

Analysis analyse(const std::vector<devices::sim::LogEntry>& log, const std::vector<Span>& sessions);
// Every command of the sessions, in order, for the JSON (what the analysis judged, to check it).
nlohmann::ordered_json sequence_json(const std::vector<devices::sim::LogEntry>& log,
                                     const std::vector<Span>& sessions);

}  // namespace mk::bench
