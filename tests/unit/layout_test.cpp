// Layout of every screen with the real font (SDL_ttf + HarfBuzz + Noto Sans CJK JP), checked
// against the numbers of ../shared/accessibility.md: touch target size, contrast, and no text
// that overflows or lacks glyphs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <tuple>

#include <gtest/gtest.h>

#include "devices/sim/encoding.hpp"
#include "flows/welcome/welcome_flow.hpp"
#include "kiosk/app/app.hpp"
#include "kiosk/app/input.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/ui/font_locator.hpp"
#include "kiosk/ui/frame_check.hpp"
#include "kiosk/ui/qr_code.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/text_renderer.hpp"

namespace mk::kiosk {
namespace {

using flows::Intent;
using flows::Language;
using flows::ViewModel;
using flows::WelcomeFlow;

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
    for (auto& vm : views) {  // as the App shows them: with the text size and colours button
      vm.actions.push_back({"look", {"look.open", {}}, flows::ActionStyle::tool, true, {}});
    }
    return views;
  }

  Frame layout(const ViewModel& vm, const Theme& theme, int w = 1920, int h = 1080) {
    return layout_screen(vm, *catalog_, *text_, theme, w, h);
  }
  Frame layout(const ViewModel& vm) { return layout(vm, Theme::for_panel(1920, 1080, 21.5, {})); }
  // The layout's own warnings and the frame checks' problems together.
  static std::vector<std::string> problems_of(const ViewModel& vm, const Frame& frame,
                                              const Theme& theme, int w, int h) {
    auto problems = frame.warnings;
    const auto checked = check_frame(vm, frame, theme, w, h);
    problems.insert(problems.end(), checked.begin(), checked.end());
    return problems;
  }

  static Catalog* catalog_;
  static TextRenderer* text_;
};
Catalog* LayoutTest::catalog_ = nullptr;
TextRenderer* LayoutTest::text_ = nullptr;

// The panels a kiosk may have: layout size in pixels and diagonal in inches.
struct Panel {
  int w, h;
  double inches;
};
constexpr Panel kPanels[] = {{1920, 1080, 15.6}, {1920, 1080, 21.5}, {1920, 1080, 23.8},
                             {1366, 768, 15.6},  {1280, 1024, 19.0}, {3840, 2160, 27.0}};

TEST_F(LayoutTest, EveryScreenPassesTheFrameChecksOnEveryPanelInEveryLook) {
  for (const Panel panel : kPanels) {
    for (const double scale : {1.0, 1.5, 2.0}) {
      for (const Contrast contrast : {Contrast::standard, Contrast::high}) {
        const Theme theme = Theme::for_panel(panel.w, panel.h, panel.inches, {scale, contrast});
        for (const auto& vm : all_views()) {
          const Frame frame = layout(vm, theme, panel.w, panel.h);
          const auto problems = problems_of(vm, frame, theme, panel.w, panel.h);
          EXPECT_TRUE(problems.empty())
              << vm.screen << " at " << panel.w << "x" << panel.h << " on " << panel.inches
              << "\", text scale " << scale << ": " << problems.front();
        }
      }
    }
  }
}

TEST_F(LayoutTest, ATargetHasTheSameSizeInMillimetresOnEveryPanel) {
  std::vector<double> widths_mm;
  for (const Panel panel : kPanels) {
    const Theme theme = Theme::for_panel(panel.w, panel.h, panel.inches, {});
    WelcomeFlow flow(Language::ja);
    flow.handle(Intent::tap("start"));
    const Frame frame = layout(flow.view(), theme, panel.w, panel.h);
    const Button* back = frame.button("back");
    ASSERT_NE(back, nullptr);
    widths_mm.push_back(back->rect.h / theme.px_per_mm());
    EXPECT_GE(back->rect.h / theme.px_per_mm(), mm::kMinTarget - 0.5);
  }
  for (const double h : widths_mm) {
    EXPECT_NEAR(h, widths_mm.front(), 0.5) << "the back button's height in mm differs by panel";
  }
}

