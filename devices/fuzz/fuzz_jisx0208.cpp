// JIS X 0208 <-> UTF-8 (devices/encoding/jisx0208.hpp, ICU underneath). Text that decodes must
// encode back to the same bytes, and UTF-8 that encodes must decode back to the same text: a
// license must never show a character other than the one stored.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "devices/cards/basic4_info.hpp"
#include "devices/encoding/jisx0208.hpp"
#include "devices/fuzz/fuzz_support.hpp"

using namespace mk::devices;
using mk::devices::fuzz::as_text;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  const std::span<const uint8_t> data(raw, size);

  if (const auto utf8 = jisx0208_to_utf8(data)) {
    MK_FUZZ_CHECK(size % 2 == 0);
    MK_FUZZ_CHECK(is_valid_utf8(*utf8));
    const auto back = utf8_to_jisx0208(*utf8);
    MK_FUZZ_CHECK(back && *back == as_text(data));
  }

  if (const auto jis = utf8_to_jisx0208(as_text(data))) {
    MK_FUZZ_CHECK(jis->size() % 2 == 0);
    for (const char c : *jis) {
      const auto b = static_cast<uint8_t>(c);
      MK_FUZZ_CHECK(b >= 0x21 && b <= 0x7E);
    }
    const auto bytes = std::span(reinterpret_cast<const uint8_t*>(jis->data()), jis->size());
    const auto again = jisx0208_to_utf8(bytes);
    MK_FUZZ_CHECK(again && *again == as_text(data));
  }
  return 0;
}
