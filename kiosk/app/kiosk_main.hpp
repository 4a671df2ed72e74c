#pragma once

// The kiosk program: the configuration, the one-shot commands and the UI loop over the kiosk's
// parts (README.md, "The kiosk executable"). Two executables run it: the installed
// `mynakiosk`, without a simulated world, and the demo `mynakiosk-demo` (kiosk/demo), which
// brings virtual cards and the centre simulator for the embedded default.

#include "kiosk/app/command_line.hpp"
#include "kiosk/app/simulated_world.hpp"

namespace mk::kiosk {

// Runs what the command line asks (a check, a re-key, or the kiosk with its UI on the parts
// kiosk/app/bootstrap starts) and returns the process's exit code (kiosk/app/exit_codes.hpp).
// `program` is argv[0] (the assets are found beside it); `simulated_world` is empty in the
// installed build.
int kiosk_main(const CommandLine& command, const char* program,
               const SimulatedWorldFactory& simulated_world);

}  // namespace mk::kiosk