TEST_F(LayoutTest, EveryPaletteColourOfTextIsAtLeastSevenToOneOnWhatItIsDrawnOn) {
  for (const Contrast contrast : {Contrast::standard, Contrast::high}) {
    const Theme theme(4.0, {1.0, contrast});
    const Palette& p = theme.colors();
    EXPECT_GE(contrast_ratio(p.text, p.background), 7.0);
    EXPECT_GE(contrast_ratio(p.text_muted, p.background), 7.0);
    EXPECT_GE(contrast_ratio(p.problem, p.background), 7.0);
    EXPECT_GE(contrast_ratio(p.on_primary, p.primary), 7.0);
    EXPECT_GE(contrast_ratio(p.on_secondary, p.secondary), 7.0);
    EXPECT_GE(contrast_ratio(p.border, p.background), 3.0) << "a button's edge must be visible";
  }
}

TEST_F(LayoutTest, TheFrameChecksFindWhatTheyLookFor) {
  const Theme theme = Theme::for_panel(1920, 1080, 21.5, {});
  WelcomeFlow flow(Language::ja);
  flow.handle(Intent::tap("start"));
  const ViewModel vm = flow.view();
  Frame frame = layout(vm, theme);
  ASSERT_TRUE(check_frame(vm, frame, theme, 1920, 1080).empty());
  Frame small = frame;
  small.buttons.front().rect.h = theme.mm(15);
  EXPECT_FALSE(check_frame(vm, small, theme, 1920, 1080).empty()) << "a 15 mm target";
  Frame on_top = frame;
  on_top.labels.front().box = on_top.buttons.front().rect;
  EXPECT_FALSE(check_frame(vm, on_top, theme, 1920, 1080).empty()) << "text under a button";
  Frame off = frame;
  off.buttons.front().move_by(1900, 0);
  EXPECT_FALSE(check_frame(vm, off, theme, 1920, 1080).empty()) << "a button off the screen";
  // Back moved to the right of the primary action of a screen that has one.
  ViewModel confirm;
  confirm.screen = "test.confirm";
  confirm.texts["title"] = {"menu.title", {}};
  confirm.actions.push_back({"back", {"common.back", {}}, flows::ActionStyle::back, true, {}});
  confirm.actions.push_back({"go", {"common.done", {}}, flows::ActionStyle::primary, true, {}});
  Frame swapped = layout(confirm, theme);
  ASSERT_TRUE(check_frame(confirm, swapped, theme, 1920, 1080).empty());
  std::swap(swapped.buttons[0].rect, swapped.buttons[1].rect);
  EXPECT_FALSE(check_frame(confirm, swapped, theme, 1920, 1080).empty()) << "back on the right";
}

TEST_F(LayoutTest, BackIsLeftAndThePrimaryActionRightWhateverTheViewsOrder) {
  ViewModel vm;
  vm.screen = "test.order";
  vm.texts["title"] = {"menu.title", {}};
  vm.actions.push_back({"go", {"common.done", {}}, flows::ActionStyle::primary, true, {}});
  vm.actions.push_back({"other", {"common.retry", {}}, flows::ActionStyle::secondary, true, {}});
  vm.actions.push_back({"cancel", {"common.cancel", {}}, flows::ActionStyle::back, true, {}});
  const Frame frame = layout(vm);
  ASSERT_NE(frame.button("go"), nullptr);
  EXPECT_LT(frame.button("cancel")->rect.x, frame.button("other")->rect.x);
  EXPECT_LT(frame.button("other")->rect.x, frame.button("go")->rect.x);
  EXPECT_GT(frame.button("go")->rect.x + frame.button("go")->rect.w, 1920 * 3 / 4)
      << "the primary action at the right edge";
}

TEST_F(LayoutTest, TextTooLongForOnePageIsSplitIntoPagesWithButtonsToTurnThem) {
  ViewModel vm;
  vm.screen = "test.long";
  vm.texts["title"] = {"menu.title", {}};
  for (int i = 0; i < 30; ++i) {
    vm.details.push_back({"unavailable.body", {}});
  }
  vm.actions.push_back({"back", {"common.back", {}}, flows::ActionStyle::back, true, {}});
  const Theme theme = Theme::for_panel(1920, 1080, 15.6, {2.0, Contrast::standard});
  std::vector<std::string> seen;
  for (int page = 0;; ++page) {
    const Frame frame = layout_screen(vm, *catalog_, *text_, theme, 1920, 1080, page);
    EXPECT_TRUE(check_frame(vm, frame, theme, 1920, 1080).empty()) << "page " << page;
    const Button* next = frame.button(kNextPage);
    const Button* previous = frame.button(kPreviousPage);
    ASSERT_NE(next, nullptr);
    ASSERT_NE(previous, nullptr);
    EXPECT_EQ(previous->enabled, page > 0);
    for (const auto& label : frame.labels) {
      if (label.box.x < next->rect.x) {  // not the page number between the buttons
        seen.insert(seen.end(), label.lines.begin(), label.lines.end());
      }
    }
    if (!next->enabled) {
      break;
    }
    ASSERT_LT(page, 100);
  }
  // Every line of every detail was on some page: count the body's lines as laid out once.
  const Frame tall = layout_screen(vm, *catalog_, *text_, theme, 1920, 20000);
  EXPECT_EQ(tall.button(kNextPage), nullptr) << "all on one page when the screen is tall enough";
  size_t lines = 0;
  for (const auto& label : tall.labels) {
    lines += label.lines.size();
  }
  // The pages are narrower (the buttons take a strip), so they may wrap into more lines.
  EXPECT_GE(seen.size(), lines) << "a line was on no page";
  EXPECT_GT(seen.size(), 30U);
}

