#include "kiosk/ui/image.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace mk::kiosk {
namespace {

Image gradient(int w, int h) {
  Image image{w, h, {}};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      image.rgba.push_back(static_cast<uint8_t>(x * 7));
      image.rgba.push_back(static_cast<uint8_t>(y * 5));
      image.rgba.push_back(static_cast<uint8_t>(x + y));
      image.rgba.push_back(255);
    }
  }
  return image;
}

TEST(Image, PngRoundTripIsLossless) {
  const Image image = gradient(37, 21);
  const auto file = std::filesystem::path(testing::TempDir()) / "roundtrip.png";
  write_png(file, image);
  const Image back = read_png(file);
  EXPECT_EQ(back.width, 37);
  EXPECT_EQ(back.height, 21);
  EXPECT_EQ(back.rgba, image.rgba);
  EXPECT_EQ(back.fingerprint(), image.fingerprint());
}

TEST(Image, FingerprintTellsFramesApart) {
  Image a = gradient(8, 8);
  const Image b = a;
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  a.rgba[100] ^= 1;
  EXPECT_NE(a.fingerprint(), b.fingerprint());
  EXPECT_NE(gradient(8, 4).fingerprint(), gradient(4, 8).fingerprint());
}

TEST(Image, CompareCountsOnlyPixelsBeyondTheTolerance) {
  const Image expected = gradient(10, 10);
  Image actual = expected;
  actual.rgba[0] = static_cast<uint8_t>(actual.rgba[0] + 3);     // within tolerance
  actual.rgba[40] = static_cast<uint8_t>(actual.rgba[40] + 50);  // beyond
  const ImageDiff diff = compare_images(expected, actual, 8);
  EXPECT_TRUE(diff.same_size);
  EXPECT_EQ(diff.differing_pixels, 1);
  EXPECT_EQ(diff.max_channel_delta, 50);
  EXPECT_EQ(diff.visual.rgba[40], 255);  // marked red
  EXPECT_EQ(diff.visual.rgba[41], 0);
}

TEST(Image, DifferentSizesNeverMatch) {
  EXPECT_FALSE(compare_images(gradient(4, 4), gradient(4, 5), 255).same_size);
}

TEST(Image, CorruptPngIsAnError) {
  const auto file = std::filesystem::path(testing::TempDir()) / "corrupt.png";
  std::ofstream(file) << "\x89PNG\r\n\x1a\n garbage";
  EXPECT_THROW(read_png(file), std::runtime_error);
  EXPECT_THROW(read_png("/nonexistent.png"), std::runtime_error);
}

}  // namespace
}  // namespace mk::kiosk
