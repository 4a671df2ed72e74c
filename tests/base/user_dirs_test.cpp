// Where MynaKiosk keeps its folders when nothing is configured (base/user_dirs.hpp).
#include "base/user_dirs.hpp"

#include <map>

#include <gtest/gtest.h>

namespace mk::base {
namespace {

Environment env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) {
    const auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  };
}

TEST(UserDirs, TheXdgVariableElseTheHomeFolderElseTmp) {
  EXPECT_EQ(user_dir(UserDir::cache, env_of({{"XDG_CACHE_HOME", "/c"}, {"HOME", "/h"}})), "/c");
  EXPECT_EQ(user_dir(UserDir::cache, env_of({{"HOME", "/h"}})), "/h/.cache");
  EXPECT_EQ(user_dir(UserDir::state, env_of({{"XDG_STATE_HOME", "/s"}})), "/s");
  EXPECT_EQ(user_dir(UserDir::state, env_of({{"HOME", "/h"}})), "/h/.local/state");
  EXPECT_EQ(user_dir(UserDir::state, env_of({})), "/tmp/.local/state");
  EXPECT_EQ(user_dir(UserDir::config, env_of({{"XDG_CONFIG_HOME", "/o"}})), "/o");
  EXPECT_EQ(user_dir(UserDir::config, env_of({{"HOME", "/h"}})), "/h/.config");
}

TEST(UserDirs, AnOverrideVariableWins) {
  const auto env = env_of({{"HOME", "/h"}, {"MK_X", "/x"}});
  EXPECT_EQ(mynakiosk_dir(UserDir::cache, "sim-pki", "MK_Y", env), "/h/.cache/mynakiosk/sim-pki");
  EXPECT_EQ(mynakiosk_dir(UserDir::cache, "sim-pki", "MK_X", env), "/x");
}

}  // namespace
}  // namespace mk::base
