#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mk::kiosk {

// An RGBA picture, 8 bits a channel, rows top to bottom: what screenshots and goldens are.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;

  uint64_t fingerprint() const;  // FNV-1a of size and pixels: tells one frame from another
};

// libpng's simplified API; both throw std::runtime_error with the file and libpng's reason.
void write_png(const std::filesystem::path& file, const Image& image);
Image read_png(const std::filesystem::path& file);

// The image at half its width and height, each pixel the mean of four (goldens kept small).
Image half_size(const Image& image);

// How two images differ: pixels whose largest channel difference exceeds `tolerance`.
struct ImageDiff {
  bool same_size = false;
  int64_t differing_pixels = 0;
  int max_channel_delta = 0;
  Image visual;  // differing pixels red over a faded copy of `expected`
};
ImageDiff compare_images(const Image& expected, const Image& actual, int tolerance);

}  // namespace mk::kiosk
