#pragma once

// Issuer sessions (docs/issuer-channel.md): the request that starts one, and its phases — what the
// kiosk sends plainly, the wrapped commands the centre hands over, the card's answers and the
// centre's verdict.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/secret_bytes.hpp"
#include "center/api/holders.hpp"
#include "center/api/wire_codec.hpp"

namespace mk::center::api {

// "record", "delete", "reset_pin", "rewrite" (a renewal: new data on the same card, PIN kept)
enum class IssuerOperation { record, erase, reset_pin, rewrite };
enum class PhaseName { isd, license_ap };

struct IssuerSessionRequest {
  IssuerOperation operation = IssuerOperation::record;
  std::string holder_ref;
  bool resume = false;  // the card's 免許AP is in state 01: skip the ISD phase
  // record only: the holding form once the record is complete (both, or myna_only when the
  // conventional licence is handed back). The centre applies it when the session finishes, so the
  // card and the centre cannot disagree whatever happens to the kiosk in between.
  std::optional<HoldingForm> holding_form;
  // record only: the holder's licence is recorded on another card, which was lost and replaced
  // (R-LOST); without it, a record for a holder already recorded is refused.
  bool replace_card = false;
  // The card the session writes (HolderLookupRequest::card_id). A record remembers it; every other
  // operation is refused on a card that no longer holds the record (R-LOST).
  std::string card_id;
  // 4 ASCII digits for record and reset_pin, absent for delete. Wiped when the request dies.
  std::optional<base::SecretBytes> new_pin;
};

// What the kiosk sends plainly before a phase: SELECT <aid>, then INITIALIZE UPDATE.
struct PhaseStart {
  PhaseName phase = PhaseName::isd;
  Bytes aid;                // hex
  Bytes host_challenge;     // hex, 8 bytes
  Bytes select;             // the SELECT APDU, hex
  Bytes initialize_update;  // the INITIALIZE UPDATE APDU, hex
};

struct IssuerSession {
  std::string session_id;
  IssuerOperation operation = IssuerOperation::record;
  PhaseStart next;
};

struct PhaseOpenRequest {
  Bytes init_update_answer;  // 29 bytes + 9000, or the 29 bytes alone
};

struct PhaseCommands {
  PhaseName phase = PhaseName::isd;
  std::vector<Bytes> commands;  // wrapped APDUs, in order
};

struct PhaseAnswersRequest {
  std::vector<Bytes> answers;  // each with SW1 SW2
};

struct PhaseVerdict {
  bool complete = false;
  uint64_t accepted = 0;
  uint16_t status = 0;             // "9000"-style 4 hex digits on the wire; 0 = none
  std::optional<PhaseStart> next;  // the next phase, when complete and one is left
  bool done = false;               // the operation finished (complete and no phase left)
};

std::string_view to_string(IssuerOperation v);
std::string_view to_string(PhaseName v);

MK_CENTER_API_JSON(IssuerSessionRequest)
MK_CENTER_API_JSON(PhaseStart)
MK_CENTER_API_JSON(IssuerSession)
MK_CENTER_API_JSON(PhaseOpenRequest)
MK_CENTER_API_JSON(PhaseCommands)
MK_CENTER_API_JSON(PhaseAnswersRequest)
MK_CENTER_API_JSON(PhaseVerdict)
}  // namespace mk::center::api
