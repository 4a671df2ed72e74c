#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mk::devices {

using Bytes = std::vector<uint8_t>;

// "00A4040C" / "00 a4 04 0c" -> bytes; nullopt on an odd count or a non-hex character.
std::optional<Bytes> from_hex(std::string_view hex);
// Upper-case hex, bytes separated by `separator` (none by default).
std::string to_hex(std::span<const uint8_t> bytes, std::string_view separator = "");

inline Bytes bytes_of(std::span<const uint8_t> s) {
  return {s.begin(), s.end()};
}

}  // namespace mk::devices
