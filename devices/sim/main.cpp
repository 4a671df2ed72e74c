// mynacard-sim: one virtual card (My Number card or conventional IC driver's license) attached to
// pcscd's vpcd driver. The same options as `mynacard sim`; see docs/virtual-cards.md.
#include <CLI/CLI.hpp>

#include "devices/sim/runner.hpp"
#include "devices/sim/sim_cli.hpp"

int main(int argc, char** argv) {
  mk::devices::sim::SimOptions options;
  mk::devices::sim::SimCliFlags flags;
  CLI::App app{"Virtual My Number / driver's license card for pcscd's vpcd reader"};
  mk::devices::sim::add_sim_options(app, options, flags);
  CLI11_PARSE(app, argc, argv);
  mk::devices::sim::finish_sim_options(options, flags);
  options.stop = mk::devices::sim::stop_on_signals();
  return mk::devices::sim::run_virtual_card(options);
}
