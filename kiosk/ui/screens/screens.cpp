#include "kiosk/ui/screens/screens.hpp"

#include <algorithm>

#include "kiosk/ui/line_breaker.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

std::string LayoutContext::text(const std::string& role) const {
  const auto it = vm.texts.find(role);
  if (it == vm.texts.end()) {
    return {};
  }
  return catalog.text(vm.language, it->second);
}

Label LayoutContext::label(const std::string& text, int x, int y, int w, int size, bool bold,
                           Color color, Align align, Frame& frame) const {
  Label label;
  label.px = size;
  label.bold = bold;
  label.color = color;
  label.align = align;
  label.line_height = metrics.line_height(size, bold);
  const WrappedText wrapped =
      wrap_text(text, w, [&](std::string_view run) { return metrics.width(run, size, bold); });
  if (wrapped.overflowed) {
    frame.warnings.push_back(vm.screen + ": text does not fit its width (" + std::to_string(w) +
                             " px): \"" + text + "\"");
  }
  const std::string missing = metrics.missing_glyphs(text, size, bold);
  if (!missing.empty()) {
    frame.warnings.push_back(vm.screen + ": the font cannot draw " + missing + " in \"" + text +
                             "\"");
  }
  label.lines = wrapped.lines;
  label.box = {x, y, w, label.line_height * static_cast<int>(label.lines.size())};
  return label;
}

Button LayoutContext::button(const flows::ActionView& action, Rect rect, Frame& frame) const {
  Button b;
  b.action = action.id;
  b.rect = rect;
  b.radius = px(theme::kRadius);
  b.enabled = action.enabled;
  bool bold = false;
  switch (action.style) {
    case flows::ActionStyle::primary:
      b.fill = theme::kPrimary;
      b.border = theme::kPrimary;
      b.text = theme::kOnPrimary;
      bold = true;
      break;
    case flows::ActionStyle::language:
      // The language in use is the disabled one: drawn selected (filled, thick border).
      b.selected = !action.enabled;
      b.fill = b.selected ? theme::kPrimary : theme::kSecondary;
      b.border = theme::kPrimary;
      b.text = b.selected ? theme::kOnPrimary : theme::kPrimary;
      b.border_px = px(b.selected ? 6 : 3);
      bold = b.selected;
      break;
    case flows::ActionStyle::secondary:
    case flows::ActionStyle::back:
      b.fill = theme::kSecondary;
      b.border = theme::kBorder;
      b.text = theme::kText;
      b.border_px = px(3);
      break;
  }
  const int pad = px(24);
  const int size = font(theme::kButtonPx);
  b.label = label(text(action.label), rect.x + pad, 0, rect.w - 2 * pad, size, bold, b.text,
                  Align::center, frame);
  if (b.label.box.h > rect.h - px(8)) {
    frame.warnings.push_back(vm.screen + ": label of \"" + action.id +
                             "\" is taller than its button");
  }
  b.label.box.y = rect.y + (rect.h - b.label.box.h) / 2;
  return b;
}

Frame layout_screen(const flows::ViewModel& vm, const Catalog& catalog, TextMetrics& metrics,
                    int width, int height, double text_scale) {
  const double scale = std::min(width / 1920.0, height / 1080.0);
  const LayoutContext ctx{vm, catalog, metrics, width, height, scale, scale * text_scale};
  Frame frame;
  frame.screen = vm.screen;
  frame.background = theme::kBackground;
  if (vm.screen == "attract") {
    layout_attract(ctx, frame);
  } else if (vm.screen == "menu") {
    layout_menu(ctx, frame);
  } else if (vm.screen.find('.') != std::string::npos) {
    layout_flow(ctx, frame);
  } else {
    if (vm.screen != "unavailable" && vm.screen != "out_of_service") {
      frame.warnings.push_back("no layout for screen \"" + vm.screen + "\"; shown as a message");
    }
    layout_message(ctx, frame);
  }
  return frame;
}

}  // namespace mk::kiosk
