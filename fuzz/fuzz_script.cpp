// A UI script (and so a scenario file) from any bytes: only ScriptError may come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "devices/fuzz/fuzz_support.hpp"
#include "kiosk/script/script.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto steps = mk::kiosk::parse_script(text, "fuzz");
    MK_FUZZ_CHECK(steps.size() <= size);  // a step takes at least one byte of text
  } catch (const mk::kiosk::ScriptError&) {
  }
  return 0;
}
