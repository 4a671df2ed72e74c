#pragma once

// The one place that knows where a user's cache and state live (the XDG base directory
// specification), and so where MynaKiosk keeps its folders there when nothing is configured.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace mk::base {

// Reads an environment variable ("" when unset); tests pass their own.
using Environment = std::function<std::string(const char* name)>;
// The process's environment. Read it at start, before threads (getenv is not thread-safe with
// setenv, which nobody here calls).
std::string process_environment(const char* name);

enum class UserDir {
  cache,   // $XDG_CACHE_HOME, else ~/.cache: what can be made again (test keys, the test TLS world)
  state,   // $XDG_STATE_HOME, else ~/.local/state: what must survive a restart (the store)
  config,  // $XDG_CONFIG_HOME, else ~/.config: what an operator sets (a user's store key)
};
// The folder itself; without $HOME, under /tmp.
std::filesystem::path user_dir(UserDir which, const Environment& env = process_environment);

// MynaKiosk's folder `name` there (<user dir>/mynakiosk/<name>), unless `override_variable` is
// set: then that.
std::filesystem::path mynakiosk_dir(UserDir which, std::string_view name,
                                    const char* override_variable,
                                    const Environment& env = process_environment);

}  // namespace mk::base
