#pragma once

#include <string>
#include <string_view>

namespace mk::kiosk {

// A font at one size and weight.
struct FontUse {
  int px = 0;
  bool bold = false;
  friend bool operator==(const FontUse&, const FontUse&) = default;
};

// What layout needs to know about fonts; the SDL_ttf text renderer implements it, a unit test
// can use a fixed-width stand-in.
class TextMetrics {
 public:
  virtual ~TextMetrics() = default;
  virtual int width(std::string_view utf8, int px, bool bold) = 0;
  virtual int line_height(int px, bool bold) = 0;
  // Code points in the text that the font cannot draw, as "U+XXXX" list; empty when all can.
  virtual std::string missing_glyphs(std::string_view utf8, int px, bool bold) = 0;
};

}  // namespace mk::kiosk