TEST_F(LayoutTest, ThePinPadMarksItsKeysByShapeAndShowsOnlyDots) {
  ViewModel vm;
  vm.screen = "test.pin";
  vm.kind = flows::ScreenKind::pin_entry;
  vm.texts["title"] = {"read_back.enter_pin.title", {}};
  vm.actions.push_back({"cancel", {"common.cancel", {}}, flows::ActionStyle::back, true, {}});
  vm.pin_pad =
      flows::PinPadView{.submit_action = "pin", .min_length = 4, .max_length = 4, .entered = 2};
  const Frame frame = layout(vm);
  ASSERT_NE(frame.button("pin_pad:confirm"), nullptr);
  EXPECT_EQ(frame.button("pin_pad:confirm")->label.lines.front(), "○");
  EXPECT_EQ(frame.button("pin_pad:delete")->label.lines.front(), "←");
  EXPECT_EQ(frame.button("cancel")->label.lines.front().rfind("× ", 0), 0U);
  bool dots = false;
  for (const auto& label : frame.labels) {
    dots = dots || (!label.lines.empty() && label.lines.front() == "●●○○");
  }
  EXPECT_TRUE(dots) << "two of four typed, as dots";
  // The telephone layout: 1 2 3 on top, 0 at the bottom in the middle.
  const Rect one = frame.button("pin_pad:1")->rect;
  const Rect three = frame.button("pin_pad:3")->rect;
  const Rect zero = frame.button("pin_pad:0")->rect;
  const Rect two = frame.button("pin_pad:2")->rect;
  EXPECT_EQ(one.y, three.y);
  EXPECT_LT(one.x, three.x);
  EXPECT_EQ(zero.x, two.x);
  EXPECT_GT(zero.y, one.y);
}

// What the pad shows above its keys: the characters typed only on a pad that is not masked (a word
// to search for), dots on a PIN's pad whatever else the view carries.
std::vector<std::string> pad_lines(const Frame& frame) {
  std::vector<std::string> lines;
  for (const auto& label : frame.labels) {
    lines.insert(lines.end(), label.lines.begin(), label.lines.end());
  }
  return lines;
}

