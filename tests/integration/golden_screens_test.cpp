// Golden images of the screens, drawn offscreen with SDL's software renderer (pixel-stable) and
// compared with tests/golden/*.png within a tolerance (see tests/support/golden.hpp).
#include <gtest/gtest.h>

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

class GoldenScreens : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenScreens, MatchesTheGoldenImage) {
  const GoldenCase& c = GetParam();
  const Catalog catalog = Catalog::load(fs::path(MK_SOURCE_DIR) / "assets/texts");
  TextRenderer text(find_japanese_font("Noto Sans CJK JP"));
  WelcomeFlow flow(c.language);
  for (const auto& tap : c.taps) {
    ASSERT_TRUE(flow.handle(Intent::tap(tap))) << tap;
  }
  flows::ViewModel vm = flow.view();
  // As the App shows every screen: with the text size and colours button.
  vm.actions.push_back({"look", {"look.open", {}}, flows::ActionStyle::tool, true});
  const Frame frame =
      layout_screen(vm, catalog, text, Theme::for_panel(1920, 1080, 21.5, c.look), 1920, 1080);
  ASSERT_TRUE(frame.warnings.empty()) << frame.warnings.front();
  auto canvas = Canvas::offscreen(1920, 1080);
  canvas->draw(frame, text);

  EXPECT_TRUE(test::matches_golden(c.name, canvas->read_pixels()));
}

TEST(GoldenCheck, AMissingGoldenFailsAndIsNotCreated) {
  const fs::path dir = fs::path(testing::TempDir()) / "no-goldens";
  fs::create_directories(dir);
  const Image image{4, 4, std::vector<uint8_t>(64, 200)};
  const auto result = test::matches_golden("nothing-here", image, dir);
  EXPECT_FALSE(result);
  EXPECT_FALSE(fs::exists(dir / "nothing-here.png"));
}

TEST(GoldenCheck, AChangedFrameFailsAndASlightlyDifferentOnePasses) {
  const fs::path dir = fs::path(testing::TempDir()) / "goldens";
  fs::create_directories(dir);
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
