// Every scenario in tests/scenarios/*.script (with <name>.toml as its configuration when there is
// one), and the shipped demo, played by the real kiosk
// executable (headless, --strict: a missing text or an overflowing label fails) with virtual cards
// on a private pcscd (tests/support/pcsc_namespace.sh). Screenshots go to the build folder.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::quote;
using mk::test::run_process;

std::vector<fs::path> scripts() {
  std::vector<fs::path> all = {fs::path(MK_SOURCE_DIR) / "assets/scripts/demo.script"};
  for (const auto& e : fs::directory_iterator(fs::path(MK_SOURCE_DIR) / "tests/scenarios")) {
    if (e.path().extension() == ".script") {
      all.push_back(e.path());
    }
  }
  std::sort(all.begin(), all.end());
  return all;
}

class Scenario : public ::testing::TestWithParam<fs::path> {};

TEST_P(Scenario, PlaysThrough) {
  if (std::getenv("MK_PCSCD_PID") == nullptr) {
    GTEST_SKIP() << "runs under tests/support/pcsc_namespace.sh (ctest does that)";
  }
  const fs::path shots = fs::path(MK_BINARY_DIR) / "scenario-screens" / GetParam().stem();
  fs::remove_all(shots);
  // A scenario may bring its own configuration: <name>.toml beside <name>.script.
  fs::path config = GetParam();
  config.replace_extension(".toml");
  const std::string config_arg =
      fs::exists(config) ? " --config " + quote(config.string()) : std::string();
  const std::string command = quote(MK_KIOSK_EXE) + " --headless --strict" + config_arg +
                              " --script " + quote(GetParam().string()) + " --screenshots " +
                              quote(shots.string());
  auto r = run_process(command);
  if (r.exit_code != 0) {
    // Played once more, the first failure printed: on a loaded machine (the sanitizer build
    // beside the sweeps) a scenario has been seen to fail once, cause not yet known (stop 8 note:
    // suspected pcscd powering the card off between two relay connections). A scenario that
    // fails twice fails the test.
    std::cout << "scenario " << GetParam().stem() << " failed once; playing it again:\n"
              << r.output << "\n";
    r = run_process(command);
  }
  EXPECT_EQ(r.exit_code, 0) << r.output;
  // Every scenario runs on a pinned day (its own [simulation] today, or the suite's
  // MK_SIMULATION_TODAY): on the real clock the fixtures' fixed dates age it into other cases.
  EXPECT_NE(r.output.find("the simulated world's day: "), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("(today in Japan)"), std::string::npos)
      << GetParam().stem() << " ran on the real clock, not a pinned day";
}

INSTANTIATE_TEST_SUITE_P(Scripts, Scenario, ::testing::ValuesIn(scripts()),
                         [](const ::testing::TestParamInfo<fs::path>& param) {
                           std::string name = param.param.stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) {
                               c = '_';
                             }
                           }
                           return name;
                         });

}  // namespace
