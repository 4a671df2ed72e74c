#include "kiosk/demo/virtual_cards.hpp"

#include <fmt/format.h>

#include "devices/sim/state.hpp"
#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

namespace {

struct Slot {
  const char* reader;
  int port;
};

std::optional<Slot> slot_of(const std::string& kind) {
  if (kind == "mynumber") {
    return Slot{"Virtual PCD 00 00", 35963};
  }
  if (kind == "dl") {
    return Slot{"Virtual PCD 00 01", 35964};
  }
  return std::nullopt;
}

}  // namespace

VirtualCardDesk::VirtualCardDesk(std::filesystem::path fixtures, std::filesystem::path state_dir,
                                 std::optional<devices::sim::Date> today)
    : fixtures_(std::move(fixtures)), state_dir_(std::move(state_dir)), today_(today) {
  std::filesystem::create_directories(state_dir_);
}

std::filesystem::path VirtualCardDesk::find_fixtures(const std::filesystem::path& assets_dir) {
  for (const auto& candidate :
       {assets_dir / "fixtures", assets_dir.parent_path() / "devices" / "sim" / "fixtures"}) {
    if (std::filesystem::is_directory(candidate)) {
      return candidate;
    }
  }
  return assets_dir / "fixtures";
}

std::optional<std::string> VirtualCardDesk::place(const std::string& kind,
                                                  const std::string& person, bool replacement,
                                                  int pull_at_apdu) {
  const auto slot = slot_of(kind);
  if (!slot) {
    return "no reader for a \"" + kind + "\" card";
  }
  // A replacement: the card the city office issued after the person's was lost — the same
  // person, a card of its own (its own state) that starts without a 免許AP.
  if (replacement && kind != "mynumber") {
    return std::string("only a My Number card is replaced");
  }
  const auto fixture = fixtures_ / (person + ".toml");
  if (!std::filesystem::exists(fixture)) {
    return "no fixture person \"" + person + "\" in " + fixtures_.string();
  }
  if (on_reader_.count(kind) != 0) {
    if (auto error = remove(kind)) {
      return error;
    }
  } else if (!devices::sim::wait_for_reader(slot->reader, false, std::chrono::seconds(10))) {
    // pcscd may still show a card another process left there (it notices at its next poll):
    // a new card placed before that would look like the same card to it, and no insertion
    // would ever be reported.
    return std::string("the ") + kind + " reader still reports an earlier card";
  }
  devices::sim::SimOptions o;
  o.card = kind;
  o.fixture = fixture;
  o.port = slot->port;
  o.today = today_;
  o.faults.remove_at_apdu = pull_at_apdu;
  o.state_file = state_dir_ / (person + "-" + kind + (replacement ? "-replacement" : "") + ".json");
  if (replacement && !std::filesystem::exists(o.state_file)) {
    devices::sim::CardState fresh;
    fresh.card = kind;
    fresh.fixture = person;
    fresh.license_ap_instance = "deleted";
    fresh.card_serial = 2;  // a new card: new JPKI keys, a new identity
    devices::sim::save_state(o.state_file, fresh);
  }
  on_reader_[kind] = std::make_unique<devices::sim::BackgroundCard>(o);
  if (!devices::sim::wait_for_reader(slot->reader, true, std::chrono::seconds(10))) {
    on_reader_.erase(kind);
    return std::string("the virtual ") + kind +
           " card did not appear on its reader (is pcscd with vpcd running?)";
  }
  logger("cards")->info(
      "virtual {} card of {} placed{}{}", kind, person, replacement ? " (a replacement card)" : "",
      pull_at_apdu > 0 ? fmt::format(", to be pulled at APDU {}", pull_at_apdu) : std::string());
  return std::nullopt;
}

std::optional<std::string> VirtualCardDesk::remove(const std::string& kind) {
  const auto slot = slot_of(kind);
  if (!slot) {
    return "no reader for a \"" + kind + "\" card";
  }
  on_reader_.erase(kind);
  // pcscd notices at its next poll; wait, so the next step sees the reader empty.
  if (!devices::sim::wait_for_reader(slot->reader, false, std::chrono::seconds(10))) {
    return std::string("the ") + kind + " reader still reports a card";
  }
  logger("cards")->info("virtual {} card removed", kind);
  return std::nullopt;
}

}  // namespace mk::kiosk
