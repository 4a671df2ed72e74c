#include "kiosk/app/simulated_world.hpp"

#include <chrono>

namespace mk::kiosk {

flows::CivilDate today_in_japan() {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours(9);
  return flows::from_days(std::chrono::floor<std::chrono::days>(now));
}

std::optional<std::string> pin_simulated_day(Config& config,
                                             const std::function<std::string(const char*)>& env) {
  const bool simulated =
      config.center.mode == CenterMode::simulator || config.cards.mode == CardsMode::virtual_cards;
  if (!simulated || !config.simulation.today.empty()) {
    return std::nullopt;
  }
  const std::string day = env(kPinnedDayVariable);
  if (day.empty()) {
    return std::nullopt;
  }
  if (!flows::parse_iso_date(day)) {
    return std::string(kPinnedDayVariable) + "=\"" + day + "\" is not a day (YYYY-MM-DD)";
  }
  config.simulation.today = day;
  return std::nullopt;
}

bool wants_simulated_world(const Config& config) {
  return config.cards.mode == CardsMode::virtual_cards ||
         config.center.mode == CenterMode::simulator;
}

flows::CivilDate flows_today(const Config& config) {
  if (const auto d = flows::parse_iso_date(config.simulation.today)) {
    return *d;
  }
  return today_in_japan();
}

}  // namespace mk::kiosk
