#include "kiosk/app/frame_map.hpp"

#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace mk::kiosk {

void write_frame_map(const std::filesystem::path& file, const Frame& frame, uint64_t sequence,
                     int width, int height) {
  nlohmann::json buttons = nlohmann::json::array();
  for (const auto& b : frame.buttons) {
    buttons.push_back({{"action", b.action},
                       {"x", b.rect.x},
                       {"y", b.rect.y},
                       {"w", b.rect.w},
                       {"h", b.rect.h},
                       {"enabled", b.enabled}});
  }
  const nlohmann::json map = {{"screen", frame.screen},
                              {"sequence", sequence},
                              {"width", width},
                              {"height", height},
                              {"buttons", buttons}};
  std::filesystem::path partial = file;
  partial += ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    out << map.dump() << "\n";
    if (!out) {
      throw std::runtime_error("cannot write the frame map " + partial.string());
    }
  }
  std::filesystem::rename(partial, file);
}

}  // namespace mk::kiosk
