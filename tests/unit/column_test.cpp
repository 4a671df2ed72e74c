// The content column's paging: what does not fit goes onto the next page, a text may break
// between its lines, a row of buttons stays whole, nothing leaves the region.
#include "kiosk/ui/layout/column.hpp"

#include <gtest/gtest.h>

namespace mk::kiosk {
namespace {

Label text_of(int lines, int line_height = 10) {
  Label label;
  label.line_height = line_height;
  for (int i = 0; i < lines; ++i) {
    label.lines.push_back("line " + std::to_string(i));
  }
  label.box = {5, 0, 50, lines * line_height};
  return label;
}

std::vector<Button> row_of(int height) {
  Button b;
  b.action = "b";
  b.rect = {5, 0, 40, height};
  b.label.box = {7, 2, 36, height - 4};
  return {b};
}

bool within(const Rect& inner, const Rect& outer) {
  return inner.y >= outer.y && inner.y + inner.h <= outer.y + outer.h;
}

TEST(Column, WhatFitsStaysOnOnePage) {
  Column column({0, 100, 200, 100});
  column.add(text_of(3), 5);
  column.add(row_of(20), 5);
  ASSERT_EQ(column.pages(), 1);
  Frame frame;
  column.place(0, frame);
  ASSERT_EQ(frame.labels.size(), 1U);
  EXPECT_EQ(frame.labels[0].box.y, 100);
  ASSERT_EQ(frame.buttons.size(), 1U);
  EXPECT_EQ(frame.buttons[0].rect.y, 135) << "below the text and its gap";
  EXPECT_EQ(frame.buttons[0].label.box.y, 137) << "the label moves with its button";
}

TEST(Column, ATextBreaksBetweenItsLinesAcrossPagesAndNoLineIsLost) {
  const Rect region{0, 0, 200, 45};
  Column column(region);
  column.add(text_of(12), 0);  // 120 px into pages of 45: 4 + 4 + 4 lines
  ASSERT_EQ(column.pages(), 3);
  size_t lines = 0;
  for (int page = 0; page < column.pages(); ++page) {
    Frame frame;
    column.place(page, frame);
    ASSERT_EQ(frame.labels.size(), 1U) << "page " << page;
    EXPECT_TRUE(within(frame.labels[0].box, region)) << "page " << page;
    EXPECT_EQ(frame.labels[0].box.h,
              static_cast<int>(frame.labels[0].lines.size()) * frame.labels[0].line_height);
    lines += frame.labels[0].lines.size();
  }
  EXPECT_EQ(lines, 12U);
}

TEST(Column, ARowOfButtonsIsNeverSplitAndMovesToTheNextPageWhole) {
  const Rect region{0, 0, 200, 50};
  Column column(region);
  column.add(text_of(3), 5);  // 30 + 5
  column.add(row_of(20), 0);  // 35 + 20 > 50: the next page
  ASSERT_EQ(column.pages(), 2);
  Frame second;
  column.place(1, second);
  ASSERT_EQ(second.buttons.size(), 1U);
  EXPECT_EQ(second.buttons[0].rect.y, 0) << "at the top of its page";
  EXPECT_FALSE(column.too_tall());
}

TEST(Column, ABlockTallerThanThePageIsPlacedAndReported) {
  Column column({0, 0, 200, 30});
  column.add(row_of(40), 0);
  EXPECT_TRUE(column.too_tall());
  EXPECT_EQ(column.pages(), 1) << "a block at the top of a page stays there";
}

TEST(Column, APageOutOfRangeShowsTheNearestOne) {
  Column column({0, 0, 200, 25});
  column.add(text_of(5), 0);
  ASSERT_EQ(column.pages(), 3);
  Frame frame;
  column.place(7, frame);
  ASSERT_EQ(frame.labels.size(), 1U);
  EXPECT_EQ(frame.labels[0].lines.back(), "line 4") << "the last page";
}

}  // namespace
}  // namespace mk::kiosk
