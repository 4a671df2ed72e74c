#pragma once

#include <optional>
#include <string>

namespace mk::kiosk {

// Input as the kiosk sees it, whatever produced it (a touch screen, a mouse, a keyboard, a
// script): positions are in layout pixels.
struct InputEvent {
  enum class Kind { tap, key, quit, redraw };
  Kind kind = Kind::redraw;
  int x = 0;
  int y = 0;
  std::string key;  // for Kind::key: "escape", "return", ... (SDL's key names, lower case)
};

// The PIN pad key ("7", "A", "delete", "confirm") a keyboard's or keypad's key stands for, or
// nothing: a person with a keypad types as on the screen's pad.
std::optional<std::string> pin_pad_key_of(const std::string& key_name);

}  // namespace mk::kiosk
