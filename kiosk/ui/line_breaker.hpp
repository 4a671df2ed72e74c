#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mk::kiosk {

// Width of a run of UTF-8 text in pixels, as the text renderer would draw it.
using MeasureText = std::function<int(std::string_view)>;

// Splits UTF-8 text into lines no wider than max_width, breaking only where ICU's line break
// rules allow (UAX #14 with Japanese 禁則 in strict mode: no line starts with 。、」 or a small
// kana, no line ends with 「). A newline in the text forces a break. A single unbreakable run
// wider than max_width is split between characters as a last resort and reported by
// `overflowed` so the UI can flag the layout.
struct WrappedText {
  std::vector<std::string> lines;
  bool overflowed = false;
};
WrappedText wrap_text(std::string_view utf8, int max_width, const MeasureText& measure);

}  // namespace mk::kiosk
