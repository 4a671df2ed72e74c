// mynakiosk: the installed kiosk. It has no simulated world: no centre simulator, no virtual
// cards, no issuer key code (the demo is mynakiosk-demo, kiosk/demo). See README.md for how to
// run it and docs/architecture.md for how it is built.

#include "kiosk/app/kiosk_main.hpp"

int main(int argc, char** argv) {
  const auto parsed = mk::kiosk::parse_command_line(argc, argv);
  return parsed.command ? mk::kiosk::kiosk_main(*parsed.command, argv[0], nullptr)
                        : parsed.exit_code;
}
