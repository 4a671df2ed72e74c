#include <algorithm>

#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

// The procedures as a grid of large buttons, in reading order (left to right, then down): two
// columns, three when more than six procedures would not fit above the back button, which stays
// at the bottom left where every screen keeps it.
void layout_menu(const LayoutContext& ctx, Frame& frame) {
  const int margin = ctx.px(theme::kMargin);
  frame.labels.push_back(ctx.label(ctx.text("title"), margin, ctx.px(80), ctx.width - 2 * margin,
                                   ctx.font(theme::kHeadingPx), true, theme::kText, Align::left,
                                   frame));
  const int top = frame.labels.back().box.y + frame.labels.back().box.h + ctx.px(60);
  const int gap = ctx.px(40);
  const auto procedures =
      std::count_if(ctx.vm.actions.begin(), ctx.vm.actions.end(),
                    [](const auto& a) { return a.style != flows::ActionStyle::back; });
  const int columns = procedures > 6 ? 3 : 2;
  const int w = (ctx.width - 2 * margin - (columns - 1) * gap) / columns;
  // Tall enough for a two-line label in large-text mode.
  const int two_lines = 2 * ctx.metrics.line_height(ctx.font(theme::kButtonPx), false) + ctx.px(16);
  const int h = std::max(ctx.px(theme::kButtonHeight + 30), two_lines);
  int index = 0;
  for (const auto& action : ctx.vm.actions) {
    if (action.style == flows::ActionStyle::back) {
      const Rect rect{margin, ctx.height - margin / 2 - ctx.px(theme::kButtonHeight), ctx.px(360),
                      ctx.px(theme::kButtonHeight)};
      frame.buttons.push_back(ctx.button(action, rect, frame));
      continue;
    }
    const Rect rect{margin + (index % columns) * (w + gap), top + (index / columns) * (h + gap), w,
                    h};
    frame.buttons.push_back(ctx.button(action, rect, frame));
    ++index;
  }
}

}  // namespace mk::kiosk
