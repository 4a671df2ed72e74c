#pragma once

#include <string>

#include "kiosk/ui/image.hpp"

namespace mk::kiosk {

// `text` as a QR code (libqrencode, error correction M, 8-bit bytes, the smallest version that
// holds it): dark modules on white with the four-module quiet zone, at a whole number of pixels
// a module, as close to `side` pixels wide as that allows (within half a module). Dark on light
// whatever the screen's colours: phones' readers do not all read an inverted code. Throws
// std::runtime_error when the text cannot be encoded or a module would be narrower than 2 pixels.
Image qr_code_image(const std::string& text, int side);

}  // namespace mk::kiosk
