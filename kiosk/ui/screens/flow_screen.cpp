#include <string>

#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

namespace {

// The PIN pad: what is typed shown as dots, then 1–9, delete, 0, confirm in a 3 × 4 grid of
// large keys. Its buttons send "pin_pad:<key>"; the App keeps the digits.
int layout_pin_pad(const LayoutContext& ctx, const flows::PinPadView& pad, int x, int y,
                   Frame& frame) {
  const int key = ctx.px(150);
  const int gap = ctx.px(24);
  std::string dots;
  for (int i = 0; i < pad.max_length; ++i) {
    dots += i < pad.entered ? "●" : "○";
  }
  frame.labels.push_back(ctx.label(dots, x, y, 3 * key + 2 * gap, ctx.font(theme::kHeadingPx), true,
                                   theme::kText, Align::center, frame));
  y += frame.labels.back().box.h + gap;
  const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "delete", "0", "confirm"};
  for (int i = 0; i < 12; ++i) {
    const std::string k = keys[i];
    flows::ActionView action;
    action.id = "pin_pad:" + k;
    action.style = k == "confirm" ? flows::ActionStyle::primary : flows::ActionStyle::secondary;
    action.enabled = k != "confirm" || pad.entered >= pad.min_length;
    if (k == "delete" || k == "confirm") {
      action.label = {"pin_pad." + k, {}};
    } else {
      action.label = {"pin_pad.digit", {{"digit", k}}};
    }
    const Rect rect{x + (i % 3) * (key + gap), y + (i / 3) * (key + gap), key, key};
    frame.buttons.push_back(ctx.button(action, rect, frame));
  }
  return 3 * key + 2 * gap;
}

}  // namespace

// A flow's screen: title, body, a problem in red, the tries left, lines of data; a PIN pad on the
// right when the flow asks for one; the actions in a row at the bottom, back/cancel first.
void layout_flow(const LayoutContext& ctx, Frame& frame) {
  const int margin = ctx.px(theme::kMargin);
  int pad_width = 0;
  if (ctx.vm.pin_pad) {
    const int key = ctx.px(150);
    const int gap = ctx.px(24);
    pad_width = 3 * key + 2 * gap;
    layout_pin_pad(ctx, *ctx.vm.pin_pad, ctx.width - margin - pad_width, ctx.px(140), frame);
  }
  const int column = ctx.width - 2 * margin - (pad_width > 0 ? pad_width + ctx.px(80) : 0);
  int y = ctx.px(80);
  struct Role {
    const char* name;
    int size;
    bool bold;
    Color color;
    int after;
  };
  for (const Role role : {Role{"title", theme::kHeadingPx, true, theme::kText, 50},
                          Role{"body", theme::kBodyPx, false, theme::kTextMuted, 36},
                          Role{"problem", theme::kBodyPx, true, theme::kProblem, 24},
                          Role{"tries", theme::kBodyPx, false, theme::kText, 36}}) {
    const std::string text = ctx.text(role.name);
    if (text.empty()) {
      continue;
    }
    frame.labels.push_back(ctx.label(text, margin, y, std::min(column, ctx.px(1500)),
                                     ctx.font(role.size), role.bold, role.color, Align::left,
                                     frame));
    y += frame.labels.back().box.h + ctx.px(role.after);
  }
  for (const auto& detail : ctx.vm.details) {
    frame.labels.push_back(ctx.label(ctx.text(detail), margin, y, std::min(column, ctx.px(1500)),
                                     ctx.font(theme::kSmallPx), false, theme::kText, Align::left,
                                     frame));
    y += frame.labels.back().box.h + ctx.px(14);
  }
  // What happens next (the new plastic licence comes later, ...), after the data it is about;
  // then what the person must still do elsewhere (an address change to report).
  for (const char* role : {"note", "address"}) {
    if (const std::string note = ctx.text(role); !note.empty()) {
      y += ctx.px(22);
      frame.labels.push_back(ctx.label(note, margin, y, std::min(column, ctx.px(1500)),
                                       ctx.font(theme::kBodyPx), true, theme::kText, Align::left,
                                       frame));
      y += frame.labels.back().box.h;
    }
  }
  const int limit = ctx.height - margin / 2 - ctx.px(theme::kButtonHeight) - ctx.px(20);
  if (y > limit) {
    frame.warnings.push_back(ctx.vm.screen + ": the texts run into the buttons");
  }
  layout_action_row(ctx, frame);
}

}  // namespace mk::kiosk
