#pragma once

// The audit upload (docs/center-api.md): hash-chained rows, the batch the kiosk sends, and how far
// the centre accepted them.

#include <cstdint>
#include <string>
#include <vector>

#include "center/api/wire_codec.hpp"

namespace mk::center::api {

struct AuditRow {
  int64_t seq = 0;
  std::string at;  // RFC 3339
  std::string actor, action, result, detail;
  std::string hash, prev_hash;  // 64 hex each (SHA-256); the first row received anchors
};

// The action of a row that restarts a kiosk's lost chain (docs/center-api.md, "Restarting a lost
// chain"); the kiosk's offline-cache names the same string (kAuditChainRestarted).
inline constexpr const char* kAuditChainRestartedAction = "audit.chain_restarted";

struct AuditBatch {
  std::string terminal;
  std::vector<AuditRow> rows;
};

struct AuditAccepted {
  int64_t accepted_through = 0;
};

MK_CENTER_API_JSON(AuditRow)
MK_CENTER_API_JSON(AuditBatch)
MK_CENTER_API_JSON(AuditAccepted)
}  // namespace mk::center::api
