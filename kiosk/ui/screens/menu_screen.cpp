#include <algorithm>
#include <string_view>

#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

namespace {

// Choices whose ids share what comes before their last ':' are one group ("look:text:1.5" and
// "look:text:2.0"); each group starts a row of its own.
std::string_view group_of(const std::string& id) {
  const auto colon = id.rfind(':');
  return colon == std::string::npos ? std::string_view() : std::string_view(id).substr(0, colon);
}

}  // namespace

// The answers to choose from as large buttons in reading order (left to right, then down): as
// many to a row (up to three) as fit with every label on one line, one to a row otherwise.
void choice_content(const LayoutContext& ctx, Column& column, Frame& frame) {
  const Theme& theme = ctx.theme;
  const Rect& r = column.region();
  const int gap = theme.mm(mm::kGap);
  std::vector<std::vector<const flows::ActionView*>> groups;
  for (const auto& a : ctx.vm.actions) {
    if (a.style != flows::ActionStyle::choice) {
      continue;
    }
    if (groups.empty() || group_of(groups.back().front()->id) != group_of(a.id)) {
      groups.emplace_back();
    }
    groups.back().push_back(&a);
  }
  for (const auto& choices : groups) {
    int per_row = std::min<int>(3, static_cast<int>(choices.size()));
    const auto width_of = [&](int n) { return (r.w - (n - 1) * gap) / n; };
    while (per_row > 1 && !std::all_of(choices.begin(), choices.end(), [&](const auto* a) {
             return ctx.natural_width(*a, r.w) <= width_of(per_row);
           })) {
      --per_row;
    }
    const int w = per_row > 1 ? width_of(per_row) : std::min(r.w, theme.mm(mm::kReadingWidth));
    const auto row_size = static_cast<size_t>(per_row);
    for (size_t i = 0; i < choices.size(); i += row_size) {
      std::vector<Button> row;
      int h = theme.mm(mm::kButtonHeight + 4);
      for (size_t j = i; j < std::min(choices.size(), i + row_size); ++j) {
        row.push_back(ctx.button(*choices[j], w, frame));
        row.back().move_by(r.x + static_cast<int>(j - i) * (w + gap), 0);
        h = std::max(h, row.back().rect.h);
      }
      for (auto& b : row) {
        b.label.box.y += (h - b.rect.h) / 2;
        b.rect.h = h;
      }
      column.add(std::move(row), gap);
    }
  }
}

}  // namespace mk::kiosk