bool shows(const Frame& frame, const std::string& line) {
  const auto lines = pad_lines(frame);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST_F(LayoutTest, OnlyAPadThatIsNotMaskedShowsWhatIsTyped) {
  ViewModel vm;
  vm.screen = "test.pin";
  vm.kind = flows::ScreenKind::pin_entry;
  vm.texts["title"] = {"read_back.enter_pin.title", {}};
  vm.pin_pad = flows::PinPadView{
      .submit_action = "pin", .min_length = 4, .max_length = 4, .entered = 4, .typed = "1357"};
  for (const auto& line : pad_lines(layout(vm))) {
    EXPECT_EQ(line.find("1357"), std::string::npos) << "a PIN shown: " << line;
  }
  EXPECT_TRUE(shows(layout(vm), "●●●●"));
  vm.pin_pad = flows::PinPadView{.submit_action = "find",
                                 .min_length = 1,
                                 .max_length = 16,
                                 .alphanumeric = true,
                                 .entered = 2,
                                 .masked = false,
                                 .typed = "IC"};
  EXPECT_TRUE(shows(layout(vm), "IC＿"));
}

// The JPKI signing PIN: 6 to 16 of 0-9 and A-Z (R-OS-PIN-LOCK's PIN), typed on a pad of its own.
ViewModel signing_pin_view(int entered) {
  ViewModel vm;
  vm.screen = "test.signing_pin";
  vm.kind = flows::ScreenKind::pin_entry;
  vm.texts["title"] = {"read_back.enter_pin.title", {}};
  vm.actions.push_back({"cancel", {"common.cancel", {}}, flows::ActionStyle::back, true, {}});
  vm.actions.push_back({"look", {"look.open", {}}, flows::ActionStyle::tool, true, {}});
  vm.pin_pad = flows::PinPadView{.submit_action = "pin",
                                 .min_length = 6,
                                 .max_length = 16,
                                 .alphanumeric = true,
                                 .entered = entered};
  return vm;
}

TEST_F(LayoutTest, TheSigningPinPadHasTheDigitsAndTheAlphabetInReadingOrderAtFullTargetSize) {
  const std::string order = "1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (const Panel panel : kPanels) {
    const Theme theme = Theme::for_panel(panel.w, panel.h, panel.inches, {});
    const Frame frame = layout(signing_pin_view(7), theme, panel.w, panel.h);
    const Button* previous = nullptr;
    for (const char c : order) {
      const Button* key = frame.button(std::string("pin_pad:") + c);
      ASSERT_NE(key, nullptr) << c;
      EXPECT_EQ(key->label.lines.front(), std::string(1, c));
      EXPECT_GE(key->rect.w / theme.px_per_mm(), mm::kMinTarget - 0.5) << c;
      EXPECT_GE(key->rect.h / theme.px_per_mm(), mm::kMinTarget - 0.5) << c;
      if (previous != nullptr) {  // on the same row further right, or on a row further down
        EXPECT_TRUE((key->rect.y == previous->rect.y && key->rect.x > previous->rect.x) ||
                    key->rect.y > previous->rect.y)
            << c << " is not after the key before it";
      }
      previous = key;
    }
    const Button* clear = frame.button("pin_pad:delete");
    const Button* enter = frame.button("pin_pad:confirm");
    ASSERT_NE(clear, nullptr);
    ASSERT_NE(enter, nullptr);
    EXPECT_TRUE(enter->enabled) << "7 typed, 6 needed";
    EXPECT_EQ(clear->rect.y, enter->rect.y);
    EXPECT_LT(clear->rect.x, enter->rect.x) << "enter at the bottom right, as on every screen";
    EXPECT_GE(enter->rect.y, previous->rect.y + previous->rect.h);
  }
  bool shown = false;
  for (const auto& label : layout(signing_pin_view(7)).labels) {
    shown = shown || (!label.lines.empty() && label.lines.front() == "●●●●●●●");
  }
  EXPECT_TRUE(shown) << "seven typed: seven dots, none still needed";
  const Frame short_pin = layout(signing_pin_view(3));
  shown = false;
  for (const auto& label : short_pin.labels) {
    shown = shown || (!label.lines.empty() && label.lines.front() == "●●●○○○");
  }
  EXPECT_TRUE(shown) << "three typed of at least six";
  EXPECT_FALSE(short_pin.button("pin_pad:confirm")->enabled);
  EXPECT_EQ(layout(signing_pin_view(3)).button("pin_pad:A")->action, "pin_pad:A");
}

TEST_F(LayoutTest, TheSigningPinPadPassesTheFrameChecksOnEveryPanelInEveryLook) {
  for (const Panel panel : kPanels) {
    for (const double scale : {1.0, 1.5, 2.0}) {
      for (const Contrast contrast : {Contrast::standard, Contrast::high}) {
        const Theme theme = Theme::for_panel(panel.w, panel.h, panel.inches, {scale, contrast});
        for (const int entered : {0, 16}) {
          const ViewModel vm = signing_pin_view(entered);
          const Frame frame = layout(vm, theme, panel.w, panel.h);
          const auto problems = problems_of(vm, frame, theme, panel.w, panel.h);
          EXPECT_TRUE(problems.empty())
              << panel.w << "x" << panel.h << " on " << panel.inches << "\", text scale " << scale
              << ", " << entered << " typed: " << problems.front();
        }
      }
    }
  }
}

