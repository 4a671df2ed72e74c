// The illustrations (assets/illustrations/) drawn by SDL2_image: each one draws, keeps its
// proportions in any box, and takes the colours of the look the person chose.
#include "kiosk/ui/illustration.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

namespace mk::kiosk {
namespace {

using flows::Illustration;

constexpr Illustration kAll[] = {Illustration::place_my_number_card,
                                 Illustration::place_driving_licence, Illustration::take_cards};

// Opaque pixels within `tolerance` of `c` in every channel.
int64_t pixels_near(const Image& image, Color c, int tolerance = 12) {
  int64_t n = 0;
  for (size_t i = 0; i + 3 < image.rgba.size(); i += 4) {
    if (image.rgba[i + 3] == 0xFF && std::abs(image.rgba[i] - c.r) <= tolerance &&
        std::abs(image.rgba[i + 1] - c.g) <= tolerance &&
        std::abs(image.rgba[i + 2] - c.b) <= tolerance) {
      ++n;
    }
  }
  return n;
}

int64_t opaque_pixels(const Image& image) {
  int64_t n = 0;
  for (size_t i = 3; i < image.rgba.size(); i += 4) {
    n += image.rgba[i] != 0 ? 1 : 0;
  }
  return n;
}

TEST(IllustrationTest, EachIsCompiledInAndDrawsSomethingButNotEverything) {
  for (const Illustration which : kAll) {
    ASSERT_FALSE(illustration_svg(which).empty());
    const Image image = render_illustration(which, palette_of(Contrast::standard), 400, 320);
    ASSERT_EQ(image.rgba.size(), 400U * 320U * 4U);
    const int64_t drawn = opaque_pixels(image);
    EXPECT_GT(drawn, 400 * 320 / 5) << "a card and a reader cover a good part of the box";
    EXPECT_LT(drawn, 400 * 320 * 9 / 10) << "the screen's background shows around them";
  }
  EXPECT_TRUE(illustration_svg(Illustration::none).empty());
  EXPECT_THROW(render_illustration(Illustration::none, palette_of(Contrast::standard), 10, 10),
               std::runtime_error);
}

TEST(IllustrationTest, TheArrowIsThePrimaryColourAndHighContrastHasNoneOfTheStandardColours) {
  const Palette& standard = palette_of(Contrast::standard);
  const Palette& high = palette_of(Contrast::high);
  for (const Illustration which : kAll) {
    const Image normal = render_illustration(which, standard, 400, 320);
    const Image contrast = render_illustration(which, high, 400, 320);
    EXPECT_GT(pixels_near(normal, standard.primary), 1500) << "the arrow";
    EXPECT_GT(pixels_near(contrast, high.primary), 1500) << "the arrow, yellow";
    // Exactly: the edges of white on black pass through greys near the standard border's.
    EXPECT_EQ(pixels_near(contrast, standard.primary, 0), 0);
    EXPECT_EQ(pixels_near(contrast, standard.border, 0), 0);
    EXPECT_GT(pixels_near(contrast, high.text), 2000) << "white lines";
    EXPECT_GT(pixels_near(normal, standard.secondary), 2000) << "a white card and reader";
    EXPECT_GT(pixels_near(contrast, high.secondary), 2000) << "the card and reader filled black";
  }
}

TEST(IllustrationTest, AWideOrTallBoxKeepsTheDrawingsProportionsCentred) {
  const Image wide =
      render_illustration(Illustration::take_cards, palette_of(Contrast::standard), 800, 320);
  ASSERT_EQ(wide.width, 800);
  // A 5 : 4 drawing 320 high is 400 wide: columns 200 to 600; the rest is transparent.
  for (int y = 0; y < wide.height; ++y) {
    for (const int x : {0, 150, 650, 799}) {
      ASSERT_EQ(wide.rgba[static_cast<size_t>(y * 800 + x) * 4 + 3], 0) << x << "," << y;
    }
  }
  const Image tall = render_illustration(Illustration::place_my_number_card,
                                         palette_of(Contrast::standard), 200, 600);
  int64_t top_rows = 0;
  for (size_t i = 3; i < static_cast<size_t>(200 * 100 * 4); i += 4) {
    top_rows += tall.rgba[i] != 0 ? 1 : 0;
  }
  EXPECT_EQ(top_rows, 0) << "160 high, centred: the first 220 rows are empty";
  EXPECT_GT(opaque_pixels(tall), 200 * 160 / 5);
}

// Where the reader is: the kiosk's place kept, the other places dropped, drawn in the primary
// colour in the corner the card and the reader leave free.
TEST(IllustrationTest, TheReadersPlaceIsMarkedAndOnlyItsOwn) {
  const std::string_view drawing = illustration_svg(Illustration::place_my_number_card);
  EXPECT_EQ(with_reader_location(drawing, {}), drawing);
  const std::string marked =
      with_reader_location(drawing, {flows::ReaderPlace::below_left, flows::ReaderPlace::right});
  EXPECT_NE(marked.find("<!-- reader:below-left -->"), std::string::npos);
  EXPECT_NE(marked.find("<!-- reader:right -->"), std::string::npos);
  for (const char* other : {"below-centre", "below-right", "left"}) {
    EXPECT_EQ(marked.find(std::string("<!-- reader:") + other + " -->"), std::string::npos)
        << other;
  }
  EXPECT_EQ(marked.rfind("</svg>"), marked.size() - std::string_view("</svg>\n").size());

  const Palette& colours = palette_of(Contrast::standard);
  const Image none = render_illustration(Illustration::place_my_number_card, colours, 400, 320);
  std::vector<Image> places;
  for (const auto place : {flows::ReaderPlace::below_left, flows::ReaderPlace::below_right,
                           flows::ReaderPlace::left, flows::ReaderPlace::right}) {
    places.push_back(
        render_illustration(Illustration::place_my_number_card, colours, 400, 320, {place}));
    // The drawing of the kiosk adds surface, and one more primary-coloured mark than the arrow.
    EXPECT_GT(opaque_pixels(places.back()), opaque_pixels(none));
    EXPECT_GT(pixels_near(places.back(), colours.primary), pixels_near(none, colours.primary));
  }
  for (size_t i = 0; i < places.size(); ++i) {
    for (size_t j = i + 1; j < places.size(); ++j) {
      EXPECT_NE(places[i].rgba, places[j].rgba) << i << " and " << j << " are drawn alike";
    }
  }
}

}  // namespace
}  // namespace mk::kiosk
