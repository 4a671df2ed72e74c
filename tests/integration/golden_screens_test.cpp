// Golden images of the screens, drawn offscreen with SDL's software renderer (pixel-stable) and
// compared with tests/golden/*.png within a tolerance (see tests/support/golden.hpp).
#include <optional>

#include <gtest/gtest.h>
#include <unistd.h>

#include "flows/welcome/welcome_flow.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/font_locator.hpp"
#include "kiosk/ui/image.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "tests/support/golden.hpp"

namespace mk::kiosk {
namespace {

namespace fs = std::filesystem;
using flows::Intent;
using flows::Language;
using flows::WelcomeFlow;

struct GoldenCase {
  std::string name;
  Language language;
  std::vector<std::string> taps;  // from the attract screen
  Look look;
};

// Lays out `vm` as the App shows every screen of a person's (with the text size and colours and
// the call-staff buttons) on a 21.5" full-HD panel, draws it offscreen and compares it with the
// golden `name` (window_xvfb_test compares the real window with some of the same goldens).
// Given `beneath`, `vm` is a dialog over it (and `beneath` has the buttons instead).
void expect_golden(const std::string& name, flows::ViewModel vm, const Look& look,
                   std::optional<flows::ViewModel> beneath = std::nullopt) {
  const Catalog catalog = Catalog::load(fs::path(MK_SOURCE_DIR) / "assets/texts");
  TextRenderer text(find_japanese_font("Noto Sans CJK JP"));
  auto& actions = (beneath ? *beneath : vm).actions;
  actions.push_back({"look", {"look.open", {}}, flows::ActionStyle::tool, true, {}});
  actions.push_back({"call_staff", {"staff_call.button", {}}, flows::ActionStyle::tool, true, {}});
  const Frame frame = layout_view(vm, beneath ? &*beneath : nullptr, catalog, text,
                                  Theme::for_panel(1920, 1080, 21.5, look), 1920, 1080);
  ASSERT_TRUE(frame.warnings.empty()) << frame.warnings.front();
  auto canvas = Canvas::offscreen(1920, 1080);
  canvas->draw(frame, text);
  EXPECT_TRUE(test::matches_golden(name, canvas->read_pixels()));
}

class GoldenScreens : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenScreens, MatchesTheGoldenImage) {
  const GoldenCase& c = GetParam();
  WelcomeFlow flow(c.language);
  for (const auto& tap : c.taps) {
    ASSERT_TRUE(flow.handle(Intent::tap(tap))) << tap;
  }
  expect_golden(c.name, flow.view(), c.look);
}

// The widgets no welcome screen has, each in a view as a flow or the App builds it.
struct WidgetCase {
  std::string name;
  Look look;
  flows::ViewModel (*view)();
  flows::ViewModel (*beneath)() = nullptr;  // the screen a dialog is open over
};

flows::ViewModel signing_pin_pad() {
  flows::ViewModel vm;
  vm.screen = "widget.signing_pin";
  vm.kind = flows::ScreenKind::pin_entry;
  vm.texts["title"] = {"read_back.enter_pin.title", {}};
  vm.texts["body"] = {"read_back.enter_pin.body", {}};
  vm.actions.push_back({"cancel", {"common.cancel", {}}, flows::ActionStyle::back, true, {}});
  vm.pin_pad = flows::PinPadView{.submit_action = "pin",
                                 .min_length = 6,
                                 .max_length = 16,
                                 .alphanumeric = true,
                                 .entered = 7};
  return vm;
}

flows::ViewModel link_as_qr_code() {
  flows::ViewModel vm;
  vm.screen = "widget.qr_code";
  vm.language = Language::en;
  vm.kind = flows::ScreenKind::result;
  vm.texts["title"] = {"read_back.no_record.title", {}};
  vm.texts["body"] = {"read_back.no_record.body", {}};
  vm.actions.push_back({"done", {"common.done", {}}, flows::ActionStyle::primary, true, {}});
  vm.qr_code = "https://myna.go.jp/";
  return vm;
}

flows::ViewModel idle_warning_countdown() {  // as App::view() builds it
  flows::ViewModel vm;
  vm.screen = "session.idle_warning";
  vm.texts["title"] = {"session.idle_warning.title", {}};
  vm.texts["body"] = {"session.idle_warning.body", {{"seconds", "12"}}};
  vm.actions.push_back(
      {"more_time", {"session.more_time", {}}, flows::ActionStyle::primary, true, {}});
  vm.meter = flows::MeterView{12, 30, {}};
  return vm;
}

class GoldenWidgets : public ::testing::TestWithParam<WidgetCase> {};

TEST_P(GoldenWidgets, MatchesTheGoldenImage) {
  const WidgetCase& c = GetParam();
  expect_golden(c.name, c.view(), c.look,
                c.beneath != nullptr ? std::optional(c.beneath()) : std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(
    Widgets, GoldenWidgets,
    ::testing::Values(WidgetCase{"widget-signing-pin-ja", {}, signing_pin_pad},
                      WidgetCase{"widget-qr-code-en", {}, link_as_qr_code},
                      WidgetCase{"widget-countdown-ja-high-contrast",
                                 {1.0, Contrast::high},
                                 idle_warning_countdown},
                      WidgetCase{"widget-dialog-ja", {}, idle_warning_countdown, signing_pin_pad}),
    [](const auto& param_info) {
      std::string name = param_info.param.name;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

// A folder of this process's own: two runs on one machine (a build's tests beside another's, an
// update of the goldens) must not see each other's files.
fs::path own_temp_dir(const std::string& name) {
  fs::path dir = fs::path(testing::TempDir()) / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(GoldenCheck, AMissingGoldenFailsAndIsNotCreated) {
  const fs::path dir = own_temp_dir("no-goldens");
  const Image image{4, 4, std::vector<uint8_t>(64, 200)};
  const auto result = test::matches_golden("nothing-here", image, dir);
  EXPECT_FALSE(result);
  EXPECT_FALSE(fs::exists(dir / "nothing-here.png"));
  fs::remove_all(dir);
}

TEST(GoldenCheck, AChangedFrameFailsAndASlightlyDifferentOnePasses) {
  const fs::path dir = own_temp_dir("goldens");
  Image image{100, 100, std::vector<uint8_t>(size_t{100} * 100 * 4, 200)};
  write_png(dir / "square.png", image);
  Image slight = image;
  slight.rgba[0] = 190;  // below the channel tolerance
  EXPECT_TRUE(test::matches_golden("square", slight, dir));
  Image changed = image;
  for (size_t i = 0; i < 400; ++i) {
    changed.rgba[i] = 0;  // 100 pixels, 1 % of the frame
  }
  EXPECT_FALSE(test::matches_golden("square", changed, dir));
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(
    Screens, GoldenScreens,
    ::testing::Values(
        GoldenCase{"attract-ja", Language::ja, {}, {}},
        GoldenCase{"attract-en", Language::en, {}, {}},
        GoldenCase{"menu-ja", Language::ja, {"start"}, {}},
        GoldenCase{"menu-en", Language::en, {"start"}, {}},
        GoldenCase{"attract-ja-large-high-contrast", Language::ja, {}, {2.0, Contrast::high}},
        GoldenCase{"menu-ja-large", Language::ja, {"start"}, {2.0, {}}},
        GoldenCase{"menu-en-high-contrast", Language::en, {"start"}, {1.0, Contrast::high}}),
    [](const auto& param_info) {
      std::string name = param_info.param.name;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

}  // namespace
}  // namespace mk::kiosk
