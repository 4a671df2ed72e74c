#include "kiosk/ui/line_breaker.hpp"

#include <memory>
#include <stdexcept>

#include <unicode/brkiter.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

namespace mk::kiosk {

namespace {

struct UTextCloser {
  void operator()(UText* t) const { utext_close(t); }
};

// Break positions (UTF-8 byte offsets, ascending, ending with text.size()), and whether each
// one is a hard (mandatory) break.
struct Breaks {
  std::vector<size_t> at;
  std::vector<bool> hard;
};

Breaks find_breaks(std::string_view text, const char* rules_locale) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UText, UTextCloser> utext(
      utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createLineInstance(icu::Locale(rules_locale), status));
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU line break iterator: ") + u_errorName(status));
  }
  it->setText(utext.get(), status);
  Breaks breaks;
  for (int32_t pos = it->next(); pos != icu::BreakIterator::DONE; pos = it->next()) {
    breaks.at.push_back(static_cast<size_t>(pos));
    breaks.hard.push_back(it->getRuleStatus() >= UBRK_LINE_HARD &&
                          it->getRuleStatus() < UBRK_LINE_HARD_LIMIT);
  }
  return breaks;
}

std::string_view trim_end(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Last resort for a run with no break opportunity that is wider than the line.
void split_by_character(std::string_view run, int max_width, const MeasureText& measure,
                        std::vector<std::string>& lines, std::string& current) {
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(run.data(), static_cast<int32_t>(run.size())));
  for (int32_t i = 0; i < text.length();) {
    const int32_t next = text.moveIndex32(i, 1);
    std::string character;
    text.tempSubStringBetween(i, next).toUTF8String(character);
    i = next;
    const std::string candidate = current + character;
    if (!current.empty() && measure(candidate) > max_width) {
      lines.push_back(current);
      current = character;
    } else {
      current = candidate;
    }
  }
}

}  // namespace

WrappedText wrap_text(std::string_view utf8, int max_width, const MeasureText& measure) {
  WrappedText result;
  if (utf8.empty()) {
    return result;
  }
  // "ja@lb=strict": the strict Japanese rules, under which small kana and the long vowel mark
  // may not start a line (ICU's default for "ja" allows them).
  const Breaks breaks = find_breaks(utf8, "ja@lb=strict");
  std::string current;
  size_t start = 0;
  for (size_t i = 0; i < breaks.at.size(); ++i) {
    const std::string_view segment = utf8.substr(start, breaks.at[i] - start);
    start = breaks.at[i];
    const std::string candidate = current + std::string(segment);
    if (measure(trim_end(candidate)) <= max_width) {
      current = candidate;
    } else if (current.empty() || trim_end(current).empty()) {
      // The segment alone is too wide: nothing better than splitting it.
      result.overflowed = true;
      current.clear();
      split_by_character(trim_end(segment), max_width, measure, result.lines, current);
      current += std::string(segment.substr(trim_end(segment).size()));
    } else {
      result.lines.emplace_back(trim_end(current));
      current = std::string(segment);
      if (measure(trim_end(current)) > max_width) {
        result.overflowed = true;
        current.clear();
        split_by_character(trim_end(segment), max_width, measure, result.lines, current);
      }
    }
    if (breaks.hard[i] && i + 1 < breaks.at.size()) {
      result.lines.emplace_back(trim_end(current));
      current.clear();
    }
  }
  if (!trim_end(current).empty()) {
    result.lines.emplace_back(trim_end(current));
  }
  return result;
}

}  // namespace mk::kiosk
