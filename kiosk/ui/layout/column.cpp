#include "kiosk/ui/layout/column.hpp"

#include <algorithm>

namespace mk::kiosk {

namespace {
const Rect& box_of(const Button& b) {
  return b.rect;
}
const Rect& box_of(const Shape& s) {
  return s.rect;
}
void move_down(Button& b, int dy) {
  b.move_by(0, dy);
}
void move_down(Shape& s, int dy) {
  s.rect.y += dy;
}
}  // namespace

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

// A block of items laid out from y = 0, kept together: it moves down to where the column has
// reached, onto the next page when it does not fit.
template <typename Item>
void Column::add_block(std::vector<Item> items, std::vector<Item> Page::*into, int gap_after) {
  int height = 0;
  for (const auto& item : items) {
    height = std::max(height, box_of(item).y + box_of(item).h);
  }
  make_room(height);
  for (auto& item : items) {
    move_down(item, y_);
    (pages_.back().*into).push_back(std::move(item));
  }
  y_ += height + gap_after;
}

void Column::add(std::vector<Button> row, int gap_after) {
  add_block(std::move(row), &Page::buttons, gap_after);
}

void Column::add(std::vector<Shape> shapes, int gap_after) {
  add_block(std::move(shapes), &Page::shapes, gap_after);
}

void Column::place(int page, Frame& frame) {
  Page& shown = pages_[static_cast<size_t>(std::clamp(page, 0, pages() - 1))];
  for (auto& label : shown.labels) {
    frame.labels.push_back(std::move(label));
  }
  for (auto& button : shown.buttons) {
    frame.buttons.push_back(std::move(button));
  }
  for (auto& shape : shown.shapes) {
    frame.shapes.push_back(shape);
  }
}

}  // namespace mk::kiosk
