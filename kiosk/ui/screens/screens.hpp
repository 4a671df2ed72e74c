#pragma once

#include <cmath>

#include "flows/view_model.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/ui/frame.hpp"
#include "kiosk/ui/text_metrics.hpp"

namespace mk::kiosk {

// Shared state of one layout pass: where to look up texts and measure them, the screen size,
// and the scale (screen height / 1080 × large-text factor).
struct LayoutContext {
  const flows::ViewModel& vm;
  const Catalog& catalog;
  TextMetrics& metrics;
  int width;
  int height;
  double scale;       // geometry scale
  double text_scale;  // font scale (geometry scale × large-text setting)

  int px(int reference) const { return static_cast<int>(std::lround(reference * scale)); }
  int font(int reference) const { return static_cast<int>(std::lround(reference * text_scale)); }
  std::string text(const std::string& role) const;
  std::string text(const flows::TextRef& ref) const { return catalog.text(vm.language, ref); }

  // Wraps text into a label at (x, y) no wider than w; records overflow and missing glyphs.
  Label label(const std::string& text, int x, int y, int w, int px, bool bold, Color color,
              Align align, Frame& frame) const;
  Button button(const flows::ActionView& action, Rect rect, Frame& frame) const;
};

// Lays out the screen the view model names. An unknown screen id still gives a usable frame
// (its texts and actions in a column) and a warning.
Frame layout_screen(const flows::ViewModel& vm, const Catalog& catalog, TextMetrics& metrics,
                    int width, int height, double text_scale);

void layout_attract(const LayoutContext& ctx, Frame& frame);
void layout_menu(const LayoutContext& ctx, Frame& frame);
void layout_message(const LayoutContext& ctx, Frame& frame);
// The view's actions in a row along the bottom (message and flow screens).
void layout_action_row(const LayoutContext& ctx, Frame& frame);
// Screens of the flows (ids with a dot, e.g. "read_back.enter_pin").
void layout_flow(const LayoutContext& ctx, Frame& frame);

}  // namespace mk::kiosk
