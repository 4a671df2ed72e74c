// JPEG 2000 decoding of the license photos (devices/cards/jpeg2000.hpp; OpenJPEG underneath,
// which is not instrumented for coverage here, but ASan still sees its heap through the
// interceptors). A decoded photo must be within the 2048x2048 limit and its pixel buffer must
// match its size.
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "devices/cards/jpeg2000.hpp"
#include "devices/fuzz/fuzz_support.hpp"

using namespace mk::devices;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  const auto parsed = decode_jpeg2000(std::span<const uint8_t>(raw, size));
  if (const auto* image = std::get_if<GreyImage>(&parsed)) {
    MK_FUZZ_CHECK(image->width > 0 && image->width <= 2048);
    MK_FUZZ_CHECK(image->height > 0 && image->height <= 2048);
    MK_FUZZ_CHECK(image->pixels.size() ==
                  static_cast<size_t>(image->width) * static_cast<size_t>(image->height));
  } else {
    MK_FUZZ_CHECK(!std::get<ParseError>(parsed).reason.empty());
  }
  return 0;
}
