#include <algorithm>

#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

// The first thing a passer-by sees: the service name, what it does, and the call to start in
// both main languages, centred; the start button is the action row's.
void attract_content(const LayoutContext& ctx, Column& column, Frame& frame) {
  const Theme& theme = ctx.theme;
  const Palette& colors = theme.colors();
  const Rect& r = column.region();
  const int narrow = std::min(r.w, theme.mm(mm::kReadingWidth));
  const int narrow_x = r.x + (r.w - narrow) / 2;
  const int gap = theme.mm(mm::kGap);
  column.add(ctx.label(ctx.text("title"), r.x, r.w, TextRole::title, true, colors.text,
                       Align::center, frame),
             2 * gap);
  column.add(ctx.label(ctx.text("subtitle"), narrow_x, narrow, TextRole::body, false,
                       colors.text_muted, Align::center, frame),
             3 * gap);
  column.add(ctx.label(ctx.text("prompt"), r.x, r.w, TextRole::heading, true, colors.text,
                       Align::center, frame),
             gap / 2);
  column.add(ctx.label(ctx.text("prompt_other"), r.x, r.w, TextRole::small, false,
                       colors.text_muted, Align::center, frame),
             0);
}

}  // namespace mk::kiosk
