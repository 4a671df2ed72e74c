// Layout of every screen with the real font (SDL_ttf + HarfBuzz + Noto Sans CJK JP), checked
// against the numbers of ../shared/accessibility.md: touch target size, contrast, and no text
// that overflows or lacks glyphs.
#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "flows/welcome/welcome_flow.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/ui/font_locator.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/text_renderer.hpp"

namespace mk::kiosk {
namespace {

using flows::Intent;
using flows::Language;
using flows::ViewModel;
using flows::WelcomeFlow;

double luminance(Color c) {
  auto channel = [](uint8_t v) {
    const double s = v / 255.0;
    return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double contrast(Color a, Color b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

class LayoutTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    catalog_ = new Catalog(Catalog::load(std::filesystem::path(MK_SOURCE_DIR) / "assets/texts"));
    text_ = new TextRenderer(find_japanese_font("Noto Sans CJK JP"));
  }
  static void TearDownTestSuite() {
    delete text_;
    delete catalog_;
  }

  // Every view the welcome flow can show, in both languages.
  static std::vector<ViewModel> all_views() {
    std::vector<ViewModel> views;
    for (const auto language : {Language::ja, Language::en}) {
      WelcomeFlow flow(language);
      views.push_back(flow.view());
      flow.handle(Intent::tap("start"));
      views.push_back(flow.view());
      for (const auto& p : flows::procedures()) {
        WelcomeFlow inner(language);
        inner.handle(Intent::tap("start"));
        inner.handle(Intent::tap(p.id));
        views.push_back(inner.view());
      }
    }
    return views;
  }

  Frame layout(const ViewModel& vm, int w = 1920, int h = 1080, double text_scale = 1.0) {
    return layout_screen(vm, *catalog_, *text_, w, h, text_scale);
  }

  static Catalog* catalog_;
  static TextRenderer* text_;
};
Catalog* LayoutTest::catalog_ = nullptr;
TextRenderer* LayoutTest::text_ = nullptr;

TEST_F(LayoutTest, EveryScreenFitsWithoutWarningsAtEverySupportedSizeAndTextScale) {
  struct Case {
    int w, h;
    double scale;
  };
  for (const Case c : {Case{1920, 1080, 1.0}, Case{1920, 1080, 1.3}, Case{1280, 1024, 1.0},
                       Case{1366, 768, 1.0}}) {
    for (const auto& vm : all_views()) {
      const Frame frame = layout(vm, c.w, c.h, c.scale);
      EXPECT_TRUE(frame.warnings.empty()) << vm.screen << " at " << c.w << "x" << c.h << " scale "
                                          << c.scale << ": " << frame.warnings.front();
    }
  }
}

TEST_F(LayoutTest, TouchTargetsAreLargeInsideTheScreenAndDoNotOverlap) {
  // 20 mm on a 24-inch 1920x1080 panel (0.277 mm a pixel) is 72 px; ours are larger.
  constexpr int kMinTarget = 72;
  for (const auto& vm : all_views()) {
    for (const double text_scale : {1.0, 1.3}) {
      const Frame frame = layout(vm, 1920, 1080, text_scale);
      for (size_t i = 0; i < frame.buttons.size(); ++i) {
        const Rect& r = frame.buttons[i].rect;
        EXPECT_GE(r.w, kMinTarget) << vm.screen << " " << frame.buttons[i].action;
        EXPECT_GE(r.h, kMinTarget) << vm.screen << " " << frame.buttons[i].action;
        EXPECT_GE(r.x, 0);
        EXPECT_GE(r.y, 0);
        EXPECT_LE(r.x + r.w, 1920);
        EXPECT_LE(r.y + r.h, 1080);
        for (size_t j = i + 1; j < frame.buttons.size(); ++j) {
          const Rect& o = frame.buttons[j].rect;
          const bool apart =
              r.x + r.w <= o.x || o.x + o.w <= r.x || r.y + r.h <= o.y || o.y + o.h <= r.y;
          EXPECT_TRUE(apart) << vm.screen << ": " << frame.buttons[i].action << " overlaps "
                             << frame.buttons[j].action << " at text scale " << text_scale;
        }
      }
    }
  }
}

TEST_F(LayoutTest, TextContrastIsAtLeastFourAndAHalfToOne) {
  for (const auto& vm : all_views()) {
    const Frame frame = layout(vm);
    for (const auto& label : frame.labels) {
      EXPECT_GE(contrast(label.color, frame.background), 4.5) << vm.screen;
    }
    for (const auto& b : frame.buttons) {
      EXPECT_GE(contrast(b.text, b.fill), 4.5) << vm.screen << " " << b.action;
      EXPECT_GE(contrast(b.border, frame.background), 3.0)
          << vm.screen << " " << b.action << ": the button's edge must be visible";
    }
  }
}

TEST_F(LayoutTest, ATouchOnAButtonGivesItsActionAndElsewhereOnAttractStarts) {
  const Frame frame = layout(WelcomeFlow(Language::ja).view());
  const Button* english = frame.button("lang_en");
  ASSERT_NE(english, nullptr);
  EXPECT_EQ(frame.hit(english->rect.center_x(), english->rect.center_y()), "lang_en");
  const Button* japanese = frame.button("lang_ja");
  ASSERT_NE(japanese, nullptr);
  EXPECT_TRUE(japanese->selected);
  EXPECT_EQ(frame.hit(japanese->rect.center_x(), japanese->rect.center_y()), std::nullopt)
      << "the language in use does nothing, and does not start either";
  EXPECT_EQ(frame.hit(5, 5), "start");
}

TEST_F(LayoutTest, MenuButtonsAreInReadingOrder) {
  WelcomeFlow flow(Language::ja);
  flow.handle(Intent::tap("start"));
  const Frame frame = layout(flow.view());
  const auto& list = flows::procedures();
  for (size_t i = 1; i < list.size(); ++i) {
    const Button* previous = frame.button(list[i - 1].id);
    const Button* current = frame.button(list[i].id);
    ASSERT_NE(previous, nullptr);
    ASSERT_NE(current, nullptr);
    const Rect a = previous->rect;
    const Rect b = current->rect;
    EXPECT_TRUE(b.y > a.y || (b.y == a.y && b.x > a.x)) << list[i].id;
  }
}

TEST_F(LayoutTest, JapaneseWrapsByKinsokuWithTheRealFont) {
  // The attract subtitle at a narrow width, every width from 300 to 900 px.
  const std::string text = catalog_->text(Language::ja, {"attract.subtitle", {}}) +
                           catalog_->text(Language::ja, {"unavailable.body", {}});
  const std::u32string no_start = U"。、）」ーっゃゅょッャュョ";
  for (int width = 300; width <= 900; width += 7) {
    Frame frame;
    const ViewModel vm = WelcomeFlow(Language::ja).view();
    const LayoutContext ctx{vm, *catalog_, *text_, 1920, 1080, 1.0, 1.0};
    const Label label = ctx.label(text, 0, 0, width, 42, false, Color{}, Align::left, frame);
    ASSERT_GT(label.lines.size(), 1U);
    for (size_t i = 1; i < label.lines.size(); ++i) {
      const std::string& line = label.lines[i];
      for (const char32_t c : no_start) {
        // Compare the first code point of the line, UTF-8 encoded (all are 3 bytes here).
        std::string encoded;
        encoded += static_cast<char>(0xE0 | (c >> 12));
        encoded += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        encoded += static_cast<char>(0x80 | (c & 0x3F));
        EXPECT_NE(line.rfind(encoded, 0), 0U) << "width " << width << " line " << i << ": " << line;
      }
      EXPECT_LE(text_->width(line, 42, false), width);
    }
  }
}

TEST_F(LayoutTest, AMissingGlyphIsReported) {
  // U+1F600 (an emoji) is not in Noto Sans CJK: the layout must say so, not draw a box.
  EXPECT_NE(text_->missing_glyphs("はじめる😀", 40, false), "");
  EXPECT_EQ(text_->missing_glyphs("はじめる、マイナ免許証。", 40, false), "");
}

TEST_F(LayoutTest, AnUnknownScreenStillLaysOutAndWarns) {
  ViewModel vm;
  vm.screen = "no_such_screen";
  vm.texts["title"] = {"menu.title", {}};
  vm.actions.push_back({"back", {"common.back", {}}, flows::ActionStyle::back, true});
  const Frame frame = layout(vm);
  EXPECT_FALSE(frame.warnings.empty());
  EXPECT_NE(frame.button("back"), nullptr);
}

}  // namespace
}  // namespace mk::kiosk
