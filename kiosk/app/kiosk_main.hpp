#pragma once

// The kiosk program: the command line, the configuration, the store, the centre link, the cards
// and the UI loop (README.md, "The kiosk executable"). Two executables run it: the installed
// `mynakiosk`, without a simulated world, and the demo `mynakiosk-demo` (kiosk/demo), which
// brings virtual cards and the centre simulator for the embedded default.

#include "kiosk/app/simulated_world.hpp"

namespace mk::kiosk {

// Returns the process's exit code. `simulated_world` is empty in the installed build.
int kiosk_main(int argc, char** argv, const SimulatedWorldFactory& simulated_world);

}  // namespace mk::kiosk
