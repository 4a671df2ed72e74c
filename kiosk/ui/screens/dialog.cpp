// A dialog over the screen the person was on: the idle warning, the look panel.
#include <algorithm>

#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

namespace {

// How high the dialog must be: down to its content's lowest edge, then its action row.
int height_needed(const Frame& laid_out, int height, const Theme& theme) {
  int row_top = height;
  int row_bottom = 0;
  for (const auto& b : laid_out.buttons) {
    row_bottom = std::max(row_bottom, b.rect.y + b.rect.h);
  }
  for (const auto& b : laid_out.buttons) {
    if (b.rect.y + b.rect.h == row_bottom) {
      row_top = std::min(row_top, b.rect.y);
    }
  }
  int content_bottom = 0;
  const auto reach = [&](const Rect& r) {
    if (r.y < row_top) {
      content_bottom = std::max(content_bottom, r.y + r.h);
    }
  };
  for (const auto& label : laid_out.labels) {
    reach(label.box);
  }
  for (const auto& b : laid_out.buttons) {
    reach(b.rect);
  }
  for (const auto& shape : laid_out.shapes) {
    reach(shape.rect);
  }
  for (const auto& picture : laid_out.pictures) {
    reach(picture.box);
  }
  return content_bottom + theme.mm(mm::kGap) + (height - row_top);
}

void move_by(Frame& frame, int dx, int dy) {
  for (auto& label : frame.labels) {
    label.box.x += dx;
    label.box.y += dy;
  }
  for (auto& b : frame.buttons) {
    b.move_by(dx, dy);
  }
  for (auto& shape : frame.shapes) {
    shape.rect.x += dx;
    shape.rect.y += dy;
  }
  for (auto& picture : frame.pictures) {
    picture.box.x += dx;
    picture.box.y += dy;
  }
}

}  // namespace

Frame layout_dialog(const flows::ViewModel& vm, Frame backdrop, const Catalog& catalog,
                    TextMetrics& metrics, const Theme& chosen, int width, int height) {
  const int margin = chosen.mm(mm::kMargin);
  const int w = std::min(width - 2 * margin, chosen.mm(mm::kDialogWidth));
  const int most = height - 2 * margin;
  Frame dialog = layout_screen(vm, catalog, metrics, chosen, w, most);
  // A dialog has no pages to turn (they would turn the screen's behind it): text too large for
  // the panel is made smaller, to 1.5 times — the screen behind still shows the size chosen.
  const Theme smaller(chosen.px_per_mm(),
                      Look{std::min(chosen.look().text_scale, 1.5), chosen.look().contrast});
  const bool paged = dialog.button(kNextPage) != nullptr;
  if (paged && smaller.look() != chosen.look()) {
    dialog = layout_screen(vm, catalog, metrics, smaller, w, most);
  }
  const Theme& theme = paged ? smaller : chosen;
  if (dialog.button(kNextPage) != nullptr) {
    dialog.warnings.push_back(vm.screen + ": the dialog does not fit on the screen");
  }
  int h = most;
  if (const int needed = height_needed(dialog, most, theme); needed < most) {
    h = needed;
    dialog = layout_screen(vm, catalog, metrics, theme, w, h);
  }
  const int x = (width - w) / 2;
  const int y = (height - h) / 2;
  move_by(dialog, x, y);
  dialog.panel = Shape{{x, y, w, h},
                       theme.mm(mm::kRadius) * 2,
                       theme.colors().background,
                       theme.colors().text,
                       std::max(1, theme.mm(mm::kBorder))};
  // What was behind keeps no focus ring and answers no touch: the dialog is modal.
  for (auto& b : backdrop.buttons) {
    b.focus_ring_px = 0;
  }
  dialog.background_action.clear();
  dialog.backdrop = std::make_shared<const Frame>(std::move(backdrop));
  dialog.dim = theme.colors().dim;
  return dialog;
}

Frame layout_view(const flows::ViewModel& vm, const flows::ViewModel* beneath,
                  const Catalog& catalog, TextMetrics& metrics, const Theme& theme, int width,
                  int height, int page) {
  if (beneath == nullptr) {
    return layout_screen(vm, catalog, metrics, theme, width, height, page);
  }
  return layout_dialog(vm, layout_screen(*beneath, catalog, metrics, theme, width, height, page),
                       catalog, metrics, theme, width, height);
}

}  // namespace mk::kiosk
