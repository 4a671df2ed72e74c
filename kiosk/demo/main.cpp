// mynakiosk-demo: the kiosk on its embedded default — virtual cards of the fixture people and the
// centre simulator on loopback, playing the issuer — for the demo (installer/run.sh) and the
// tests. Never installed as the service (installer/, tests/integration/installed_binary_test).

#include "kiosk/app/kiosk_main.hpp"
#include "kiosk/demo/demo_world.hpp"

int main(int argc, char** argv) {
  const auto parsed = mk::kiosk::parse_command_line(argc, argv);
  return parsed.command
             ? mk::kiosk::kiosk_main(*parsed.command, argv[0], mk::kiosk::start_demo_world)
             : parsed.exit_code;
}
