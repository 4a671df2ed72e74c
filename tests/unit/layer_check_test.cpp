// The layer check (cmake/check_layers.cmake) must refuse a wrong-way include: run it on a small
// tree made here, once clean and once with each kind of violation.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::quote;
using mk::test::run_process;

class LayerCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("layers-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    for (const char* layer : {"flows", "devices", "kiosk"}) {
      fs::create_directories(root_ / layer);
    }
    write("flows/rules.hpp", "#include <string>\n#include \"flows/other.hpp\"\n");
    write("devices/reader.cpp", "#include \"flows/rules.hpp\"\n#include <PCSC/winscard.h>\n");
    write("kiosk/app.cpp", "#include \"devices/reader.hpp\"\n#include \"flows/rules.hpp\"\n");
    // The same rules the build uses (see flows/CMakeLists.txt for the flows FORBID list).
    std::ofstream(root_ / "rules.cmake")
        << "set(MK_ALL_LAYERS \"flows;devices;center;offline-cache;kiosk\")\n"
        << "set(MK_CHECKED_LAYERS \"flows;devices;kiosk\")\n"
        << "set(MK_USES_flows \"\")\n"
        << "set(MK_FORBID_flows \"#[ \t]*include[ \t]*<(SDL|PCSC|curl|sqlite3);_clock::now\")\n"
        << "set(MK_USES_devices \"flows\")\nset(MK_FORBID_devices \"\")\n"
        << "set(MK_USES_kiosk \"flows;devices;center;offline-cache\")\nset(MK_FORBID_kiosk \"\")\n";
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& file, const std::string& text) {
    std::ofstream(root_ / file) << text;
  }
  mk::test::ProcessResult check() {
    return run_process("cmake -DRULES=" + quote((root_ / "rules.cmake").string()) +
                       " -DROOT=" + quote(root_.string()) + " -P " +
                       quote(std::string(MK_SOURCE_DIR) + "/cmake/check_layers.cmake"));
  }

  fs::path root_;
};

TEST_F(LayerCheck, ACleanTreePasses) {
  const auto result = check();
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST_F(LayerCheck, FlowsIncludingAnAdapterIsRefused) {
  write("flows/bad.cpp", "#include \"devices/reader.hpp\"\n");
  const auto result = check();
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.output,
              testing::HasSubstr("flows/bad.cpp:1: flows/ may not include devices/"));
}

TEST_F(LayerCheck, AdaptersMayNotIncludeEachOtherOrTheApp) {
  write("devices/bad.cpp", "#include <vector>\n  #include \"kiosk/app.hpp\"\n");
  const auto result = check();
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.output,
              testing::HasSubstr("devices/bad.cpp:2: devices/ may not include kiosk/"));
}

// A subfolder registered as its own layer (center/sim, the centre simulator, may use the
// virtual cards' test world) follows its own rules; the rest of its parent keeps the parent's.
TEST_F(LayerCheck, ASubfolderLayerHasItsOwnRules) {
  fs::create_directories(root_ / "center" / "sim");
  fs::create_directories(root_ / "center" / "client");
  write("center/sim/server.cpp", "#include \"devices/sim/pki.hpp\"\n");
  std::ofstream(root_ / "rules.cmake", std::ios::app)
      << "set(MK_CHECKED_LAYERS \"flows;devices;kiosk;center;center/sim\")\n"
      << "set(MK_USES_center \"flows\")\nset(MK_FORBID_center \"\")\n"
      << "set(MK_USES_center_sim \"flows;center;devices\")\nset(MK_FORBID_center_sim \"\")\n";
  auto result = check();
  EXPECT_EQ(result.exit_code, 0) << result.output;

  write("center/client/bad.cpp", "#include \"devices/sim/pki.hpp\"\n");
  result = check();
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.output,
              testing::HasSubstr("center/client/bad.cpp:1: center/ may not include devices/"));
  EXPECT_THAT(result.output, testing::Not(testing::HasSubstr("center/sim/server.cpp")));
}

// base/ is below every layer: any layer may use it, and it may use none.
TEST_F(LayerCheck, EveryLayerMayUseBaseAndBaseUsesNone) {
  fs::create_directories(root_ / "base");
  write("base/hex.hpp", "#include <string>\n");
  write("devices/card.cpp", "#include \"base/hex.hpp\"\n");
  std::ofstream(root_ / "rules.cmake", std::ios::app)
      << "set(MK_ALL_LAYERS \"base;flows;devices;center;offline-cache;kiosk\")\n"
      << "set(MK_CHECKED_LAYERS \"base;flows;devices;kiosk\")\n"
      << "set(MK_USES_base \"\")\nset(MK_FORBID_base \"\")\n"
      << "set(MK_USES_devices \"base;flows\")\n";
  auto result = check();
  EXPECT_EQ(result.exit_code, 0) << result.output;

  write("base/bad.hpp", "#include \"flows/rules.hpp\"\n");
  result = check();
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.output, testing::HasSubstr("base/bad.hpp:1: base/ may not include flows/"));
}

TEST_F(LayerCheck, FlowsMayNotIncludeSdlOrReadTheClock) {
  write("flows/sdl.cpp", "#include <SDL.h>\n");
  write("flows/clock.cpp", "auto t = std::chrono::steady_clock::now();\n");
  const auto result = check();
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.output, testing::HasSubstr("flows/sdl.cpp:1:"));
  EXPECT_THAT(result.output, testing::HasSubstr("flows/clock.cpp:1:"));
}

}  // namespace
