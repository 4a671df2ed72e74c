#include <algorithm>
#include <string>

#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

// A screen's texts top to bottom: title, a problem in red, the tries left, body, when the next
// step may start, lines of data;
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
                          Role{"body", TextRole::body, false, colors.text_muted, gap},
                          Role{"when", TextRole::body, true, colors.text, gap},
                          Role{"where", TextRole::body, false, colors.text, gap}}) {
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
  if (ctx.vm.meter) {
    add_meter(ctx, column, frame);
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

}  // namespace mk::kiosk
