#include "kiosk/ui/theme.hpp"

#include <algorithm>
#include <cmath>

namespace mk::kiosk {

namespace {

// Every text colour is at least 7:1 on what it is drawn on (WCAG AAA) in both palettes,
// measured from the pixels by the frame checks; selection is shown by shape too.
constexpr Palette kStandard{
    .background = {0xF7, 0xF8, 0xFA},
    .text = {0x1A, 0x1A, 0x1A},
    .text_muted = {0x3D, 0x44, 0x4F},
    .primary = {0x00, 0x3F, 0x8F},
    .on_primary = {0xFF, 0xFF, 0xFF},
    .secondary = {0xFF, 0xFF, 0xFF},
    .on_secondary = {0x1A, 0x1A, 0x1A},
    .border = {0x3D, 0x44, 0x4F},
    .problem = {0x9B, 0x00, 0x00},
    .dim = {0x00, 0x00, 0x00, 0x99},
};
// Light text on black, the primary action yellow (the colours of high-contrast modes people
// know from their phones and from signage).
constexpr Palette kHighContrast{
    .background = {0x00, 0x00, 0x00},
    .text = {0xFF, 0xFF, 0xFF},
    .text_muted = {0xFF, 0xFF, 0xFF},
    .primary = {0xFF, 0xE0, 0x00},
    .on_primary = {0x00, 0x00, 0x00},
    .secondary = {0x00, 0x00, 0x00},
    .on_secondary = {0xFF, 0xFF, 0xFF},
    .border = {0xFF, 0xFF, 0xFF},
    .problem = {0xFF, 0x9E, 0x9E},
    .dim = {0x00, 0x00, 0x00, 0xB3},  // on black: the panel's white edge sets the dialog apart
};

// Font sizes in millimetres of em: body text's capital letters are about 6.2 mm high (Noto Sans
// CJK's cap height is 0.73 em), above the 6.1 mm that 0.7° at 500 mm asks of text that cannot
// be enlarged (../shared/accessibility.md) — and ours can.
double em_mm(TextRole role) {
  switch (role) {
    case TextRole::title:
      return 14.0;
    case TextRole::heading:
    case TextRole::symbol:
      return 11.0;
    case TextRole::body:
    case TextRole::button:
    case TextRole::small:  // data lines: never smaller than the body's text
      return 8.5;
    case TextRole::key:
      return 8.0;
  }
  return 8.5;
}

}  // namespace

const Palette& palette_of(Contrast contrast) {
  return contrast == Contrast::high ? kHighContrast : kStandard;
}

Theme::Theme(double px_per_mm, Look look)
    : px_per_mm_(px_per_mm), look_(look), palette_(palette_of(look.contrast)) {}

Theme Theme::for_panel(int width, int height, double diagonal_in, Look look) {
  return Theme(std::hypot(width, height) / (diagonal_in * 25.4), look);
}

int Theme::mm(double length) const {
  return static_cast<int>(std::lround(length * px_per_mm_));
}

int Theme::font(TextRole role) const {
  double scale = look_.text_scale;
  if (role == TextRole::symbol || role == TextRole::key) {
    scale = 1.0;
  } else if (role == TextRole::title || role == TextRole::heading) {
    // Headings are large already: at twice their size they would push what the person must
    // read (the tries left, the data to confirm) onto the next page.
    scale = std::min(scale, 1.5);
  }
  return std::max(8, static_cast<int>(std::lround(em_mm(role) * scale * px_per_mm_)));
}

double contrast_ratio(Color a, Color b) {
  const auto luminance = [](Color c) {
    const auto channel = [](uint8_t v) {
      const double s = v / 255.0;
      return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const double la = luminance(a);
  const double lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace mk::kiosk
