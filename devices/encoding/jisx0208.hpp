#pragma once

#include <optional>
#include <span>
#include <string>

namespace mk::devices {

// JIS X 0208 text as the license cards store it (2 bytes a character, high bits clear) to UTF-8:
// add 0x8080 to each pair and decode as EUC-JP with ICU. nullopt on an odd length, a byte
// outside 21..7E, or a code point JIS X 0208 does not define.
std::optional<std::string> jisx0208_to_utf8(std::span<const uint8_t> jis);

// The reverse, for writers (the virtual cards, the issuer): nullopt when a character has no
// JIS X 0208 code.
std::optional<std::string> utf8_to_jisx0208(std::string_view utf8);

}  // namespace mk::devices
