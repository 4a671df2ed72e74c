#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "devices/encoding/parsed.hpp"

namespace mk::devices {

// A decoded greyscale photo, 8 bits a pixel, rows top to bottom.
struct GreyImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
};

// Decodes a JPEG 2000 codestream (J2K, as the license photo EFs hold it; a JP2 file is accepted
// too) with OpenJPEG. Colour images are reduced to their first component. Images larger than
// 2048×2048 are refused before decoding (a license photo is a few hundred pixels).
Parsed<GreyImage> decode_jpeg2000(std::span<const uint8_t> data);

}  // namespace mk::devices
