#include "base/text/comparison_text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace mk::base {

namespace {

// Dashes that stand for one another in addresses, numbers and conditions (after NFKC, which
// already makes U+FF0D "－" an ASCII "-"). Not U+30FC "ー", which is part of a katakana word.
bool is_dash(UChar32 c) {
  switch (c) {
    case 0x2010:  // HYPHEN
    case 0x2011:  // NON-BREAKING HYPHEN
    case 0x2012:  // FIGURE DASH
    case 0x2013:  // EN DASH
    case 0x2014:  // EM DASH
    case 0x2015:  // HORIZONTAL BAR
    case 0x2043:  // HYPHEN BULLET
    case 0x2212:  // MINUS SIGN
    case 0x02D7:  // MODIFIER LETTER MINUS SIGN
    case 0xFE58:  // SMALL EM DASH
    case 0xFE63:  // SMALL HYPHEN-MINUS
      return true;
    default:
      return false;
  }
}

bool valid_utf8(std::string_view s) {
  int32_t i = 0;
  const auto n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
    if (c < 0) {
      return false;
    }
  }
  return true;
}

// `utf8` in NFKC with every dash as "-"; white space dropped (`spaces` false) or each run of it
// (and of control characters) one ASCII space, trimmed. "" for text that is not UTF-8.
std::string folded(std::string_view utf8, bool spaces, bool fold_case) {
  if (!valid_utf8(utf8)) {
    return {};
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status) || nfkc == nullptr) {
    return {};
  }
  icu::UnicodeString normal = nfkc->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                                  utf8.data(), static_cast<int32_t>(utf8.size()))),
                                              status);
  if (U_FAILURE(status)) {
    return {};
  }
  if (fold_case) {
    normal.foldCase();
  }
  icu::UnicodeString out16;
  bool space_pending = false;
  for (int32_t i = 0; i < normal.length();) {
    const UChar32 c = normal.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c) != 0 || (spaces && u_iscntrl(c) != 0)) {
      space_pending = spaces && !out16.isEmpty();
      continue;
    }
    if (space_pending) {
      out16.append(static_cast<UChar32>(' '));
      space_pending = false;
    }
    out16.append(is_dash(c) ? static_cast<UChar32>('-') : c);
  }
  std::string out;
  out16.toUTF8String(out);
  return out;
}

}  // namespace

std::string comparison_key(std::string_view utf8) {
  return folded(utf8, false, false);
}

std::string search_key(std::string_view utf8) {
  return folded(utf8, true, true);
}

bool same_text(std::string_view a, std::string_view b) {
  const std::string ka = comparison_key(a);
  return !ka.empty() && ka == comparison_key(b);
}

}  // namespace mk::base
