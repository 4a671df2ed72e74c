#include "kiosk/app/simulated_world.hpp"

#include <chrono>

namespace mk::kiosk {

flows::CivilDate today_in_japan() {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours(9);
  return flows::from_days(std::chrono::floor<std::chrono::days>(now));
}

flows::CivilDate flows_today(const Config& config) {
  if (const auto d = flows::parse_iso_date(config.simulation.today)) {
    return *d;
  }
  return today_in_japan();
}

}  // namespace mk::kiosk
