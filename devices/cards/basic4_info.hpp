#pragma once

#include <optional>
#include <span>
#include <string>
#include <variant>

#include "devices/encoding/dates.hpp"
#include "devices/encoding/parsed.hpp"

namespace mk::devices {

enum class Sex { male, female, not_applicable };
const char* to_string(Sex sex);  // "male", "female", "not_applicable"

// The basic 4 info of the 券面事項入力補助 application (EF 0002).
struct Basic4Info {
  std::string name;  // family and given name separated by U+3000, as on the card
  std::string address;
  Date birth_date;
  Sex sex = Sex::not_applicable;
};

// Parses EF 0002: FF 20 L { DF21 offsets; DF22 name; DF23 address; DF24 YYYYMMDD; DF25 sex }
// then FF padding. Returns the reason on malformed input (truncated, wrong tags, bad UTF-8,
// impossible date, unknown sex code).
Parsed<Basic4Info> parse_basic4(std::span<const uint8_t> ef);

bool is_valid_utf8(std::string_view text);

}  // namespace mk::devices
