#include "kiosk/ui/screens/screens.hpp"

#include <algorithm>
#include <optional>

#include "kiosk/ui/line_breaker.hpp"

namespace mk::kiosk {

using flows::ActionStyle;
using flows::ActionView;

std::string LayoutContext::text(const std::string& role) const {
  const auto it = vm.texts.find(role);
  if (it == vm.texts.end()) {
    return {};
  }
  return catalog.text(vm.language, it->second);
}

Label LayoutContext::label(const std::string& text, int x, int w, TextRole role, bool bold,
                           Color color, Align align, Frame& frame) const {
  Label label;
  label.px = theme.font(role);
  label.bold = bold;
  label.color = color;
  label.align = align;
  label.line_height = metrics.line_height(label.px, bold);
  const WrappedText wrapped =
      wrap_text(text, w, [&](std::string_view run) { return metrics.width(run, label.px, bold); });
  if (wrapped.overflowed) {
    frame.warnings.push_back(vm.screen + ": text does not fit its width (" + std::to_string(w) +
                             " px): \"" + text + "\"");
  }
  const std::string missing = metrics.missing_glyphs(text, label.px, bold);
  if (!missing.empty()) {
    frame.warnings.push_back(vm.screen + ": the font cannot draw " + missing + " in \"" + text +
                             "\"");
  }
  label.lines = wrapped.lines;
  label.box = {x, 0, w, label.line_height * static_cast<int>(label.lines.size())};
  return label;
}

namespace {

// Keys and actions marked by shape as well as colour (../shared/accessibility.md): enter ○,
// clear ←, cancel ×.
// A choice that may be taken back: ■ chosen, □ not (squares every CJK face has).
std::string shape_of(const ActionView& action) {
  if (action.id == "pin_pad:confirm") {
    return "○\n";
  }
  if (action.id == "pin_pad:delete") {
    return "←\n";
  }
  if (action.id == "cancel") {
    return "× ";
  }
  if (action.checked) {
    return *action.checked ? "■ " : "□ ";
  }
  return {};
}

bool bold_label(const ActionView& action) {
  return action.style == ActionStyle::primary ||
         ((action.style == ActionStyle::language || action.style == ActionStyle::choice) &&
          !action.enabled);
}

}  // namespace

std::vector<FontUse> usual_fonts(const Theme& theme) {
  std::vector<FontUse> fonts;
  // Body text, the titles and headings (bold), and buttons (the primary one bold).
  for (const FontUse use :
       {FontUse{theme.font(TextRole::body), false}, FontUse{theme.font(TextRole::body), true},
        FontUse{theme.font(TextRole::title), true}, FontUse{theme.font(TextRole::heading), true},
        FontUse{theme.font(TextRole::button), false},
        FontUse{theme.font(TextRole::button), true}}) {
    if (std::find(fonts.begin(), fonts.end(), use) == fonts.end()) {
      fonts.push_back(use);
    }
  }
  return fonts;
}

int LayoutContext::natural_width(const ActionView& action, int max) const {
  const int pad = theme.mm(mm::kGap);
  const int px = theme.font(TextRole::button);
  const int w =
      metrics.width(shape_of(action) + text(action.label), px, bold_label(action)) + 2 * pad;
  return std::min(max, std::max(w, theme.mm(mm::kMinTarget + 4)));
}

Button LayoutContext::button(const ActionView& action, int w, Frame& frame, TextRole role,
                             bool shape_beside) const {
  const Palette& colors = theme.colors();
  Button b;
  b.action = action.id;
  b.radius = theme.mm(mm::kRadius);
  b.enabled = action.enabled;
  switch (action.style) {
    case ActionStyle::primary:
      b.fill = colors.primary;
      b.border = colors.primary;
      b.text = colors.on_primary;
      // High contrast: the yellow fill's edge is the white line the other buttons have too.
      b.border_px = theme.look().contrast == Contrast::high ? theme.mm(mm::kBorder) : 0;
      if (b.border_px > 0) {
        b.border = colors.border;
      }
      break;
    case ActionStyle::language:
    case ActionStyle::choice:
      // The option in use is the disabled one: drawn selected (filled, thick border); a choice
      // that may be taken back is selected while enabled.
      b.selected = !action.enabled || action.checked.value_or(false);
      b.fill = b.selected ? colors.primary : colors.secondary;
      b.border = b.selected ? colors.border : colors.primary;
      b.text = b.selected ? colors.on_primary : colors.on_secondary;
      b.border_px = theme.mm(b.selected ? mm::kBorderSelected : mm::kBorder);
      break;
    case ActionStyle::secondary:
    case ActionStyle::back:
    case ActionStyle::tool:
      b.fill = colors.secondary;
      b.border = colors.border;
      b.text = colors.on_secondary;
      b.border_px = theme.mm(mm::kBorder);
      break;
  }
  if (!action.enabled && action.style != ActionStyle::language &&
      action.style != ActionStyle::choice) {
    // Not yet possible (enter before the PIN is complete): not filled, as a frame on the page.
    b.fill = colors.background;
    b.border = colors.text_muted;
    b.text = colors.text_muted;
    b.border_px = theme.mm(mm::kBorder);
  }
  const int pad = theme.mm(role == TextRole::button ? mm::kGap : mm::kSmallGap);
  std::string shape = shape_of(action);
  if (shape_beside && !shape.empty() && shape.back() == '\n') {
    shape.back() = ' ';
  }
  b.label = label(shape + text(action.label), pad, w - 2 * pad, role, bold_label(action), b.text,
                  Align::center, frame);
  const int h = std::max(theme.mm(mm::kButtonHeight), b.label.box.h + 2 * theme.mm(mm::kSmallGap));
  b.rect = {0, 0, w, h};
  b.label.box.y = (h - b.label.box.h) / 2;
  return b;
}

namespace {

bool in_top_bar(const ActionView& a) {
  return a.style == ActionStyle::language || a.style == ActionStyle::tool;
}

// Back and cancel first (left), other actions, the primary action last (right).
int rank(const ActionView& a) {
  switch (a.style) {
    case ActionStyle::back:
      return 0;
    case ActionStyle::primary:
      return 2;
    default:
      return 1;
  }
}

constexpr double kToolMaxMm = 120;

// Languages and tools at the top right, in the view's order; returns the bar's bottom edge.
int place_top_bar(const LayoutContext& ctx, Frame& frame) {
  const Theme& theme = ctx.theme;
  const int top = theme.mm(mm::kMargin) / 2;
  int x = ctx.width - theme.mm(mm::kMargin);
  int bottom = top;
  for (auto it = ctx.vm.actions.rbegin(); it != ctx.vm.actions.rend(); ++it) {
    if (!in_top_bar(*it)) {
      continue;
    }
    // Wide enough for a short phrase on one line at the largest text ("係員を呼ぶ" at 2.0): a
    // tool's words are few, and a line broken inside them reads badly.
    const int w = ctx.natural_width(*it, theme.mm(kToolMaxMm));
    Button b = ctx.button(*it, w, frame);
    x -= w;
    b.move_by(x, top);
    x -= theme.mm(mm::kGap);
    bottom = std::max(bottom, top + b.rect.h);
    frame.buttons.push_back(std::move(b));
  }
  return bottom;
}

// The actions in a row along the bottom, and a diagnostic code if the view has one; returns the
// top edge of what it placed.
int place_action_row(const LayoutContext& ctx, Frame& frame) {
  const Theme& theme = ctx.theme;
  const int margin = theme.mm(mm::kMargin);
  const bool choices_in_content = ctx.vm.kind == flows::ScreenKind::choice;
  std::vector<ActionView> row;
  for (const auto& a : ctx.vm.actions) {
    if (!in_top_bar(a) && !(choices_in_content && a.style == ActionStyle::choice)) {
      row.push_back(a);
    }
  }
  if (row.empty()) {
    return ctx.height - margin / 2;
  }
  std::stable_sort(row.begin(), row.end(),
                   [](const ActionView& a, const ActionView& b) { return rank(a) < rank(b); });
  const int gap = theme.mm(mm::kGap);
  const int n = static_cast<int>(row.size());
  const int available = ctx.width - 2 * margin;
  const int share = (available - (n - 1) * gap) / n;
  std::vector<Button> buttons;
  int h = 0;
  for (const auto& a : row) {
    const int w =
        ctx.vm.kind == flows::ScreenKind::attract
            ? std::min(available, theme.mm(200))
            : std::clamp(ctx.natural_width(a, share), std::min(theme.mm(55), share), share);
    buttons.push_back(ctx.button(a, w, frame));
    h = std::max(h, buttons.back().rect.h);
  }
  const int top = ctx.height - margin / 2 - h;
  // Back and cancel from the left edge; the rest from the right edge, the primary last.
  int left = margin;
  int right = ctx.width - margin;
  for (size_t i = 0; i < buttons.size(); ++i) {
    Button& b = buttons[i];
    b.label.box.y += (h - b.rect.h) / 2;
    b.rect.h = h;
    if (rank(row[i]) == 0) {
      b.move_by(left, top);
      left += b.rect.w + gap;
    }
  }
  for (size_t i = buttons.size(); i-- > 0;) {
    Button& b = buttons[i];
    if (rank(row[i]) != 0) {
      right -= b.rect.w;
      b.move_by(ctx.vm.kind == flows::ScreenKind::attract ? (ctx.width - b.rect.w) / 2 : right,
                top);
      right -= gap;
    }
  }
  for (auto& b : buttons) {
    frame.buttons.push_back(std::move(b));
  }
  // A diagnostic code for staff: small, in the row between the buttons where it fits, else on a
  // line of its own just above them — never among the person's texts, and only pushing them onto
  // another page when the row has no room.
  const std::string code = ctx.text("diagnostic");
  if (code.empty() || ctx.vm.kind == flows::ScreenKind::attract) {
    return top;
  }
  const int px = theme.font(TextRole::small);
  const int code_w = ctx.metrics.width(code, px, false);
  const bool in_row = code_w <= right - left;
  Label line = ctx.label(code, in_row ? left : margin, in_row ? right - left : available,
                         TextRole::small, false, theme.colors().text_muted, Align::left, frame);
  line.box.y = in_row ? top + (h - line.box.h) / 2 : top - gap / 2 - line.box.h;
  const int row_top = in_row ? top : line.box.y - gap / 2;
  frame.labels.push_back(std::move(line));
  return row_top;
}

// The sizes an illustration is tried at, largest first.
constexpr double kIllustrationWidthsMm[] = {110.0, 80.0, 55.0};

Column fill(const LayoutContext& ctx, const Rect& region, Frame& frame) {
  Column column(region);
  if (ctx.vm.kind == flows::ScreenKind::attract) {
    attract_content(ctx, column, frame);
  } else {
    text_content(ctx, column, frame);
    if (ctx.vm.kind == flows::ScreenKind::choice) {
      choice_content(ctx, column, frame);
    }
  }
  return column;
}

// ▲, "2 / 3" and ▼ down the right edge of the content.
void place_page_controls(const LayoutContext& ctx, const Rect& region, int page, int pages,
                         Frame& frame) {
  const Theme& theme = ctx.theme;
  const int w = theme.mm(mm::kMinTarget + 4);
  const int x = region.x + region.w - w;
  const auto control = [&](const char* id, const char* key, bool enabled, int y) {
    Button b = ctx.button({id, {key, {}}, ActionStyle::secondary, enabled, {}}, w, frame,
                          TextRole::symbol);
    b.move_by(x, y);
    frame.buttons.push_back(std::move(b));
    return frame.buttons.back().rect.h;
  };
  const int up_h = control(kPreviousPage, "page.previous", page > 0, region.y);
  Label where = ctx.label(
      ctx.text(flows::TextRef{
          "page.position", {{"page", std::to_string(page + 1)}, {"pages", std::to_string(pages)}}}),
      x, w, TextRole::symbol, true, theme.colors().text, Align::center, frame);
  where.box.y = region.y + up_h + theme.mm(mm::kSmallGap);
  const int down_y = where.box.y + where.box.h + theme.mm(mm::kSmallGap);
  frame.labels.push_back(std::move(where));
  control(kNextPage, "page.next", page + 1 < pages, down_y);
}

}  // namespace

Frame layout_screen(const flows::ViewModel& vm, const Catalog& catalog, TextMetrics& metrics,
                    const Theme& theme, int width, int height, int page) {
  Frame frame;
  frame.screen = vm.screen;
  frame.background = theme.colors().background;
  const int margin = theme.mm(mm::kMargin);
  const int gap = theme.mm(mm::kGap);
  if (vm.pin_pad) {
    place_pin_pad({vm, catalog, metrics, theme, width, height}, frame);
  }
  // Everything else lays out left of the PIN pad's panel.
  const int panel = vm.pin_pad ? pin_pad_width(theme, *vm.pin_pad) + 2 * gap : 0;
  const LayoutContext ctx{vm, catalog, metrics, theme, width - panel, height};
  const int top = place_top_bar(ctx, frame) + gap;
  const int bottom = place_action_row(ctx, frame) - gap;
  Rect content{margin, top, ctx.width - 2 * margin, bottom - top};
  if (!vm.photo.empty()) {
    place_photo(ctx, content, frame);
    content.w -= photo_panel_width(theme) + 2 * gap;
  } else if (!vm.qr_code.empty()) {
    content.w -= place_qr_code(ctx, content, frame) + 2 * gap;
  }
  Frame scratch;
  std::optional<Column> column;
  if (vm.photo.empty() && vm.qr_code.empty() && vm.illustration != flows::Illustration::none) {
    // As large as the words leave room for on one page: large text on a small panel gets a
    // smaller picture rather than more pages to turn. The words laid out beside the size chosen
    // are the column.
    int drawing = 0;
    for (const double size_mm : kIllustrationWidthsMm) {
      drawing = theme.mm(size_mm);
      Rect beside = content;
      beside.w -= drawing + 2 * gap;
      scratch = Frame{};
      column = fill(ctx, beside, scratch);
      if (column->pages() == 1) {
        break;
      }
    }
    place_illustration(ctx, content, drawing, frame);
    content.w -= drawing + 2 * gap;
  } else {
    column = fill(ctx, content, scratch);
  }
  if (column->pages() > 1) {
    // Too much for one page: make room for the page controls and lay the content out again.
    const int controls = theme.mm(mm::kMinTarget + 4) + gap;
    scratch = Frame{};
    Rect narrower = content;
    narrower.w -= controls;
    column = fill(ctx, narrower, scratch);
    place_page_controls(ctx, content, std::clamp(page, 0, column->pages() - 1), column->pages(),
                        frame);
  }
  frame.warnings.insert(frame.warnings.end(), scratch.warnings.begin(), scratch.warnings.end());
  if (column->too_tall()) {
    frame.warnings.push_back(vm.screen + ": a block is taller than the content area");
  }
  column->place(page, frame);
  if (vm.kind == flows::ScreenKind::attract) {
    for (const auto& a : vm.actions) {
      if (a.style == ActionStyle::primary) {
        frame.background_action = a.id;  // a touch anywhere starts
      }
    }
  }
  return frame;
}

}  // namespace mk::kiosk
