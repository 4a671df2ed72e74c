#pragma once

// The embedded default's simulated world, which only the demo build has (kiosk/demo,
// `mynakiosk-demo`): virtual cards on the vpcd readers and the centre simulator — which also
// plays the issuer — on loopback. The installed `mynakiosk` is built without it, so it holds no
// simulator, no virtual card and no issuer key code (tests/integration/installed_binary_test).

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "center/client/center_link_config.hpp"
#include "flows/rules/calendar.hpp"
#include "kiosk/app/runners.hpp"
#include "kiosk/config/config.hpp"

namespace mk::kiosk {

class SimulatedWorld {
 public:
  virtual ~SimulatedWorld() = default;
  // The licence authority CA the virtual cards' records are signed by (virtual cards only).
  virtual std::optional<std::filesystem::path> license_ca() const = 0;
  // How to reach the simulated centre (the centre simulator only).
  virtual std::optional<center::client::CenterLinkConfig> center_link() const = 0;
  // A script's `card place` / `card remove` steps (virtual cards only).
  virtual ScriptDevices script_devices() = 0;
  // The demo's camera when the configuration names none: the fixture people's frames (an
  // appointment's QR code, sato-ichiro's face), so that the PIN unlock can be shown end to end.
  virtual std::optional<std::filesystem::path> camera_images() const = 0;
};

// True when `config` asks for virtual cards or the centre simulator (the embedded default).
bool wants_simulated_world(const Config& config);

// Starts what `config` asks of the simulated world ([cards] mode virtual, [center] mode
// simulator, [simulation]); `assets` locates the fixture people. Throws std::runtime_error.
using SimulatedWorldFactory = std::function<std::unique_ptr<SimulatedWorld>(
    const Config& config, const std::filesystem::path& assets)>;

// Today in Japan (Asia/Tokyo: UTC+9 all year), for the rules that count days; [simulation] today
// when set.
flows::CivilDate today_in_japan();
flows::CivilDate flows_today(const Config& config);

// The environment variable that pins the simulated world's day when the configuration does not
// ([simulation] today wins): the test suite sets it for every test, so that no test ages with
// the calendar (the fixtures' dates are fixed).
inline constexpr const char* kPinnedDayVariable = "MK_SIMULATION_TODAY";

// Applies kPinnedDayVariable (read through `env`) to a configuration that runs a simulated world
// (the built-in centre or virtual cards) and names no day. Returns an error for a value that is not
// a day of the calendar.
std::optional<std::string> pin_simulated_day(Config& config,
                                             const std::function<std::string(const char*)>& env);

}  // namespace mk::kiosk
