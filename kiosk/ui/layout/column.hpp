#pragma once

#include <vector>

#include "kiosk/ui/frame.hpp"

namespace mk::kiosk {

// Blocks stacked top to bottom in a region, broken into pages where they do not fit, so that
// nothing is ever drawn outside the region or over another block: a text may break between its
// lines, a row of buttons stays whole. The screen shows one page and buttons to turn it.
class Column {
 public:
  explicit Column(Rect region) : region_(region), y_(region.y) { pages_.emplace_back(); }

  // A text block, its box's x and w already set; its lines go where the column has reached.
  void add(const Label& label, int gap_after);
  // A row of buttons laid out from y = 0; the row moves down to where the column has reached.
  void add(std::vector<Button> row, int gap_after);
  // Shapes laid out from y = 0 (a meter), kept together as a button row is.
  void add(std::vector<Shape> shapes, int gap_after);

  const Rect& region() const { return region_; }
  int pages() const { return static_cast<int>(pages_.size()); }
  // True when a single block is taller than the whole region (it is placed anyway).
  bool too_tall() const { return too_tall_; }
  // Moves the blocks of `page` (clamped to the pages there are) into the frame.
  void place(int page, Frame& frame);

 private:
  struct Page {
    std::vector<Label> labels;
    std::vector<Button> buttons;
    std::vector<Shape> shapes;
  };
  template <typename Item>
  void add_block(std::vector<Item> items, std::vector<Item> Page::*into, int gap_after);
  // Starts a new page when `height` more pixels would not fit on this one (a block already
  // at the top of a page stays there: it can go nowhere better).
  void make_room(int height);

  Rect region_;
  int y_;
  bool top_of_page_ = true;
  bool too_tall_ = false;
  std::vector<Page> pages_;
};

}  // namespace mk::kiosk
