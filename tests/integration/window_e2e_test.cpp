// A person at the real window: the kiosk runs as it does at a licence centre (its own window on
// an X server, its main loop, SDL's event queue), on a private pcscd; the test moves the mouse
// and presses keys with xdotool, places the card by starting a virtual card beside it, and finds
// the buttons from the kiosk's frame map (--frame-map), never from the pixels.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/processes.hpp"
#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::ChildProcess;
using mk::test::run_process;
using mk::test::Xvfb;
using namespace std::chrono_literals;

class RealWindow : public ::testing::Test {
 protected:
  void SetUp() override {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): the test reads its environment on one thread
    if (std::getenv("MK_PCSCD_PID") == nullptr) {
      GTEST_SKIP() << "runs under tests/support/pcsc_namespace.sh (ctest does that)";
    }
    ASSERT_TRUE(x_.ready()) << "Xvfb did not start (package xvfb)";
    ASSERT_EQ(run_process("command -v xdotool").exit_code, 0) << "xdotool (installer/deps.sh test)";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    kiosk_.emplace(std::vector<std::string>{MK_KIOSK_EXE, "--frame-map", map_.string()},
                   std::vector<std::string>{"DISPLAY=" + x_.display(), "SDL_VIDEODRIVER=x11",
                                            "SDL_AUDIODRIVER=dummy"});
  }
  void TearDown() override {
    cards_.clear();
    kiosk_.reset();
  }

  // The frame map once it shows `screen` (the kiosk drew it), within `limit`.
  std::optional<nlohmann::json> await(const std::string& screen,
                                      std::chrono::milliseconds limit = 20s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      std::ifstream in(map_);
      const auto map = nlohmann::json::parse(in, nullptr, false);
      if (!map.is_discarded() && map.value("screen", "") == screen) {
        return map;
      }
      std::this_thread::sleep_for(50ms);
    }
    std::ifstream in(map_);
    const auto last = nlohmann::json::parse(in, nullptr, false);
    ADD_FAILURE() << "waited for screen " << screen << ", shown: "
                  << (last.is_discarded() ? std::string("(no frame map)") : last.dump());
    return std::nullopt;
  }

  // A click (the mouse pressed and released) in the middle of the button with this action.
  void click(const nlohmann::json& map, const std::string& action) {
    for (const auto& b : map["buttons"]) {
      if (b["action"] == action) {
        ASSERT_TRUE(b["enabled"].get<bool>()) << action << " is not enabled";
        const int x = b["x"].get<int>() + b["w"].get<int>() / 2;
        const int y = b["y"].get<int>() + b["h"].get<int>() / 2;
        xdotool("mousemove --sync " + std::to_string(x) + " " + std::to_string(y) + " click 1");
        return;
      }
    }
    FAIL() << "no button " << action << " on " << map.dump();
  }

  void xdotool(const std::string& args) {
    const auto r = run_process("DISPLAY=" + x_.display() + " xdotool " + args);
    ASSERT_EQ(r.exit_code, 0) << args << ": " << r.output;
  }

  // A virtual card ("mynumber", "dl") of a fixture person on its reader, until taken.
  void place(const std::string& card, const std::string& person) {
    cards_[card] = std::make_unique<ChildProcess>(
        std::vector<std::string>{
            MK_SIM_EXE, "--card", card, "--fixture",
            std::string(MK_SOURCE_DIR) + "/devices/sim/fixtures/" + person + ".toml", "--state",
            (dir_ / (person + "-" + card + ".json")).string(), "--port",
            card == "mynumber" ? "35963" : "35964", "--today", MK_TEST_TODAY},
        std::vector<std::string>{});
  }
  void take(const std::string& card) { cards_.erase(card); }

  Xvfb x_;
  const fs::path dir_ = fs::path(testing::TempDir()) / "window-e2e";
  const fs::path map_ = dir_ / "frame-map.json";
  std::optional<ChildProcess> kiosk_;
  std::map<std::string, std::unique_ptr<ChildProcess>> cards_;
};

TEST_F(RealWindow, APersonReadsBackTheirLicenceWithTheMouseAndTypesThePinOnTheKeyboard) {
  auto map = await("attract");
  ASSERT_TRUE(map);
  click(*map, "start");
  ASSERT_TRUE(map = await("menu"));
  click(*map, "read_back");
  ASSERT_TRUE(map = await("read_back.place_card"));
  place("mynumber", "yamada-taro");
  ASSERT_TRUE(map = await("read_back.enter_pin"));
  // The keyboard types on the PIN pad; a wrong digit is taken back with backspace.
  xdotool("key 4 3 9 BackSpace 2 1 Return");
  ASSERT_TRUE(map = await("read_back.showing"));
  click(*map, "done");
  ASSERT_TRUE(await("session.take_cards"));
  take("mynumber");
  ASSERT_TRUE(await("menu", 30s));
  EXPECT_TRUE(kiosk_->running()) << "the kiosk is still up";
}

// The licence recorded onto a My Number card (Myna-only holding), every PIN typed on the
// keyboard, every choice clicked: the issuer's session relayed to the card through the window's
// own main loop.
TEST_F(RealWindow, APersonRecordsTheirLicenceOntoTheirCardThroughTheWindow) {
  auto map = await("attract");
  ASSERT_TRUE(map);
  click(*map, "start");
  ASSERT_TRUE(map = await("menu"));
  click(*map, "record");
  ASSERT_TRUE(map = await("record.choose_form"));
  click(*map, "form_myna_only");
  ASSERT_TRUE(map = await("record.place_dl"));
  place("dl", "suzuki-hanako");
  ASSERT_TRUE(map = await("record.dl_pin"));
  xdotool("key 3 3 3 3 Return");
  ASSERT_TRUE(map = await("record.place_mynumber"));
  place("mynumber", "suzuki-hanako");
  ASSERT_TRUE(map = await("record.basic4_pin"));
  xdotool("key 5 6 7 8 Return");
  ASSERT_TRUE(map = await("record.confirm_record"));
  click(*map, "confirm");
  ASSERT_TRUE(map = await("record.new_pin"));
  xdotool("key 4 8 2 1 Return");
  ASSERT_TRUE(map = await("record.confirm_pin"));
  xdotool("key 4 8 2 1 Return");
  ASSERT_TRUE(map = await("record.done", 60s));
  click(*map, "done");
  ASSERT_TRUE(await("session.take_cards"));
  take("dl");
  take("mynumber");
  ASSERT_TRUE(map = await("menu", 30s));
  // The card placed again and read back with the new licence PIN: the licence is on it.
  click(*map, "read_back");
  ASSERT_TRUE(await("read_back.place_card"));
  place("mynumber", "suzuki-hanako");
  ASSERT_TRUE(await("read_back.enter_pin"));
  xdotool("key 4 8 2 1 Return");
  ASSERT_TRUE(map = await("read_back.showing"));
  click(*map, "done");
  ASSERT_TRUE(await("session.take_cards"));
  take("mynumber");
  ASSERT_TRUE(await("menu", 30s));
  EXPECT_TRUE(kiosk_->running());
}

}  // namespace
