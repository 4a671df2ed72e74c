#pragma once

#include <CLI/CLI.hpp>

#include "devices/sim/runner.hpp"

namespace mk::devices::sim {

// The virtual card's command-line options, shared by `mynacard sim` and `mynacard-sim`.
// Call finish_sim_options() after parsing.
struct SimCliFlags {
  bool nagle = false;
  bool no_quickack = false;
  std::string today;  // --today YYYY-MM-DD
};
void add_sim_options(CLI::App& app, SimOptions& options, SimCliFlags& flags);
void finish_sim_options(SimOptions& options, const SimCliFlags& flags);

// Installs SIGTERM/SIGINT handlers that set the returned flag (for options.stop).
const std::atomic<bool>* stop_on_signals();

}  // namespace mk::devices::sim
