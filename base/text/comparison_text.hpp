#pragma once

// Text from cards and the centre as rules compare it. Japanese registries and card writers spell
// the same words in more than one way: full-width or half-width letters and digits (ＡＴ車 / AT車),
// half-width kana, ideographic or ASCII spaces between family and given name, and a handful of
// dash characters. The comparison key is the text in Unicode NFKC (ICU), with every dash variant
// as "-" and every space removed, so that two spellings of one thing compare equal; the text
// shown to the person stays as it was.

#include <string>
#include <string_view>

namespace mk::base {

// The key; "" for text that is not UTF-8 (never equal to a real word's key unless both are).
std::string comparison_key(std::string_view utf8);

// Text as a search compares it: NFKC, dashes folded, case folded, and each run of white space or
// control characters one ASCII space (words stay apart: a search for "pin" is told from
// "keeping"), trimmed; "" for text that is not UTF-8.
std::string search_key(std::string_view utf8);

// comparison_key(a) == comparison_key(b), and neither empty.
bool same_text(std::string_view a, std::string_view b);

}  // namespace mk::base
