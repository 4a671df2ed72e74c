// The kiosk's configuration (TOML) from any bytes: parse_config never throws, and a result is
// either a configuration or at least one error naming why.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "devices/fuzz/fuzz_support.hpp"
#include "kiosk/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const mk::kiosk::ConfigResult result = mk::kiosk::parse_config(text);
  MK_FUZZ_CHECK(result.config.has_value() == result.errors.empty());
  for (const auto& error : result.errors) {
    MK_FUZZ_CHECK(!error.reason.empty());
  }
  return 0;
}
