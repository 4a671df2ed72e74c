#include "kiosk/ui/layout/column.hpp"

#include <algorithm>

namespace mk::kiosk {

void Column::make_room(int height) {
  if (y_ + height > region_.y + region_.h) {
    if (!top_of_page_) {
      pages_.emplace_back();
      y_ = region_.y;
    }
    if (height > region_.h) {
      too_tall_ = true;
    }
  }
  top_of_page_ = false;
}

void Column::add(const Label& label, int gap_after) {
  Label part = label;
  part.lines.clear();
  for (const auto& line : label.lines) {
    const size_t page = pages_.size();
    make_room(label.line_height);
    if (pages_.size() != page && !part.lines.empty()) {
      pages_[page - 1].labels.push_back(part);  // the lines that fitted on the page before
      part.lines.clear();
    }
    if (part.lines.empty()) {
      part.box.y = y_;
      part.box.h = 0;
    }
    part.lines.push_back(line);
    part.box.h += label.line_height;
    y_ += label.line_height;
  }
  if (!part.lines.empty()) {
    pages_.back().labels.push_back(std::move(part));
  }
  y_ += gap_after;
}

void Column::add(std::vector<Button> row, int gap_after) {
  int height = 0;
  for (const auto& b : row) {
    height = std::max(height, b.rect.y + b.rect.h);
  }
  make_room(height);
  for (auto& b : row) {
    b.rect.y += y_;
    b.label.box.y += y_;
    pages_.back().buttons.push_back(std::move(b));
  }
  y_ += height + gap_after;
}

void Column::place(int page, Frame& frame) {
  Page& shown = pages_[static_cast<size_t>(std::clamp(page, 0, pages() - 1))];
  for (auto& label : shown.labels) {
    frame.labels.push_back(std::move(label));
  }
  for (auto& button : shown.buttons) {
    frame.buttons.push_back(std::move(button));
  }
}

}  // namespace mk::kiosk
