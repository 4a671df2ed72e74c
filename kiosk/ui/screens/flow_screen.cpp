#include <algorithm>
#include <string>

#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

// A screen's texts top to bottom: title, a problem in red, the tries left, body, lines of data;
// what happens next and what the person must still do elsewhere after the data they are about.
// While the kiosk works with a card, it says not to move it.
void text_content(const LayoutContext& ctx, Column& column, Frame& frame) {
  const Theme& theme = ctx.theme;
  const Palette& colors = theme.colors();
  const Rect& r = column.region();
  const int w = std::min(r.w, theme.mm(mm::kReadingWidth));
  const int gap = theme.mm(mm::kGap);
  struct Role {
    const char* name;
    TextRole size;
    bool bold;
    Color color;
    int after;
  };
  // What went wrong and the tries left come before the instructions: on a long screen they
  // stay on the first page.
  for (const Role role : {Role{"title", TextRole::heading, true, colors.text, 2 * gap},
                          Role{"problem", TextRole::body, true, colors.problem, gap},
                          Role{"tries", TextRole::body, true, colors.text, gap},
                          Role{"body", TextRole::body, false, colors.text_muted, gap}}) {
    if (const std::string text = ctx.text(role.name); !text.empty()) {
      column.add(ctx.label(text, r.x, w, role.size, role.bold, role.color, Align::left, frame),
                 role.after);
    }
  }
  if (ctx.vm.kind == flows::ScreenKind::progress) {
    column.add(ctx.label(ctx.text(flows::TextRef{"progress.keep_card", {}}), r.x, w, TextRole::body,
                         true, colors.text, Align::left, frame),
               gap);
  }
  for (const auto& detail : ctx.vm.details) {
    column.add(ctx.label(ctx.text(detail), r.x, w, TextRole::small, false, colors.text, Align::left,
                         frame),
               gap / 2);
  }
  for (const char* role : {"note", "address"}) {
    if (const std::string note = ctx.text(role); !note.empty()) {
      column.add(ctx.label(note, r.x, w, TextRole::body, true, colors.text, Align::left, frame),
                 gap);
    }
  }
}

int pin_pad_width(const Theme& theme) {
  return 3 * theme.mm(mm::kPinKeyWidth) + 2 * theme.mm(mm::kPinGap);
}

// What is typed shown as dots, then 1–9, clear, 0, enter in the telephone layout, never
// shuffled. Its buttons send "pin_pad:<key>"; the App keeps the digits.
void place_pin_pad(const LayoutContext& ctx, Frame& frame) {
  const Theme& theme = ctx.theme;
  const flows::PinPadView& pad = *ctx.vm.pin_pad;
  const int key_w = theme.mm(mm::kPinKeyWidth);
  const int key_h = theme.mm(mm::kPinKeyHeight);
  const int gap = theme.mm(mm::kPinGap);
  const int width = pin_pad_width(theme);
  const int x = ctx.width - theme.mm(mm::kMargin) - width;
  const int bottom = ctx.height - theme.mm(mm::kMargin) / 2;
  const int keys_top = bottom - 4 * key_h - 3 * gap;
  std::string dots;
  for (int i = 0; i < pad.max_length; ++i) {
    dots += i < pad.entered ? "●" : "○";
  }
  Label shown =
      ctx.label(dots, x, width, TextRole::symbol, true, theme.colors().text, Align::center, frame);
  shown.box.y = keys_top - gap - shown.box.h;
  if (shown.box.y < theme.mm(mm::kMargin) / 2) {
    frame.warnings.push_back(ctx.vm.screen + ": the PIN pad is taller than the screen");
  }
  frame.labels.push_back(std::move(shown));
  const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "delete", "0", "confirm"};
  for (int i = 0; i < 12; ++i) {
    const std::string k = keys[i];
    flows::ActionView action;
    action.id = "pin_pad:" + k;
    action.style = k == "confirm" ? flows::ActionStyle::primary : flows::ActionStyle::secondary;
    action.enabled = k != "confirm" || pad.entered >= pad.min_length;
    const bool digit = k != "delete" && k != "confirm";
    action.label = digit ? flows::TextRef{"pin_pad.digit", {{"digit", k}}}
                         : flows::TextRef{"pin_pad." + k, {}};
    Button b = ctx.button(action, key_w, frame, digit ? TextRole::symbol : TextRole::key);
    if (b.rect.h > key_h) {
      frame.warnings.push_back(ctx.vm.screen + ": the label of " + action.id +
                               " is taller than its key");
    }
    b.label.box.y += (key_h - b.rect.h) / 2;
    b.rect.h = key_h;
    b.move_by(x + (i % 3) * (key_w + gap), keys_top + (i / 3) * (key_h + gap));
    frame.buttons.push_back(std::move(b));
  }
}

}  // namespace mk::kiosk