TEST_F(LayoutTest, ALinkIsDrawnAsAQrCodeBesideTheWordsPixelForPixelInEveryLook) {
  ViewModel vm;
  vm.screen = "test.qr";
  vm.kind = flows::ScreenKind::result;
  vm.texts["title"] = {"read_back.enter_pin.title", {}};
  vm.texts["body"] = {"read_back.card_pulled.body", {}};
  vm.actions.push_back({"done", {"common.done", {}}, flows::ActionStyle::primary, true, {}});
  vm.qr_code = "https://myna.go.jp/";
  for (const Panel panel : kPanels) {
    for (const double scale : {1.0, 2.0}) {
      for (const Contrast contrast : {Contrast::standard, Contrast::high}) {
        const Theme theme = Theme::for_panel(panel.w, panel.h, panel.inches, {scale, contrast});
        const Frame frame = layout(vm, theme, panel.w, panel.h);
        ASSERT_EQ(frame.pictures.size(), 1U);
        const Picture& qr = frame.pictures.front();
        EXPECT_EQ(qr.box.w, qr.image.width) << "drawn 1:1: a scaled code blurs its modules";
        EXPECT_EQ(qr.box.h, qr.image.height);
        EXPECT_EQ(qr.image.rgba, qr_code_image(vm.qr_code, qr_side(theme)).rgba)
            << "dark on white whatever the colours";
        EXPECT_GE(qr.box.w / theme.px_per_mm(), 40.0) << "a phone reads it from 20-30 cm";
        const auto problems = problems_of(vm, frame, theme, panel.w, panel.h);
        EXPECT_TRUE(problems.empty()) << panel.w << "x" << panel.h << " on " << panel.inches
                                      << "\", text scale " << scale << ": " << problems.front();
      }
    }
  }
}

TEST_F(LayoutTest, AMeterIsABarFilledAsFarAsItHasComeSeenAgainstItsBackground) {
  ViewModel vm;
  vm.screen = "test.meter";
  vm.kind = flows::ScreenKind::progress;
  vm.texts["title"] = {"read_back.enter_pin.title", {}};
  for (const Panel panel : kPanels) {
    for (const double scale : {1.0, 2.0}) {
      for (const Contrast contrast : {Contrast::standard, Contrast::high}) {
        const Theme theme = Theme::for_panel(panel.w, panel.h, panel.inches, {scale, contrast});
        for (const auto& [value, total, parts] :
             {std::tuple{3, 10, 2U}, std::tuple{0, 10, 1U}, std::tuple{12, 10, 2U}}) {
          vm.meter = flows::MeterView{value, total, {}};
          const Frame frame = layout(vm, theme, panel.w, panel.h);
          ASSERT_EQ(frame.shapes.size(), parts) << value << " of " << total;
          const Shape& track = frame.shapes.front();
          EXPECT_GE(track.rect.h / theme.px_per_mm(), 7.5);
          EXPECT_GE(contrast_ratio(track.border, theme.colors().background), 3.0)
              << "the track is seen (non-text contrast)";
          if (parts == 2) {
            const Shape& done = frame.shapes.back();
            const int inner = track.rect.w - 2 * track.border_px;
            EXPECT_EQ(done.rect.w, inner * std::min(value, total) / total);
            EXPECT_EQ(done.fill, theme.colors().primary);
            EXPECT_GE(contrast_ratio(done.fill, track.fill), 3.0);
          }
          const auto problems = problems_of(vm, frame, theme, panel.w, panel.h);
          EXPECT_TRUE(problems.empty()) << panel.w << "x" << panel.h << " on " << panel.inches
                                        << "\", text scale " << scale << ": " << problems.front();
        }
      }
    }
  }
  vm.meter = flows::MeterView{0, 0, {}};
  EXPECT_TRUE(layout(vm).shapes.empty()) << "nothing to measure, no bar";
}

