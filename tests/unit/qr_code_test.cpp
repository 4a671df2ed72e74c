// The QR codes the kiosk draws, read back with ZXing-cpp as a phone's reader would.
#define ZX_USE_UTF8
#include "kiosk/ui/qr_code.hpp"

#include <ReadBarcode.h>
#include <gtest/gtest.h>

namespace mk::kiosk {
namespace {

std::string read_qr(const Image& image) {
  const ZXing::ImageView view(image.rgba.data(), image.width, image.height,
                              ZXing::ImageFormat::RGBX);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  const ZXing::Result result = ZXing::ReadBarcode(view, hints);
  return result.isValid() ? result.text() : std::string("(unreadable)");
}

bool white(const Image& image, int x, int y) {
  const size_t at =
      (static_cast<size_t>(y) * static_cast<size_t>(image.width) + static_cast<size_t>(x)) * 4;
  return image.rgba[at] == 0xFF && image.rgba[at + 1] == 0xFF && image.rgba[at + 2] == 0xFF;
}

TEST(QrCode, APhonesReaderReadsTheLinkBack) {
  for (const std::string& link :
       {std::string("https://myna.go.jp/"),
        std::string("https://myna.go.jp/html/driving_license.html?from=kiosk&terminal=KIOSK-01")}) {
    for (const int side : {120, 300, 531}) {
      const Image image = qr_code_image(link, side);
      // Whole pixels a module: 120 px for 45 modules is 2.67, drawn at 3 (135 px).
      EXPECT_LE(std::abs(image.width - side), side * 15 / 100) << "about as wide as asked";
      EXPECT_EQ(image.width, image.height);
      EXPECT_EQ(read_qr(image), link) << side << " px";
    }
  }
}

TEST(QrCode, HasItsQuietZoneAndWholePixelModules) {
  const Image image = qr_code_image("https://myna.go.jp/", 400);
  // Version 2 (25 modules) + 2 × 4 quiet: 33 modules of 12 px.
  EXPECT_EQ(image.width, 33 * 12);
  for (int i = 0; i < image.width; ++i) {
    for (int q = 0; q < 4 * 12; ++q) {
      ASSERT_TRUE(white(image, i, q) && white(image, q, i) &&
                  white(image, i, image.width - 1 - q) && white(image, image.width - 1 - q, i))
          << "the quiet zone is white at " << i << ", " << q;
    }
  }
  EXPECT_FALSE(white(image, 4 * 12, 4 * 12)) << "the finder pattern's corner is dark";
  EXPECT_FALSE(white(image, 5 * 12 - 1, 5 * 12 - 1)) << "a module is 12 px, edge to edge";
}

TEST(QrCode, TooSmallOrTooLongIsAnErrorNotABlur) {
  EXPECT_THROW(qr_code_image("https://myna.go.jp/", 40), std::runtime_error) << "1 px modules";
  EXPECT_THROW(qr_code_image(std::string(4000, 'x'), 2000), std::runtime_error);
}

}  // namespace
}  // namespace mk::kiosk
