#pragma once

#include <string>
#include <vector>

#include "kiosk/ui/image.hpp"

namespace mk::kiosk {

// `text` as a QR code's modules (libqrencode, error correction M, 8-bit bytes, the smallest version
// that holds it), without the quiet zone; what the screen's image and the printed slip both draw.
// Throws std::runtime_error when the text cannot be encoded.
struct QrModules {
  static constexpr int kQuietZone = 4;  // modules each side, ISO/IEC 18004
  int width = 0;                        // modules a side
  std::vector<bool> dark;               // row by row

  bool at(int x, int y) const {
    return dark[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)];
  }
};
QrModules qr_modules(const std::string& text);

// `text` as a QR code (libqrencode, error correction M, 8-bit bytes, the smallest version that
// holds it): dark modules on white with the four-module quiet zone, at a whole number of pixels
// a module, as close to `side` pixels wide as that allows (within half a module). Dark on light
// whatever the screen's colours: phones' readers do not all read an inverted code. Throws
// std::runtime_error when the text cannot be encoded or a module would be narrower than 2 pixels.
Image qr_code_image(const std::string& text, int side);

}  // namespace mk::kiosk
