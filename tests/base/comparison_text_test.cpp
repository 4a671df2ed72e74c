// Text compared as keys (base/text/comparison_text.hpp): the spellings Japanese registries and
// card writers use for one thing compare equal; different words do not.
#include "base/text/comparison_text.hpp"

#include <gtest/gtest.h>

namespace mk::base {
namespace {

TEST(ComparisonText, FullAndHalfWidthAreOneText) {
  EXPECT_TRUE(same_text("ＡＴ車に限る", "AT車に限る"));
  EXPECT_TRUE(same_text("準中型車は準中型車（５ｔ）に限る", "準中型車は準中型車(5t)に限る"));
  EXPECT_TRUE(same_text("ｶﾄｳ ﾐｻｷ", "カトウ　ミサキ"));  // half-width kana
  EXPECT_EQ(comparison_key("ＡＴ車"), "AT車");
}

TEST(ComparisonText, SpacesAndDashesAreFolded) {
  EXPECT_TRUE(same_text("山田　太郎", "山田 太郎"));
  EXPECT_TRUE(same_text("山田\u00A0太郎", "山田太郎"));
  for (const char* dash :
       {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uFF0D", "\uFE63"}) {
    EXPECT_TRUE(same_text(std::string("一丁目1") + dash + "2", "一丁目1-2")) << dash;
  }
  // The long-vowel mark is part of a word, not a dash.
  EXPECT_FALSE(same_text("センター", "セント-"));
}

TEST(ComparisonText, DifferentWordsStayDifferent) {
  EXPECT_FALSE(same_text("高橋", "髙橋"));  // a variant character: staff decide
  EXPECT_FALSE(same_text("眼鏡等", "補聴器"));
  EXPECT_FALSE(same_text("", ""));                  // nothing is nobody
  EXPECT_FALSE(same_text("\xff\xfe", "\xff\xfe"));  // not UTF-8
  EXPECT_EQ(comparison_key("\xc3\x28"), "");
}

}  // namespace
}  // namespace mk::base
