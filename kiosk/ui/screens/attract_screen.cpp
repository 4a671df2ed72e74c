#include <algorithm>

#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

// The first thing a passer-by sees: the service name, what it does, one big start button, and
// the language buttons. A touch anywhere but a language button starts.
void layout_attract(const LayoutContext& ctx, Frame& frame) {
  const int margin = ctx.px(theme::kMargin);
  const int column = ctx.width - 2 * margin;
  int y = ctx.px(220);
  frame.labels.push_back(ctx.label(ctx.text("title"), margin, y, column, ctx.font(theme::kTitlePx),
                                   true, theme::kText, Align::center, frame));
  y += frame.labels.back().box.h + ctx.px(40);
  const int narrow = std::min(column, ctx.px(1400));
  frame.labels.push_back(ctx.label(ctx.text("subtitle"), (ctx.width - narrow) / 2, y, narrow,
                                   ctx.font(theme::kBodyPx), false, theme::kTextMuted,
                                   Align::center, frame));
  y += frame.labels.back().box.h + ctx.px(60);

  frame.labels.push_back(ctx.label(ctx.text("prompt"), margin, y, column,
                                   ctx.font(theme::kHeadingPx), true, theme::kText, Align::center,
                                   frame));
  y += frame.labels.back().box.h + ctx.px(8);
  frame.labels.push_back(ctx.label(ctx.text("prompt_other"), margin, y, column,
                                   ctx.font(theme::kSmallPx), false, theme::kTextMuted,
                                   Align::center, frame));
  y += frame.labels.back().box.h + ctx.px(40);

  // Language buttons sit top right, where kiosks keep them, clear of the content below.
  const int language_h = ctx.px(theme::kButtonHeight - 20);
  const int language_w = ctx.px(320);
  const int language_y = margin / 2;
  int language_x = ctx.width - margin;
  for (auto it = ctx.vm.actions.rbegin(); it != ctx.vm.actions.rend(); ++it) {
    if (it->style == flows::ActionStyle::language) {
      language_x -= language_w;
      frame.buttons.push_back(
          ctx.button(*it, {language_x, language_y, language_w, language_h}, frame));
      language_x -= ctx.px(32);
    }
  }
  // Large text can push the start button off the screen: move the texts up into the space
  // above them, as far as the language buttons allow.
  const int bottom = ctx.height - margin / 2;
  const int top_limit = language_y + language_h + ctx.px(24);
  const int overflow = y + ctx.px(theme::kButtonHeight) - bottom;
  if (overflow > 0 && !frame.labels.empty()) {
    const int shift = std::min(overflow, frame.labels.front().box.y - top_limit);
    for (auto& label : frame.labels) {
      label.box.y -= shift;
    }
    y -= shift;
  }
  for (const auto& action : ctx.vm.actions) {
    if (action.id == "start") {
      const int w = ctx.px(760);
      const int h = std::clamp(bottom - y, ctx.px(theme::kButtonHeight), ctx.px(200));
      frame.buttons.push_back(ctx.button(action, {(ctx.width - w) / 2, y, w, h}, frame));
      frame.background_action = action.id;
    }
  }
}

}  // namespace mk::kiosk
