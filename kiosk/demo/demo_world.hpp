#pragma once

// The simulated world of the demo build: the virtual card desk (devices/sim) and the centre
// simulator (center/sim) with the test TLS world, in this process. What the world keeps (the
// cards' state, the centre's database) goes to [simulation] dir, kept between runs, or to a
// folder of this run, removed when it ends.

#include "kiosk/app/simulated_world.hpp"

namespace mk::kiosk {

std::unique_ptr<SimulatedWorld> start_demo_world(const Config& config,
                                                 const std::filesystem::path& assets);

}  // namespace mk::kiosk
