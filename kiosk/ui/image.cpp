#include "kiosk/ui/image.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <png.h>

namespace mk::kiosk {

uint64_t Image::fingerprint() const {
  uint64_t hash = 1469598103934665603ULL;
  auto mix = [&](uint8_t byte) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  };
  for (int shift = 0; shift < 32; shift += 8) {
    mix(static_cast<uint8_t>(static_cast<unsigned>(width) >> shift));
    mix(static_cast<uint8_t>(static_cast<unsigned>(height) >> shift));
  }
  for (const uint8_t byte : rgba) {
    mix(byte);
  }
  return hash;
}

void write_png(const std::filesystem::path& file, const Image& image) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  png.format = PNG_FORMAT_RGBA;
  const uint8_t* pixels = image.rgba.data();
  // A frame is opaque: without its alpha channel the file is a fifth smaller (goldens).
  std::vector<uint8_t> rgb;
  bool opaque = true;
  for (size_t i = 3; i < image.rgba.size() && opaque; i += 4) {
    opaque = image.rgba[i] == 0xFF;
  }
  if (opaque) {
    rgb.resize(image.rgba.size() / 4 * 3);
    uint8_t* to = rgb.data();
    for (const uint8_t* from = image.rgba.data(); from < image.rgba.data() + image.rgba.size();
         from += 4) {
      *to++ = from[0];
      *to++ = from[1];
      *to++ = from[2];
    }
    png.format = PNG_FORMAT_RGB;
    pixels = rgb.data();
  }
  if (png_image_write_to_file(&png, file.c_str(), 0, pixels, 0, nullptr) == 0) {
    throw std::runtime_error("cannot write " + file.string() + ": " + png.message);
  }
}

Image read_png(const std::filesystem::path& file) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&png, file.c_str()) == 0) {
    throw std::runtime_error("cannot read " + file.string() + ": " + png.message);
  }
  png.format = PNG_FORMAT_RGBA;
  Image image;
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  image.rgba.resize(PNG_IMAGE_SIZE(png));
  if (png_image_finish_read(&png, nullptr, image.rgba.data(), 0, nullptr) == 0) {
    throw std::runtime_error("cannot decode " + file.string() + ": " + png.message);
  }
  return image;
}

Image half_size(const Image& image) {
  Image half;
  half.width = image.width / 2;
  half.height = image.height / 2;
  half.rgba.resize(static_cast<size_t>(half.width) * static_cast<size_t>(half.height) * 4);
  // Plain pointer loops: this runs over every pixel of every golden, in the sanitizer build too.
  const size_t row = static_cast<size_t>(image.width) * 4;
  uint8_t* out = half.rgba.data();
  for (size_t y = 0; y < static_cast<size_t>(half.height); ++y) {
    const uint8_t* top = image.rgba.data() + 2 * y * row;
    const uint8_t* bottom = top + row;
    for (size_t x = 0; x < static_cast<size_t>(half.width) * 8; x += 8) {
      for (size_t c = 0; c < 4; ++c) {
        const int sum = top[x + c] + top[x + 4 + c] + bottom[x + c] + bottom[x + 4 + c];
        *out++ = static_cast<uint8_t>((sum + 2) / 4);
      }
    }
  }
  return half;
}

ImageDiff compare_images(const Image& expected, const Image& actual, int tolerance) {
  ImageDiff diff;
  diff.same_size = expected.width == actual.width && expected.height == actual.height;
  if (!diff.same_size) {
    return diff;
  }
  diff.visual = expected;
  for (size_t i = 0; i + 3 < expected.rgba.size(); i += 4) {
    int delta = 0;
    for (size_t c = 0; c < 4; ++c) {
      delta = std::max(delta, std::abs(int{expected.rgba[i + c]} - int{actual.rgba[i + c]}));
    }
    diff.max_channel_delta = std::max(diff.max_channel_delta, delta);
    if (delta > tolerance) {
      ++diff.differing_pixels;
      diff.visual.rgba[i] = 255;
      diff.visual.rgba[i + 1] = 0;
      diff.visual.rgba[i + 2] = 0;
    } else {
      for (size_t c = 0; c < 3; ++c) {
        diff.visual.rgba[i + c] = static_cast<uint8_t>(191 + expected.rgba[i + c] / 4);
      }
    }
    diff.visual.rgba[i + 3] = 255;
  }
  return diff;
}

}  // namespace mk::kiosk