TEST_F(LayoutTest, TheCardsPhotoIsShownBesideTheDataOrSaidToBeUnreadable) {
  ViewModel vm;
  vm.screen = "test.showing";
  vm.kind = flows::ScreenKind::result;
  vm.texts["title"] = {"read_back.showing.title", {}};
  vm.details.push_back({"read_back.field.number", {{"value", "301234567890"}}});
  vm.actions.push_back({"done", {"common.done", {}}, flows::ActionStyle::primary, true, {}});
  const auto j2k = devices::sim::portrait_j2k(7);
  vm.photo.assign(j2k.begin(), j2k.end());
  const Theme theme = Theme::for_panel(1920, 1080, 21.5, {});
  const Frame frame = layout(vm, theme);
  ASSERT_EQ(frame.pictures.size(), 1U);
  const Picture& photo = frame.pictures.front();
  EXPECT_GT(photo.image.width, 0);
  EXPECT_EQ(photo.image.rgba.size(),
            static_cast<size_t>(photo.image.width) * static_cast<size_t>(photo.image.height) * 4);
  EXPECT_NEAR(photo.box.h / theme.px_per_mm(), 45.0, 1.0) << "shown 45 mm high";
  EXPECT_TRUE(check_frame(vm, frame, theme, 1920, 1080).empty());
  for (const auto& label : frame.labels) {
    EXPECT_LT(label.box.x + label.box.w, photo.box.x) << "the data stay left of the photo";
  }

  vm.photo = {0xFF, 0x4F, 0xFF, 0x51, 0x00};  // the start of a codestream, then nothing
  const Frame broken = layout(vm, theme);
  EXPECT_TRUE(broken.pictures.empty());
  const std::string words = catalog_->text(Language::ja, {"photo.unreadable", {}});
  bool said = false;
  for (const auto& label : broken.labels) {
    said = said || (!label.lines.empty() && words.rfind(label.lines.front(), 0) == 0);
  }
  EXPECT_TRUE(said) << "an unreadable photo is said to be so, in words";
  EXPECT_TRUE(check_frame(vm, broken, theme, 1920, 1080).empty());
}

TEST_F(LayoutTest, PlacingAndTakingACardIsDrawnBesideTheWordsInTheLooksColours) {
  for (const auto illustration :
       {flows::Illustration::place_my_number_card, flows::Illustration::place_driving_licence,
        flows::Illustration::take_cards}) {
    ViewModel vm;
    vm.screen = "read_back.place_card";
    vm.kind = flows::ScreenKind::card_placement;
    vm.illustration = illustration;
    vm.texts["title"] = {"read_back.place_card.title", {}};
    vm.texts["body"] = {"read_back.place_card.body", {}};
    vm.actions.push_back({"cancel", {"common.cancel", {}}, flows::ActionStyle::back, true, {}});
    for (const Panel panel : kPanels) {
      for (const Look look : {Look{}, Look{2.0, Contrast::high}}) {
        const Theme theme = Theme::for_panel(panel.w, panel.h, panel.inches, look);
        const Frame frame = layout(vm, theme, panel.w, panel.h);
        ASSERT_EQ(frame.pictures.size(), 1U) << frame.warnings.size();
        const Picture& drawing = frame.pictures.front();
        if (look.text_scale == 1.0) {
          EXPECT_NEAR(drawing.box.w / theme.px_per_mm(), 110.0, 1.0) << "110 mm on every panel";
        } else {
          EXPECT_GE(drawing.box.w / theme.px_per_mm(), 54.0) << "smaller beside large text";
        }
        EXPECT_EQ(drawing.image.width, drawing.box.w) << "drawn at its size, never scaled";
        auto problems = check_frame(vm, frame, theme, panel.w, panel.h);
        problems.insert(problems.end(), frame.warnings.begin(), frame.warnings.end());
        EXPECT_TRUE(problems.empty()) << panel.w << "x" << panel.h << ": " << problems.front();
        for (const auto& label : frame.labels) {
          if (label.box.y < drawing.box.y + drawing.box.h) {
            EXPECT_LT(label.box.x + label.box.w, drawing.box.x) << "the words stay left of it";
          }
        }
      }
    }
  }
  ViewModel words_only;
  words_only.screen = "record.writing";
  words_only.kind = flows::ScreenKind::progress;
  words_only.texts["title"] = {"record.writing.title", {}};
  EXPECT_TRUE(layout(words_only).pictures.empty());
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
  std::vector<std::string> list;  // what the menu offers, in the procedures' order
  for (const auto& p : flows::procedures()) {
    if (p.offered()) {
      list.push_back(p.id);
    }
  }
  ASSERT_GE(list.size(), 2U);
  for (size_t i = 1; i < list.size(); ++i) {
    const Button* previous = frame.button(list[i - 1]);
    const Button* current = frame.button(list[i]);
    ASSERT_NE(previous, nullptr);
    ASSERT_NE(current, nullptr);
    const Rect a = previous->rect;
    const Rect b = current->rect;
    EXPECT_TRUE(b.y > a.y || (b.y == a.y && b.x > a.x)) << list[i];
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
    const Theme theme(42.0 / 8.5, {});  // body text at 42 px
    const LayoutContext ctx{vm, *catalog_, *text_, theme, 1920, 1080};
    const Label label =
        ctx.label(text, 0, width, TextRole::body, false, Color{}, Align::left, frame);
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

TEST_F(LayoutTest, AScreenOfNoOtherKindLaysOutAsAMessage) {
  ViewModel vm;
  vm.screen = "no_such_screen";
  vm.texts["title"] = {"menu.title", {}};
  vm.actions.push_back({"back", {"common.back", {}}, flows::ActionStyle::back, true, {}});
  const Frame frame = layout(vm);
  EXPECT_TRUE(frame.warnings.empty());
  EXPECT_NE(frame.button("back"), nullptr);
  ASSERT_FALSE(frame.labels.empty());
  EXPECT_EQ(frame.labels.front().lines.front(), catalog_->text(Language::ja, {"menu.title", {}}));
}

}  // namespace
}  // namespace mk::kiosk

