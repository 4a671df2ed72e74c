#pragma once

// The one hex codec: bytes as two hex digits each, and back. The span forms allocate nothing, for
// secrets kept in their own buffers (a key file's text).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mk::base {

enum class HexCase { upper, lower };

// Writes 2 × bytes.size() digits into `out` (which must be that long).
void encode_hex(std::span<const uint8_t> bytes, std::span<char> out,
                HexCase letters = HexCase::upper);

// "0A1B..." (upper case), `separator` between bytes ("0A 1B" with " ").
std::string to_hex(std::span<const uint8_t> bytes, std::string_view separator = {});
// "0a1b..." (lower case: digests and identifiers where the lower case is the convention).
std::string to_lower_hex(std::span<const uint8_t> bytes);

// An even number of hex digits of either case and nothing else; nullopt otherwise.
std::optional<std::vector<uint8_t>> from_hex(std::string_view hex);
// As from_hex, but spaces, tabs, newlines and colons anywhere are skipped (hex dumps, APDU
// traces, a hand-typed "00 A4 04 00").
std::optional<std::vector<uint8_t>> from_hex_dump(std::string_view text);
// Byte strings as lines of upper-case hex, one a line: how relayed APDUs and their answers travel
// in a flow's text fields.
std::string to_hex_lines(const std::vector<std::vector<uint8_t>>& lines);
// Back, one byte string a line, empty lines skipped; nullopt when a line is not strict hex.
std::optional<std::vector<std::vector<uint8_t>>> from_hex_lines(std::string_view text);
// Exactly out.size() bytes of strict hex into `out`; false (and `out` zeroed) otherwise.
bool decode_hex(std::string_view hex, std::span<uint8_t> out);

}  // namespace mk::base
