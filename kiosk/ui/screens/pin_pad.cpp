#include <algorithm>
#include <string>
#include <vector>

#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

namespace {

// A pad's keys row by row, left to right; a key may span several columns.
struct PadKey {
  std::string key;  // "0"-"9", "A"-"Z", "delete", "confirm"
  int span = 1;
};

struct PadGrid {
  int columns;
  double key_w_mm;
  double key_h_mm;
  double gap_mm;
  std::vector<PadKey> keys;

  int rows() const {
    int cells = 0;
    for (const auto& k : keys) {
      cells += k.span;
    }
    return (cells + columns - 1) / columns;
  }
};

// Never shuffled: the same key in the same place every time (../shared/accessibility.md).
PadGrid grid_of(const flows::PinPadView& pad) {
  if (!pad.alphanumeric) {
    PadGrid g{3, mm::kPinKeyWidth, mm::kPinKeyHeight, mm::kPinGap, {}};
    for (const char* k : {"1", "2", "3", "4", "5", "6", "7", "8", "9", "delete", "0", "confirm"}) {
      g.keys.push_back({k, 1});
    }
    return g;
  }
  // The digits, then the alphabet, in reading order; clear and enter share the last row.
  PadGrid g{6, mm::kCharacterKeyWidth, mm::kCharacterKeyHeight, mm::kCharacterGap, {}};
  for (const char c : std::string("1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
    g.keys.push_back({std::string(1, c), 1});
  }
  g.keys.push_back({"delete", 3});
  g.keys.push_back({"confirm", 3});
  return g;
}

int width_of(const Theme& theme, const PadGrid& g) {
  return g.columns * theme.mm(g.key_w_mm) + (g.columns - 1) * theme.mm(g.gap_mm);
}

// What is typed, as dots: a digit PIN shows all its places; an alphanumeric one (6 to 16
// characters) what is typed and the places still needed to reach the shortest. A pad that is not
// masked (a word to search for) shows the characters, and a place for the next one.
std::string dots_of(const flows::PinPadView& pad) {
  if (!pad.masked) {
    return pad.typed + (pad.entered < pad.max_length ? "＿" : "");
  }
  const int places = pad.alphanumeric ? std::max(pad.entered, pad.min_length) : pad.max_length;
  std::string dots;
  for (int i = 0; i < places; ++i) {
    dots += i < pad.entered ? "●" : "○";
  }
  return dots;
}

}  // namespace

int pin_pad_width(const Theme& theme, const flows::PinPadView& pad) {
  return width_of(theme, grid_of(pad));
}

// Its buttons send "pin_pad:<key>"; the App keeps what is typed.
void place_pin_pad(const LayoutContext& ctx, Frame& frame) {
  const Theme& theme = ctx.theme;
  const flows::PinPadView& pad = *ctx.vm.pin_pad;
  const PadGrid g = grid_of(pad);
  const int key_w = theme.mm(g.key_w_mm);
  const int key_h = theme.mm(g.key_h_mm);
  const int gap = theme.mm(g.gap_mm);
  const int width = width_of(theme, g);
  const int x = ctx.width - theme.mm(mm::kMargin) - width;
  const int bottom = ctx.height - theme.mm(mm::kMargin) / 2;
  const int rows = g.rows();
  const int keys_top = bottom - rows * key_h - (rows - 1) * gap;
  Label shown =
      ctx.label(dots_of(pad), x, width, pad.alphanumeric ? TextRole::key : TextRole::symbol, true,
                theme.colors().text, Align::center, frame);
  shown.box.y = keys_top - gap - shown.box.h;
  if (shown.box.y < theme.mm(mm::kMargin) / 2) {
    frame.warnings.push_back(ctx.vm.screen + ": the PIN pad is taller than the screen");
  }
  frame.labels.push_back(std::move(shown));
  int cell = 0;
  for (const PadKey& k : g.keys) {
    flows::ActionView action;
    action.id = "pin_pad:" + k.key;
    action.style = k.key == "confirm" ? flows::ActionStyle::primary : flows::ActionStyle::secondary;
    action.enabled = k.key != "confirm" || pad.entered >= pad.min_length;
    const bool character = k.key.size() == 1;
    action.label = character ? flows::TextRef{"pin_pad.digit", {{"digit", k.key}}}
                             : flows::TextRef{"pin_pad." + k.key, {}};
    const int w = k.span * key_w + (k.span - 1) * gap;
    // The signing PIN's smaller keys take their characters at the keys' size (8 mm em).
    const bool large = character && !pad.alphanumeric;
    Button b = ctx.button(action, w, frame, large ? TextRole::symbol : TextRole::key, k.span > 1);
    if (b.label.box.h + 2 * theme.mm(mm::kSmallGap) > key_h) {
      frame.warnings.push_back(ctx.vm.screen + ": the label of " + action.id +
                               " is taller than its key");
    }
    b.label.box.y += (key_h - b.rect.h) / 2;
    b.rect.h = key_h;
    const int column = cell % g.columns;
    const int row = cell / g.columns;
    b.move_by(x + column * (key_w + gap), keys_top + row * (key_h + gap));
    frame.buttons.push_back(std::move(b));
    cell += k.span;
  }
}

}  // namespace mk::kiosk
