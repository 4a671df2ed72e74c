// 元号 dates, YYYYMMDD and packed BCD dates (devices/encoding/dates.hpp). Whatever parses must be
// a real date and must print back to the same digits.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <fmt/format.h>

#include "devices/encoding/dates.hpp"
#include "devices/fuzz/fuzz_support.hpp"

using namespace mk::devices;
using mk::devices::fuzz::as_text;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  const std::span<const uint8_t> data(raw, size);
  const auto text = as_text(data);

  const auto era = parse_era_date(text);
  const auto era_bytes = parse_era_date(data);
  MK_FUZZ_CHECK(era == era_bytes);
  if (era) {
    MK_FUZZ_CHECK(is_valid_date(*era));
    const auto back = to_era_date(*era);
    MK_FUZZ_CHECK(back && *back == text);
    MK_FUZZ_CHECK(!is_era_date_empty(data));
    MK_FUZZ_CHECK(era->iso().size() == 10);
  }
  (void)is_era_date_empty(data);

  if (const auto date = parse_yyyymmdd(text)) {
    MK_FUZZ_CHECK(is_valid_date(*date));
    MK_FUZZ_CHECK(fmt::format("{:04d}{:02d}{:02d}", date->year, date->month, date->day) == text);
  }
  if (const auto bcd = parse_bcd_date(data)) {
    MK_FUZZ_CHECK(is_valid_date(*bcd));
    std::string hex;
    for (const uint8_t b : data) {
      hex += fmt::format("{:02X}", b);
    }
    MK_FUZZ_CHECK(fmt::format("{:04d}{:02d}{:02d}", bcd->year, bcd->month, bcd->day) == hex);
  }

  // Any three ints as a date: validity, the era form and back.
  if (size >= 12) {
    auto int_at = [&](size_t at) {
      uint32_t v = 0;
      for (size_t i = 0; i < 4; ++i) {
        v = v << 8 | raw[at + i];
      }
      return static_cast<int>(v);
    };
    const Date any{int_at(0), int_at(4), int_at(8)};
    if (const auto era_text = to_era_date(any)) {
      MK_FUZZ_CHECK(is_valid_date(any));
      const auto again = parse_era_date(*era_text);
      MK_FUZZ_CHECK(again && *again == any);
    }
    if (is_valid_date(any)) {
      MK_FUZZ_CHECK(any.iso().size() == 10);
    }
  }
  return 0;
}
