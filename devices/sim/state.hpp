#pragma once

// The persistent state of one virtual card: tries left per PIN, the 免許AP record state, whether
// the issuer installed or deleted the 免許AP, and the files and PINs the issuer wrote. One JSON
// file per card, written atomically (temp file, fsync, rename), so a blocked PIN stays blocked
// across restarts. A missing file means a fresh card.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace mk::devices::sim {

struct CardState {
  std::string card;     // "mynumber" | "dl"
  std::string fixture;  // the person's id
  std::map<std::string, int> pin_tries;
  std::optional<uint8_t> record_state;
  std::map<std::string, std::string> files;  // "AIDHEX/FID" -> content hex (written files)
  std::string license_ap_instance;           // "" as the fixture says, "installed" or "deleted"
  std::map<std::string, std::string> pin_values;  // PIN id -> value set by the issuer
  // Which of the person's My Number cards this is: 1 the first, 2 the one the municipality issued
  // after it was lost (R-LOST) — its own JPKI keys and certificates, so its own identity.
  int card_serial = 1;
};

// nullopt when the file does not exist; throws std::runtime_error on a malformed file.
std::optional<CardState> load_state(const std::filesystem::path& file);
void save_state(const std::filesystem::path& file, const CardState& state);

}  // namespace mk::devices::sim