namespace mk::kiosk {
namespace {

// The fonts opened ahead at start are the ones the first screen uses, and measure the same.
TEST(TextRendererAhead, FontsOpenedAheadMeasureAsFontsOpenedOnUse) {
  const auto faces = find_japanese_font("Noto Sans CJK JP");
  const Theme theme = Theme::for_panel(1920, 1080, 21.5, {});
  const auto fonts = usual_fonts(theme);
  ASSERT_GE(fonts.size(), 3U);
  EXPECT_NE(std::find(fonts.begin(), fonts.end(), FontUse{theme.font(TextRole::body), false}),
            fonts.end());
  TextRenderer ahead(faces);
  ahead.open_ahead(fonts);
  TextRenderer on_use(faces);
  for (const FontUse& f : fonts) {
    EXPECT_EQ(ahead.width("マイナ免許証をおく", f.px, f.bold),
              on_use.width("マイナ免許証をおく", f.px, f.bold));
    EXPECT_EQ(ahead.line_height(f.px, f.bold), on_use.line_height(f.px, f.bold));
  }
}

TEST(TextRendererAhead, AFontThatCannotBeOpenedAheadFailsItsFirstUse) {
  FontWeights missing;
  missing.regular.file = "/nonexistent/font.ttc";
  missing.bold.file = "/nonexistent/font.ttc";
  TextRenderer text(missing);
  text.open_ahead({{40, false}});
  EXPECT_THROW(text.width("a", 40, false), std::runtime_error);
}

}  // namespace
}  // namespace mk::kiosk

