#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mk::offline_cache {

// True when the 12 digits are a valid Individual Number (My Number): the check digit rule of
// the 番号法施行令 第八条. `digits` must be 12 ASCII digits.
bool is_valid_my_number(std::string_view digits);

// Finds a run of exactly 12 digits (ASCII or full-width, single spaces or hyphens allowed
// between them) whose check digit is right: a My Number written into free text. Returns a
// description of where it was (never the number).
std::optional<std::string> find_my_number(std::string_view text);

}  // namespace mk::offline_cache
