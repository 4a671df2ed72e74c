#pragma once

// The embedded default's card desk: virtual cards of the fixture people (devices/sim), placed on
// and taken off the two vpcd readers by a script's `card` steps. Each person's
// card keeps its state (PIN tries, what was written) in a folder for the whole run, as a real
// card would between placements.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "devices/sim/background_card.hpp"

namespace mk::kiosk {

class VirtualCardDesk {
 public:
  // `fixtures`: the folder of <person>.toml; `state_dir`: where the cards' states are kept;
  // `today`: the simulated world's pinned day, which the cards follow (else today in Japan).
  VirtualCardDesk(std::filesystem::path fixtures, std::filesystem::path state_dir,
                  std::optional<devices::sim::Date> today);

  // kind "mynumber" (reader "Virtual PCD 00 00") or "dl" ("Virtual PCD 00 01"). Placing a card
  // on an occupied reader takes the old one off first. `replacement`: the My Number card that
  // replaced the person's lost one; `pull_at_apdu` > 0: the person pulls it off as that command
  // APDU arrives (it stays off). Returns an error message, or nullopt.
  std::optional<std::string> place(const std::string& kind, const std::string& person,
                                   bool replacement = false, int pull_at_apdu = 0);
  std::optional<std::string> remove(const std::string& kind);

  // The folder of fixtures next to the assets (installed) or in the source tree.
  static std::filesystem::path find_fixtures(const std::filesystem::path& assets_dir);

 private:
  std::filesystem::path fixtures_;
  std::filesystem::path state_dir_;
  std::optional<devices::sim::Date> today_;
  std::map<std::string, std::unique_ptr<devices::sim::BackgroundCard>> on_reader_;
};

}  // namespace mk::kiosk
