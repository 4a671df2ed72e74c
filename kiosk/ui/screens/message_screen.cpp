#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

// A title, a paragraph and the screen's actions in a row at the bottom; back stays bottom left.
void layout_message(const LayoutContext& ctx, Frame& frame) {
  const int margin = ctx.px(theme::kMargin);
  const int column = ctx.width - 2 * margin;
  int y = ctx.px(80);
  for (const char* role : {"title", "body"}) {
    const bool title = std::string_view(role) == "title";
    const std::string text = ctx.text(role);
    if (text.empty()) {
      continue;
    }
    frame.labels.push_back(ctx.label(text, margin, y, std::min(column, ctx.px(1500)),
                                     ctx.font(title ? theme::kHeadingPx : theme::kBodyPx), title,
                                     title ? theme::kText : theme::kTextMuted, Align::left, frame));
    y += frame.labels.back().box.h + ctx.px(title ? 60 : 40);
  }
  layout_action_row(ctx, frame);
}

// The screen's actions in a row along the bottom, in reading order (back / cancel first).
void layout_action_row(const LayoutContext& ctx, Frame& frame) {
  const int margin = ctx.px(theme::kMargin);
  const int h = ctx.px(theme::kButtonHeight);
  const int bottom = ctx.height - margin / 2 - h;
  int x = margin;
  for (const auto& action : ctx.vm.actions) {
    const int w = ctx.px(action.style == flows::ActionStyle::back ? 360 : 560);
    frame.buttons.push_back(ctx.button(action, {x, bottom, w, h}, frame));
    x += w + ctx.px(40);
  }
}

}  // namespace mk::kiosk
