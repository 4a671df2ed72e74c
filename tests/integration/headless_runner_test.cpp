// The mynakiosk executable in headless script mode: what every later UI test and the run
// command's no-display mode rely on.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kiosk/ui/image.hpp"
#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::quote;
using mk::test::run_process;
using ::testing::HasSubstr;

class HeadlessRunner : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::path(testing::TempDir()) /
        ("headless-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  mk::test::ProcessResult kiosk(const std::string& script, const std::string& extra = "") {
    std::ofstream(dir_ / "test.script") << script;
    return run_process(quote(MK_KIOSK_EXE) + " --headless --strict --script " +
                       quote((dir_ / "test.script").string()) + " --screenshots " +
                       quote((dir_ / "shots").string()) + " " + extra);
  }
  std::vector<std::string> shots() const {
    std::vector<std::string> names;
    if (fs::exists(dir_ / "shots")) {
      for (const auto& e : fs::directory_iterator(dir_ / "shots")) {
        names.push_back(e.path().filename().string());
      }
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

TEST_F(HeadlessRunner, WritesOnePngPerScreenShownInOrder) {
  const auto r =
      kiosk("tap start\nexpect screen menu\ntap read_back\nexpect screen read_back.place_card\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(shots(), testing::ElementsAre("001-attract.png", "002-menu.png",
                                            "003-read_back.place_card.png"));
  const mk::kiosk::Image first = mk::kiosk::read_png(dir_ / "shots/001-attract.png");
  EXPECT_EQ(first.width, 1920);
  EXPECT_EQ(first.height, 1080);
  EXPECT_THAT(r.output, HasSubstr("3 screenshot(s) written to"));
}

TEST_F(HeadlessRunner, AStepThatChangesNothingWritesNoNewPng) {
  const auto r = kiosk(
      "tap lang_en\ntap lang_ja\nwait 1s\ntap 300 300\nexpect screen menu\n"
      "tap 1900 500\nexpect screen menu\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // attract(ja), attract(en), attract(ja) again — a new frame each — then menu; the tap on
  // empty menu space changes nothing.
  EXPECT_THAT(shots(), testing::ElementsAre("001-attract.png", "002-attract.png", "003-attract.png",
                                            "004-menu.png"));
  EXPECT_EQ(mk::kiosk::read_png(dir_ / "shots/001-attract.png").fingerprint(),
            mk::kiosk::read_png(dir_ / "shots/003-attract.png").fingerprint());
}

TEST_F(HeadlessRunner, FailedExpectationExitsThreeAndNamesTheLine) {
  const auto r = kiosk("tap start\nexpect screen attract\n");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.output, HasSubstr("line 2: expected screen \"attract\", shown \"menu\""));
}

TEST_F(HeadlessRunner, TappingAMissingOrDisabledButtonFails) {
  auto r = kiosk("tap record\n");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.output, HasSubstr("no enabled button \"record\" on screen \"attract\""));
  r = kiosk("tap lang_ja\n");  // the language already in use
  EXPECT_EQ(r.exit_code, 3);
}

TEST_F(HeadlessRunner, IdleTimeoutRunsOnVirtualTime) {
  // 90 s of idle and the 30 s warning take no real time: the virtual clock moves.
  const auto r = kiosk(
      "tap start\nwait 89s\nexpect screen menu\nwait 2s\nexpect screen session.idle_warning\n"
      "wait 30s\nexpect screen attract\n");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(HeadlessRunner, EscapeCancelsTheSession) {
  const auto r = kiosk(
      "tap lang_en\ntap start\nkey escape\nexpect screen attract\n"
      "screenshot after-cancel\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir_ / "shots/after-cancel.png"));
}

TEST_F(HeadlessRunner, ABadScriptIsRefusedBeforeAnythingRuns) {
  const auto r = kiosk("tap start\nfly away\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("test.script:2: unknown step"));
  EXPECT_TRUE(shots().empty());
}

TEST_F(HeadlessRunner, ABadConfigIsRefusedWithTheKeyAndReason) {
  std::ofstream(dir_ / "bad.toml") << "[display]\nwidth = 12\n[kiosk]\nterminal_id = \"a b\"\n";
  const auto r = kiosk("", "--config " + quote((dir_ / "bad.toml").string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("display.width: must be a whole number from 640 to 7680"));
  EXPECT_THAT(r.output, HasSubstr("kiosk.terminal_id: must be"));
}

TEST_F(HeadlessRunner, TheConfiguredSizeAndLanguageAreUsed) {
  std::ofstream(dir_ / "small.toml") << "[display]\nwidth = 1280\nheight = 1024\n"
                                        "[kiosk]\ndefault_language = \"en\"\n";
  const auto r = kiosk("tap lang_ja\n", "--config " + quote((dir_ / "small.toml").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const mk::kiosk::Image first = mk::kiosk::read_png(dir_ / "shots/001-attract.png");
  EXPECT_EQ(first.width, 1280);
  EXPECT_EQ(first.height, 1024);
}

TEST_F(HeadlessRunner, CheckConfigValidatesAndExits) {
  std::ofstream(dir_ / "ok.toml") << "[session]\nidle_timeout_s = 60\n";
  const auto ok = run_process(quote(MK_KIOSK_EXE) + " --check-config --config " +
                              quote((dir_ / "ok.toml").string()));
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_THAT(ok.output, HasSubstr("ok"));
}

TEST_F(HeadlessRunner, WithoutAJapaneseFontTheKioskRefusesToStartAndSaysWhatToInstall) {
  // A fontconfig that sees only Latin fonts (DejaVu where installed), or none at all.
  fs::create_directories(dir_ / "fc-cache");
  std::ofstream(dir_ / "fonts.conf")
      << "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n"
      << "<dir>/usr/share/fonts/truetype/dejavu</dir>\n<cachedir>" << (dir_ / "fc-cache").string()
      << "</cachedir>\n</fontconfig>\n";
  const auto refused = run_process("FONTCONFIG_FILE=" + quote((dir_ / "fonts.conf").string()) +
                                   " " + quote(MK_KIOSK_EXE) + " --headless --screenshots " +
                                   quote((dir_ / "shots").string()));
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_THAT(refused.output, HasSubstr("fonts-noto-cjk"));
  EXPECT_TRUE(shots().empty()) << "nothing may be drawn without a Japanese font";
}

TEST_F(HeadlessRunner, AWindowWithoutAReachableDisplayIsRefusedNotRunInvisibly) {
  const auto r = run_process("env -u SDL_VIDEODRIVER -u WAYLAND_DISPLAY DISPLAY=:9999 " +
                             quote(MK_KIOSK_EXE) + " --exit-after-first-frame");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("no display can be reached"));
}

}  // namespace
