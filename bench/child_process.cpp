#include "bench/child_process.hpp"

#include <cstdlib>
#include <filesystem>
#include <sstream>

extern char** environ;

namespace mk::bench {

namespace fs = std::filesystem;

std::string find_in_path(const std::string& name) {
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): one thread
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
  }
  return {};
}

std::vector<std::string> environment_with_display(const std::string& display) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "DISPLAY=", 8) != 0 && std::strncmp(*e, "SDL_VIDEODRIVER=", 16) != 0) {
      env.emplace_back(*e);
    }
  }
  if (!display.empty()) {
    env.push_back("DISPLAY=" + display);
    env.push_back("SDL_VIDEODRIVER=x11");
  }
  return env;
}

}  // namespace mk::bench
