#pragma once

// Golden-image checking for UI tests: compares a frame with tests/golden/<name>.png within a
// tolerance. A missing golden is a failure, never silently created. To (re)create goldens after
// a deliberate change: MK_UPDATE_GOLDENS=1 ctest -R golden — then look at every changed PNG
// before committing it. On a failure the actual frame and a diff image are written under
// <build>/golden-failures/.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "kiosk/ui/image.hpp"

namespace mk::test {

struct GoldenTolerance {
  // Anti-aliased glyph edges may move by a few levels between FreeType builds; a real change
  // (a moved button, a changed word) differs by far more than this many pixels.
  int channel = 48;
  double max_differing_share = 0.0005;  // 0.05 % of the pixels, about 1000 at 1080p
};

inline ::testing::AssertionResult matches_golden(
    const std::string& name, const kiosk::Image& actual,
    const std::filesystem::path& golden_dir = std::filesystem::path(MK_SOURCE_DIR) / "tests/golden",
    GoldenTolerance tolerance = {}) {
  namespace fs = std::filesystem;
  const fs::path golden = golden_dir / (name + ".png");
  const fs::path failures = fs::path(MK_BINARY_DIR) / "golden-failures";
  const char* update = std::getenv("MK_UPDATE_GOLDENS");
  if (update != nullptr && std::string(update) == "1") {
    kiosk::write_png(golden, actual);
    return ::testing::AssertionSuccess() << "golden written: " << golden;
  }
  if (!fs::exists(golden)) {
    fs::create_directories(failures);
    kiosk::write_png(failures / (name + ".actual.png"), actual);
    return ::testing::AssertionFailure()
           << "no golden image " << golden << "; the frame drawn now is "
           << (failures / (name + ".actual.png"))
           << " — look at it, and if it is right, run with MK_UPDATE_GOLDENS=1";
  }
  const kiosk::Image expected = kiosk::read_png(golden);
  const kiosk::ImageDiff diff = kiosk::compare_images(expected, actual, tolerance.channel);
  if (!diff.same_size) {
    fs::create_directories(failures);
    kiosk::write_png(failures / (name + ".actual.png"), actual);
    return ::testing::AssertionFailure()
           << name << ": golden is " << expected.width << "x" << expected.height << ", frame is "
           << actual.width << "x" << actual.height;
  }
  const auto allowed = static_cast<int64_t>(tolerance.max_differing_share *
                                            static_cast<double>(actual.width) * actual.height);
  if (diff.differing_pixels > allowed) {
    fs::create_directories(failures);
    kiosk::write_png(failures / (name + ".actual.png"), actual);
    kiosk::write_png(failures / (name + ".diff.png"), diff.visual);
    return ::testing::AssertionFailure()
           << name << ": " << diff.differing_pixels << " pixels differ (allowed " << allowed
           << ", max channel delta " << diff.max_channel_delta << "); see " << failures;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace mk::test
