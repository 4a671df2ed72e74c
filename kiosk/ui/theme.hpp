#pragma once

#include "kiosk/ui/frame.hpp"

namespace mk::kiosk {

// How a person asked the screen to look, for their session only (the accessibility button).
enum class Contrast { standard, high };
struct Look {
  double text_scale = 1.0;  // 1.0, 1.5 or 2.0
  Contrast contrast = Contrast::standard;
  friend bool operator==(const Look&, const Look&) = default;
};

struct Palette {
  Color background;
  Color text;
  Color text_muted;  // secondary text: still at least the theme's minimum contrast
  Color primary;     // the primary action's fill, the selected option's fill
  Color on_primary;
  Color secondary;  // other actions' fill
  Color on_secondary;
  Color border;   // edges of secondary actions
  Color problem;  // what went wrong; always with words, never colour alone
  Color dim;      // laid over the screen a dialog opens on (with alpha)
};

// Kinds of text, each with its own size. The PIN pad's keys and symbols keep their size at every
// text scale: they are large already and the pad's place is fixed.
enum class TextRole { title, heading, body, button, small, symbol, key };

// Lengths on the panel in millimetres: every size of the layout is one of these, converted to
// pixels through the panel's density, so a 20 mm target is 20 mm on a 15.6" and a 24" panel.
namespace mm {
inline constexpr double kMinTarget = 20.0;  // ../shared/accessibility.md
inline constexpr double kButtonHeight = 22.0;
inline constexpr double kMargin = 12.0;
inline constexpr double kGap = 5.0;
inline constexpr double kSmallGap = 2.5;
inline constexpr double kRadius = 3.0;
inline constexpr double kBorder = 0.8;
inline constexpr double kBorderSelected = 1.6;
// The keyboard's focus: a ring this wide, this far outside the button (WCAG 2.4.7, 2.4.11).
inline constexpr double kFocusRing = 2.0;
inline constexpr double kFocusGap = 1.0;
inline constexpr double kPinKeyWidth = 30.0;
inline constexpr double kPinKeyHeight = 29.0;
inline constexpr double kPinGap = 4.0;
// The alphanumeric pad (the JPKI signing PIN): 38 keys at the smallest full target.
inline constexpr double kCharacterKeyWidth = 22.0;
inline constexpr double kCharacterKeyHeight = kMinTarget;
inline constexpr double kCharacterGap = 3.0;
inline constexpr double kReadingWidth = 300.0;  // longer lines are hard to follow
// A dialog's panel: as wide as this (or the screen less its margins), as high as it needs.
inline constexpr double kDialogWidth = 340.0;
}  // namespace mm

// The look of every screen as one object, passed through layout: colours, and sizes converted
// from millimetres on this panel, with the person's text scale. Drawing needs nothing else: the
// frame carries the colours it was laid out with.
class Theme {
 public:
  // px_per_mm: the layout's pixels per millimetre on the panel.
  Theme(double px_per_mm, Look look);
  // A panel `diagonal_in` inches across showing a width × height layout.
  static Theme for_panel(int width, int height, double diagonal_in, Look look);

  // Not on a temporary: the reference would outlive the theme.
  const Palette& colors() const& { return palette_; }
  const Palette& colors() const&& = delete;
  const Look& look() const& { return look_; }
  const Look& look() const&& = delete;
  double px_per_mm() const { return px_per_mm_; }
  // A length of the layout in pixels.
  int mm(double length) const;
  // A font size in pixels: the role's size with the person's text scale (symbols and keys do
  // not scale; titles and headings at most 1.5 times).
  int font(TextRole role) const;
  // Text must stand out from its background at least this much (WCAG AA; AAA in high contrast).
  double min_text_contrast() const { return look_.contrast == Contrast::high ? 7.0 : 4.5; }

 private:
  double px_per_mm_;
  Look look_;
  Palette palette_;
};

// The colours of a contrast setting.
const Palette& palette_of(Contrast contrast);

// WCAG 2 contrast ratio of two colours (1 to 21).
double contrast_ratio(Color a, Color b);

}  // namespace mk::kiosk