namespace mk::kiosk {
namespace {

class DialogTest : public LayoutTest {
 protected:
  // A screen with a button in each corner region: the menu.
  static flows::ViewModel screen() {
    flows::WelcomeFlow flow(flows::Language::ja);
    flow.handle(flows::Intent::tap("start"));
    return flow.view();
  }
  // A dialog of six choices and a primary action, as the look panel is.
  static flows::ViewModel choices() {
    flows::ViewModel vm;
    vm.screen = "test.dialog";
    vm.kind = flows::ScreenKind::choice;
    vm.texts["title"] = {"look.title", {}};
    vm.texts["body"] = {"look.body", {}};
    for (const char* key : {"look.text_standard", "look.text_large", "look.text_largest",
                            "look.colour_standard", "look.colour_high"}) {
      vm.actions.push_back({key, {key, {}}, flows::ActionStyle::choice, true, {}});
    }
    vm.actions.push_back({"close", {"look.close", {}}, flows::ActionStyle::primary, true, {}});
    return vm;
  }
};

TEST_F(DialogTest, OnlyTheDialogAnswersAndEverythingOfItIsInItsPanel) {
  const Theme theme = Theme::for_panel(1920, 1080, 21.5, {});
  const flows::ViewModel under = screen();
  const Frame backdrop = layout_screen(under, *catalog_, *text_, theme, 1920, 1080);
  ASSERT_FALSE(backdrop.buttons.empty());
  const Frame dialog = layout_view(choices(), &under, *catalog_, *text_, theme, 1920, 1080);
  ASSERT_TRUE(dialog.panel);
  ASSERT_TRUE(dialog.backdrop);
  EXPECT_EQ(dialog.backdrop->buttons.size(), backdrop.buttons.size());
  // Behind the dialog, dimmed: darker than it was.
  const auto luminance = [](Color c) { return c.r * 2 + c.g * 7 + c.b; };
  EXPECT_LT(luminance(dialog.backdrop->background), luminance(backdrop.background));
  EXPECT_LT(luminance(dialog.backdrop->buttons.front().fill),
            luminance(backdrop.buttons.front().fill));
  EXPECT_TRUE(dialog.warnings.empty()) << dialog.warnings.front();
  EXPECT_TRUE(check_frame(choices(), dialog, theme, 1920, 1080).empty());
  const Rect& panel = dialog.panel->rect;
  EXPECT_LT(panel.w, 1920);
  EXPECT_LT(panel.h, 1080);
  for (const auto& b : dialog.buttons) {
    EXPECT_GE(b.rect.x, panel.x) << b.action;
    EXPECT_LE(b.rect.x + b.rect.w, panel.x + panel.w) << b.action;
    EXPECT_GE(b.rect.y, panel.y) << b.action;
    EXPECT_LE(b.rect.y + b.rect.h, panel.y + panel.h) << b.action;
  }
  // Modal: a touch on a button of the screen behind, outside the panel, does nothing.
  for (const auto& b : backdrop.buttons) {
    if (!panel.contains(b.rect.center_x(), b.rect.center_y())) {
      EXPECT_EQ(dialog.hit(b.rect.center_x(), b.rect.center_y()), std::nullopt) << b.action;
    }
  }
  EXPECT_EQ(dialog.hit(panel.x + 1, panel.y + 1), std::nullopt);
  const Button* close = dialog.button("close");
  ASSERT_NE(close, nullptr);
  EXPECT_EQ(dialog.hit(close->rect.center_x(), close->rect.center_y()), "close");
}

TEST_F(DialogTest, ADialogHasNoPagesItsTextIsMadeSmallerInstead) {
  const flows::ViewModel under = screen();
  for (const double scale : {1.0, 1.5, 2.0}) {
    for (const auto& [w, h, inches] : {std::tuple{1920, 1080, 21.5}, std::tuple{1366, 768, 15.6},
                                       std::tuple{1920, 1080, 15.6}}) {
      const Theme theme = Theme::for_panel(w, h, inches, {scale, Contrast::standard});
      const Frame dialog = layout_view(choices(), &under, *catalog_, *text_, theme, w, h);
      EXPECT_EQ(dialog.button(kNextPage), nullptr) << w << "x" << h << " at " << scale;
      EXPECT_TRUE(dialog.warnings.empty()) << dialog.warnings.front();
      EXPECT_TRUE(check_frame(choices(), dialog, theme, w, h).empty())
          << check_frame(choices(), dialog, theme, w, h).front();
    }
  }
}

// While the idle warning counts down over a screen that stays as it was, the screen behind is
// laid out once: each second only the dialog (frame time, docs/performance.md).
TEST_F(DialogTest, TheScreenBehindACountdownIsLaidOutOnce) {
  const Config config;
  auto now = std::chrono::steady_clock::now();
  App app(config, *catalog_, *text_, now);
  const Button* start = app.frame().button("start");
  ASSERT_NE(start, nullptr);
  app.handle({InputEvent::Kind::tap, start->rect.center_x(), start->rect.center_y(), {}}, now);
  ASSERT_EQ(app.view().screen, "menu");
  now += std::chrono::seconds(config.session.idle_timeout_s + 1);
  app.tick(now);
  ASSERT_TRUE(app.dialog_view());
  const std::shared_ptr<const Frame> behind = app.frame().backdrop;
  ASSERT_NE(behind, nullptr);
  const std::string first_words = app.frame().labels.at(1).lines.at(0);
  now += std::chrono::seconds(1);
  app.tick(now);
  EXPECT_EQ(app.frame().backdrop, behind) << "laid out again";
  EXPECT_NE(app.frame().labels.at(1).lines.at(0), first_words) << "the seconds left changed";
  const Button* more = app.frame().button("more_time");
  ASSERT_NE(more, nullptr);
  app.handle({InputEvent::Kind::tap, more->rect.center_x(), more->rect.center_y(), {}}, now);
  EXPECT_FALSE(app.dialog_view());
  EXPECT_EQ(app.frame().backdrop, nullptr);
  EXPECT_EQ(app.frame().screen, "menu");
}

}  // namespace
}  // namespace mk::kiosk
