#pragma once

#include <filesystem>
#include <string>

namespace mk::kiosk {

// The assets folder (texts, images, sounds): the configured one, else the installed one beside
// the executable (../share/mynakiosk), else the source tree's (a developer build). Throws
// std::runtime_error listing where it looked.
std::filesystem::path find_assets_dir(const std::string& configured,
                                      const std::filesystem::path& executable);

}  // namespace mk::kiosk
