// The kiosk in a real window on a real X server (Xvfb), driven by a script through SDL's event
// queue: the same path a touch takes. Its screenshots are read back from the window.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/ui/image.hpp"
#include "tests/support/golden.hpp"
#include "tests/support/processes.hpp"
#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::quote;
using mk::test::run_process;
using mk::test::Xvfb;

TEST(WindowOnXvfb, ScriptDrivesTheRealWindowAndScreenshotsComeFromIt) {
  Xvfb x;
  ASSERT_TRUE(x.ready()) << "Xvfb did not start (package xvfb)";
  const fs::path dir = fs::path(testing::TempDir()) / "window-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "s.script") << "expect screen attract\ntap lang_en\ntap start\n"
                                     "expect screen menu\ntap read_back\n"
                                     "expect screen read_back.place_card\n";
  const auto r =
      run_process("DISPLAY=" + x.display() + " SDL_VIDEODRIVER=x11 " + quote(MK_KIOSK_EXE) +
                  " --strict --script " + quote((dir / "s.script").string()) + " --screenshots " +
                  quote((dir / "shots").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir / "shots")) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, testing::ElementsAre("001-attract.png", "002-attract.png", "003-menu.png",
                                          "004-read_back.place_card.png"));
  // The window's pixels are the same screen as the offscreen golden (another renderer may
  // blend glyph edges differently; the golden tolerance covers that).
  EXPECT_TRUE(
      mk::test::matches_golden("attract-ja", mk::kiosk::read_png(dir / "shots/001-attract.png")));
  EXPECT_TRUE(mk::test::matches_golden("menu-en", mk::kiosk::read_png(dir / "shots/003-menu.png")));
  fs::remove_all(dir);
}

}  // namespace
