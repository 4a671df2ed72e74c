#include "base/user_dirs.hpp"

#include <cstdlib>

namespace mk::base {

std::string process_environment(const char* name) {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start, before any thread; nobody calls setenv
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::filesystem::path user_dir(UserDir which, const Environment& env) {
  struct Place {
    const char* variable;
    const char* under_home;
  };
  const Place place = which == UserDir::cache   ? Place{"XDG_CACHE_HOME", ".cache"}
                      : which == UserDir::state ? Place{"XDG_STATE_HOME", ".local/state"}
                                                : Place{"XDG_CONFIG_HOME", ".config"};
  if (const std::string set = env(place.variable); !set.empty()) {
    return set;
  }
  const std::string home = env("HOME");
  return std::filesystem::path(home.empty() ? "/tmp" : home) / place.under_home;
}

std::filesystem::path mynakiosk_dir(UserDir which, std::string_view name,
                                    const char* override_variable, const Environment& env) {
  if (const std::string set = env(override_variable); !set.empty()) {
    return set;
  }
  return user_dir(which, env) / "mynakiosk" / name;
}

}  // namespace mk::base
