#pragma once

// The one text form of a document a card signs (the one-stop consent, the portal linkage): a
// header line, then one "label: value" line per field in a fixed order, UTF-8, each line ending
// in LF, nothing else. Signed bytes are read back only when they are exactly this form, so what
// was signed is what is read.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mk::flows {

// The bytes to sign. A value must be one non-empty line (the parse could not give it back
// otherwise): std::invalid_argument then.
std::string canonical_text(
    std::string_view header,
    const std::vector<std::pair<std::string_view, std::string_view>>& fields);

// The values of `labels`, in that order, when `text` is `header` and those lines exactly as
// canonical_text writes them; nullopt for anything else (other order, spacing, a missing or
// extra line, no final LF).
std::optional<std::vector<std::string>> parse_canonical_text(
    std::string_view text, std::string_view header, const std::vector<std::string_view>& labels);

// True for a nonce as documents carry it: uppercase hex, an even number of digits.
bool is_upper_hex(std::string_view text);

}  // namespace mk::flows
