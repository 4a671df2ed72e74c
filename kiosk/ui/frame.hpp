#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/ui/image.hpp"

namespace mk::kiosk {

struct Color {
  uint8_t r = 0, g = 0, b = 0, a = 255;
  friend bool operator==(const Color&, const Color&) = default;
};

struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
  bool contains(int px, int py) const { return px >= x && py >= y && px < x + w && py < y + h; }
  int center_x() const { return x + w / 2; }
  int center_y() const { return y + h / 2; }
};

enum class Align { left, center };

// Lines of text already wrapped to their box.
struct Label {
  Rect box;  // h is the height the lines take
  std::vector<std::string> lines;
  int px = 0;  // font size in pixels
  bool bold = false;
  Color color;
  Align align = Align::left;
  int line_height = 0;
};

// A touch target: an action id, its shape and its label.
struct Button {
  std::string action;
  Rect rect;
  Color fill, border, text;
  int border_px = 0;
  int radius = 0;
  Label label;
  bool enabled = true;
  bool selected = false;  // e.g. the language in use
  // The keyboard's focus is on it: a ring of this width (0: none) in focus_ring, focus_gap px
  // outside the button.
  int focus_ring_px = 0;
  int focus_gap_px = 0;
  Color focus_ring;

  void move_by(int dx, int dy) {
    rect.x += dx;
    rect.y += dy;
    label.box.x += dx;
    label.box.y += dy;
  }
};

// A picture (the face photo a card holds, an illustration), scaled into its box; transparent
// where its alpha is 0.
struct Picture {
  Rect box;
  Image image;
};

// A filled box under the texts, with an optional border: a meter's track and its fill.
struct Shape {
  Rect rect;
  int radius = 0;
  Color fill;
  Color border;
  int border_px = 0;
};

// Everything one screen draws, laid out in pixels. Built from a view model by the screen
// layouts, drawn by the painter, searched by hit testing; no SDL in here.
struct Frame {
  std::string screen;
  Color background;
  std::vector<Label> labels;
  std::vector<Button> buttons;
  std::vector<Picture> pictures;
  std::vector<Shape> shapes;          // drawn first, in order
  std::string background_action;      // action of a touch that hits no button ("" = none)
  std::vector<std::string> warnings;  // layout problems: text overflow, missing glyphs
  // A dialog (the idle warning, the look panel): the screen it opens over, its colours dimmed,
  // drawn first, and the dialog's panel, on which everything above lies. Only the dialog's own
  // buttons answer a touch, take the keyboard's focus or are checked: it is modal.
  std::shared_ptr<const Frame> backdrop;
  std::optional<Shape> panel;

  // The action a touch at (x, y) triggers, if any.
  std::optional<std::string> hit(int x, int y) const {
    for (const auto& b : buttons) {
      if (b.rect.contains(x, y)) {
        return b.enabled ? std::optional<std::string>(b.action) : std::nullopt;
      }
    }
    if (!background_action.empty()) {
      return background_action;
    }
    return std::nullopt;
  }
  const Button* button(const std::string& action) const {
    for (const auto& b : buttons) {
      if (b.action == action) {
        return &b;
      }
    }
    return nullptr;
  }
};

}  // namespace mk::kiosk
