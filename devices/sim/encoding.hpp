#pragma once

// Encodings the license files use: JIS X 0208 text (2 bytes a character, no high bit), 元号
// dates as 7 ASCII digits, packed BCD dates; and the monochrome photo as a JPEG 2000 codestream.

#include <cstdint>
#include <string>
#include <string_view>

#include "devices/apdu/bytes.hpp"

namespace mk::devices::sim {

struct Date {
  int year = 0, month = 0, day = 0;
  bool operator==(const Date&) const = default;
};

// "2026-11-26" -> Date; nullopt-like {0,0,0} on a malformed string.
Date parse_date(std::string_view iso);
std::string yyyymmdd(const Date& d);

// UTF-8 -> JIS X 0208 via ICU's EUC-JP converter minus 0x8080. Throws on a character outside
// JIS X 0208 (half-width kana, JIS X 0212, emoji).
Bytes jis_x0208(std::string_view utf8);

// 元号YYMMDD: era 1 明治 (1868-) … 4 平成 (1989-01-08-), 5 令和 (2019-05-01-); 7 ASCII digits.
std::string era_date(const Date& d);
// Packed BCD YYYYMMDD (4 bytes).
Bytes bcd_date(const Date& d);

// A deterministic greyscale portrait (head, shoulders, a gradient background), encoded with
// OpenJPEG as a raw J2K codestream of at most max_bytes. `seed` varies the face a little.
Bytes portrait_j2k(uint32_t seed, size_t max_bytes = 4096);

}  // namespace mk::devices::sim
