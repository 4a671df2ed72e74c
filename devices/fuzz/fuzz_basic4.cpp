// The basic 4 info of the 券面事項入力補助 application (devices/cards/basic4_info.hpp): FF20
// template, DF2x fields, UTF-8 text, YYYYMMDD birth date. What parses must be well formed.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <variant>

#include "devices/cards/basic4_info.hpp"
#include "devices/fuzz/fuzz_support.hpp"

using namespace mk::devices;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  const std::span<const uint8_t> data(raw, size);
  const auto parsed = parse_basic4(data);
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    MK_FUZZ_CHECK(!error->reason.empty());
    return 0;
  }
  const auto& info = std::get<Basic4Info>(parsed);
  MK_FUZZ_CHECK(is_valid_utf8(info.name));
  MK_FUZZ_CHECK(is_valid_utf8(info.address));
  MK_FUZZ_CHECK(is_valid_date(info.birth_date));
  MK_FUZZ_CHECK(info.name.size() + info.address.size() <= size);
  MK_FUZZ_CHECK(std::strlen(to_string(info.sex)) > 0);
  return 0;
}
