// A dialog over the screen the person was on: the idle warning, the look panel.
#include <algorithm>

#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

namespace {

// Makes a dialog laid out `height` high only as high as it needs: down to its content's lowest
// edge, then its action row, which moves up (as a layout at that height would place it). Returns
// the height.
int fit_to_content(Frame& laid_out, int height, const Theme& theme) {
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
  const int needed = content_bottom + theme.mm(mm::kGap) + (height - row_top);
  if (needed >= height) {
    return height;
  }
  for (auto& b : laid_out.buttons) {
    if (b.rect.y >= row_top) {
      b.move_by(0, needed - height);
    }
  }
  return needed;
}

Color mixed(Color c, Color dim) {
  const auto mix = [&](uint8_t from, uint8_t to) {
    return static_cast<uint8_t>((from * (255 - dim.a) + to * dim.a + 127) / 255);
  };
  return {mix(c.r, dim.r), mix(c.g, dim.g), mix(c.b, dim.b), c.a};
}

// The screen behind a dialog, its colours already mixed with `dim`: drawn as any screen is, with
// no blending over the whole screen afterwards (the software renderer takes ~16 ms for that at
// full HD, twice the frame time allowed).
Frame dimmed(Frame frame, Color dim) {
  frame.background = mixed(frame.background, dim);
  for (auto& label : frame.labels) {
    label.color = mixed(label.color, dim);
  }
  for (auto& b : frame.buttons) {
    b.fill = mixed(b.fill, dim);
    b.border = mixed(b.border, dim);
    b.text = mixed(b.text, dim);
    b.label.color = mixed(b.label.color, dim);
    b.focus_ring_px = 0;  // the dialog has the keyboard's focus
  }
  for (auto& shape : frame.shapes) {
    shape.fill = mixed(shape.fill, dim);
    shape.border = mixed(shape.border, dim);
  }
  for (auto& picture : frame.pictures) {
    auto& px = picture.image.rgba;
    for (size_t i = 0; i + 3 < px.size(); i += 4) {
      const Color c = mixed({px[i], px[i + 1], px[i + 2], px[i + 3]}, dim);
      px[i] = c.r;
      px[i + 1] = c.g;
      px[i + 2] = c.b;
    }
  }
  return frame;
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

std::shared_ptr<const Frame> dialog_backdrop(Frame screen, const Theme& theme) {
  screen.background_action.clear();
  return std::make_shared<const Frame>(dimmed(std::move(screen), theme.colors().dim));
}

Frame layout_dialog(const flows::ViewModel& vm, std::shared_ptr<const Frame> backdrop,
                    const Catalog& catalog, TextMetrics& metrics, const Theme& chosen, int width,
                    int height) {
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
  const int h = fit_to_content(dialog, most, theme);
  const int x = (width - w) / 2;
  const int y = (height - h) / 2;
  move_by(dialog, x, y);
  dialog.panel = Shape{{x, y, w, h},
                       theme.mm(mm::kRadius) * 2,
                       theme.colors().background,
                       theme.colors().text,
                       std::max(1, theme.mm(mm::kBorder))};
  // What is behind answers no touch: the dialog is modal.
  dialog.background_action.clear();
  dialog.backdrop = std::move(backdrop);
  return dialog;
}

Frame layout_view(const flows::ViewModel& vm, const flows::ViewModel* beneath,
                  const Catalog& catalog, TextMetrics& metrics, const Theme& theme, int width,
                  int height, int page) {
  if (beneath == nullptr) {
    return layout_screen(vm, catalog, metrics, theme, width, height, page);
  }
  return layout_dialog(
      vm,
      dialog_backdrop(layout_screen(*beneath, catalog, metrics, theme, width, height, page), theme),
      catalog, metrics, theme, width, height);
}

}  // namespace mk::kiosk
