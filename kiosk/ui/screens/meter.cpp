#include <algorithm>

#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

namespace {
constexpr double kMeterHeightMm = 8.0;  // seen at a glance from a step back
}  // namespace

// The caption, then a track in the border colour filled from the left in the primary colour as
// far as value / total.
void add_meter(const LayoutContext& ctx, Column& column, Frame& frame) {
  const flows::MeterView& meter = *ctx.vm.meter;
  if (meter.total <= 0) {
    return;
  }
  const Theme& theme = ctx.theme;
  const Palette& colors = theme.colors();
  const Rect& r = column.region();
  const int w = std::min(r.w, theme.mm(mm::kReadingWidth));
  const int gap = theme.mm(mm::kGap);
  if (!meter.caption.key.empty()) {
    column.add(ctx.label(ctx.text(meter.caption), r.x, w, TextRole::body, true, colors.text,
                         Align::left, frame),
               gap / 2);
  }
  Shape track;
  track.rect = {r.x, 0, w, theme.mm(kMeterHeightMm)};
  track.radius = track.rect.h / 2;
  track.fill = colors.background;
  track.border = colors.border;
  track.border_px = std::max(1, theme.mm(mm::kBorder));
  Shape done = track;
  const int inner = w - 2 * track.border_px;
  done.rect = {r.x + track.border_px, track.border_px,
               inner * std::clamp(meter.value, 0, meter.total) / meter.total,
               track.rect.h - 2 * track.border_px};
  done.radius = done.rect.h / 2;
  done.fill = colors.primary;
  done.border_px = 0;
  std::vector<Shape> bar = {track};
  if (done.rect.w > 0) {
    bar.push_back(done);
  }
  column.add(std::move(bar), gap);
}

}  // namespace mk::kiosk
