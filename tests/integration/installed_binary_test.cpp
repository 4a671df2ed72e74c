// Issue 15, hardening: the installed kiosk holds no issuer secret and no simulator. The
// `mynakiosk` binary has no symbol of the centre simulator, the virtual cards, SCP03 or the issuer
// master keys, and links none of the simulator's libraries; started without a configuration it
// refuses to run the simulated world. The demo binary has them all (so the checks can fail).
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/run_process.hpp"

namespace {

using mk::test::quote;
using mk::test::run_process;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSimulatorSymbols =
    "CenterSimulator|Scp03Host|MasterKeys|LicenseWritePlan|derive_card_keys|VirtualCardDesk|"
    "devices::sim::|httplib::";

std::string simulator_symbols(const std::string& exe) {
  return run_process("nm -C " + quote(exe) + " | grep -E '" + kSimulatorSymbols + "' | head -5")
      .output;
}

std::string linked(const std::string& exe) {
  return run_process("ldd " + quote(exe)).output;
}

TEST(InstalledBinary, HasNoSimulatorVirtualCardOrIssuerKeyCode) {
  EXPECT_EQ(simulator_symbols(MK_INSTALLED_KIOSK_EXE), "");
  EXPECT_THAT(linked(MK_INSTALLED_KIOSK_EXE), Not(HasSubstr("httplib")));
  EXPECT_NE(simulator_symbols(MK_KIOSK_EXE), "") << "the demo build has the simulated world";
  EXPECT_THAT(linked(MK_KIOSK_EXE), HasSubstr("httplib"));
}

TEST(InstalledBinary, NeverRunsTheSimulatedWorld) {
  // An empty configuration: every default, which is the simulated world.
  const std::string empty = ::testing::TempDir() + "/installed-binary-empty.toml";
  std::ofstream(empty).flush();
  const auto r = run_process(quote(MK_INSTALLED_KIOSK_EXE) +
                             " --headless --exit-after-first-frame --config " + quote(empty));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("mynakiosk-demo"));
}

}  // namespace
