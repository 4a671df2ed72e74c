#pragma once

#include "flows/view_model.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/ui/frame.hpp"
#include "kiosk/ui/layout/column.hpp"
#include "kiosk/ui/text_metrics.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

// Actions of the composer itself, handled by the App: turning the content's pages.
inline constexpr const char* kPreviousPage = "page:previous";
inline constexpr const char* kNextPage = "page:next";

// Shared state of one layout pass: where to look up texts and measure them, the screen size,
// and the theme (colours and millimetre sizes on this panel).
struct LayoutContext {
  const flows::ViewModel& vm;
  const Catalog& catalog;
  TextMetrics& metrics;
  const Theme& theme;
  int width;
  int height;

  std::string text(const std::string& role) const;
  std::string text(const flows::TextRef& ref) const { return catalog.text(vm.language, ref); }

  // Wraps text into a label at (x, 0) no wider than w; records overflow and missing glyphs.
  Label label(const std::string& text, int x, int w, TextRole role, bool bold, Color color,
              Align align, Frame& frame) const;
  // A button at (0, 0) `w` wide, as tall as its label needs and at least a full target.
  // A PIN pad key's shape (○, ←) goes above its word, or beside it on a wide key.
  Button button(const flows::ActionView& action, int w, Frame& frame,
                TextRole role = TextRole::button, bool shape_beside = false) const;
  // The width a button needs to show its label on one line (at most `max`).
  int natural_width(const flows::ActionView& action, int max) const;
};

// The sizes and weights of text on nearly every screen with this theme: opened ahead at start.
std::vector<FontUse> usual_fonts(const Theme& theme);

// Lays out the view model's screen by its kind: the kiosk's tools and languages in a bar at the
// top, the actions in a row at the bottom (back and cancel on the left, the primary action on the
// right), the content between, broken into pages with buttons to turn them when it does not fit
// (`page` is the one shown).
Frame layout_screen(const flows::ViewModel& vm, const Catalog& catalog, TextMetrics& metrics,
                    const Theme& theme, int width, int height, int page = 0);

// A screen laid out, made the backdrop of a dialog: its colours dimmed (theme's palette), and
// nothing of it answering a touch or holding the keyboard's focus. Kept while the screen under a
// dialog stays the same: the dialog's frames (a countdown) lay out only the dialog.
std::shared_ptr<const Frame> dialog_backdrop(Frame screen, const Theme& theme);
// `vm` as a dialog over `backdrop`: its panel in the middle of the screen, as wide as
// mm::kDialogWidth allows and as high as its content needs.
Frame layout_dialog(const flows::ViewModel& vm, std::shared_ptr<const Frame> backdrop,
                    const Catalog& catalog, TextMetrics& metrics, const Theme& theme, int width,
                    int height);
// What the person sees: `vm` laid out (at `page`), or, given `beneath`, `vm` as a dialog over
// `beneath` laid out at `page`.
Frame layout_view(const flows::ViewModel& vm, const flows::ViewModel* beneath,
                  const Catalog& catalog, TextMetrics& metrics, const Theme& theme, int width,
                  int height, int page = 0);

// The content of each kind, stacked in a column.
void attract_content(const LayoutContext& ctx, Column& column, Frame& frame);
void choice_content(const LayoutContext& ctx, Column& column, Frame& frame);
void text_content(const LayoutContext& ctx, Column& column, Frame& frame);
// The view's meter (how far something has come) as a caption and a bar.
void add_meter(const LayoutContext& ctx, Column& column, Frame& frame);
// The PIN pad in a panel of its own down the right edge, from the top to the bottom margin: its
// enter key is where the primary action is on every screen. Digits in the telephone layout, or
// for an alphanumeric PIN the digits and the alphabet in reading order.
void place_pin_pad(const LayoutContext& ctx, Frame& frame);
int pin_pad_width(const Theme& theme, const flows::PinPadView& pad);
// The card's face photo at the top right of `content`.
void place_photo(const LayoutContext& ctx, const Rect& content, Frame& frame);
int photo_panel_width(const Theme& theme);
// The view's link as a QR code at the top right of `content`; returns the width it took. It is
// about qr_side() wide, at a whole number of pixels a module.
int place_qr_code(const LayoutContext& ctx, const Rect& content, Frame& frame);
int qr_side(const Theme& theme);
// The view's illustration (placing or taking a card) `width` pixels wide at the top right of
// `content`.
void place_illustration(const LayoutContext& ctx, const Rect& content, int width, Frame& frame);

}  // namespace mk::kiosk
