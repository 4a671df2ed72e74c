#pragma once

#include <string>

namespace mk::kiosk {

// Input as the kiosk sees it, whatever produced it (a touch screen, a mouse, a keyboard, a
// script): positions are in layout pixels.
struct InputEvent {
  enum class Kind { tap, key, quit, redraw };
  Kind kind = Kind::redraw;
  int x = 0;
  int y = 0;
  std::string key;  // for Kind::key: "escape", "return", ...
};

}  // namespace mk::kiosk
