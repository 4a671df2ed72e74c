#include "kiosk/app/assets.hpp"

#include <stdexcept>
#include <vector>

namespace mk::kiosk {

std::filesystem::path find_assets_dir(const std::string& configured,
                                      const std::filesystem::path& executable) {
  std::vector<std::filesystem::path> candidates;
  if (!configured.empty()) {
    candidates.emplace_back(configured);
  } else {
    std::error_code ec;
    const auto exe = std::filesystem::canonical(executable, ec);
    if (!ec) {
      candidates.push_back(exe.parent_path().parent_path() / "share" / "mynakiosk");
    }
    candidates.emplace_back(MK_SOURCE_ASSETS_DIR);
  }
  std::string looked;
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (std::filesystem::exists(dir / "texts" / "ja.toml", ec)) {
      return dir;
    }
    looked += (looked.empty() ? "" : ", ") + dir.string();
  }
  throw std::runtime_error("no assets folder (texts/ja.toml) found; looked in: " + looked);
}

}  // namespace mk::kiosk
