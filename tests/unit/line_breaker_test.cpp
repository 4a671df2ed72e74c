#include "kiosk/ui/line_breaker.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace mk::kiosk {
namespace {

// Fixed-width stand-in for a font: every code point is 10 px wide.
int fixed_width(std::string_view utf8) {
  int chars = 0;
  for (const char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++chars;
    }
  }
  return chars * 10;
}

std::u32string to_u32(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : 4;
    char32_t cp = n == 1 ? lead : lead & (0x3Fu >> (n - 1));
    for (size_t k = 1; k < n; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    }
    out += cp;
    i += n;
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) {
    all += l;
  }
  return all;
}

// Characters that 禁則 forbids at the start of a line (行頭禁則): closing punctuation, the long
// vowel mark, small kana, iteration marks.
const std::u32string kNoLineStart =
    U"。、，．・：；？！」』）〕］｝〉》ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶゝゞヽヾ々";
// ... and at the end of a line (行末禁則): opening brackets.
const std::u32string kNoLineEnd = U"「『（〔［｛〈《";

const std::string kParagraph =
    "マイナ免許証は、マイナンバーカードのICチップに運転免許の情報を記録したものです。「免許情報記録"
    "」のあとは、ショップやコンビニでは更新できません。チェック、キャッシュ、ジョッキー、ちょっと待"
    "って"
    "ください。暗証番号（４桁）を入力してください。";

TEST(LineBreaker, JapaneseParagraphObeysKinsokuAtEveryWidth) {
  for (int chars = 3; chars <= 40; ++chars) {
    const WrappedText wrapped = wrap_text(kParagraph, chars * 10, fixed_width);
    ASSERT_FALSE(wrapped.lines.empty());
    EXPECT_EQ(joined(wrapped.lines), kParagraph) << "no text lost or added at " << chars;
    for (size_t i = 0; i < wrapped.lines.size(); ++i) {
      const std::u32string line = to_u32(wrapped.lines[i]);
      ASSERT_FALSE(line.empty());
      EXPECT_LE(fixed_width(wrapped.lines[i]), chars * 10) << "line " << i << " at " << chars;
      if (i > 0) {
        EXPECT_EQ(kNoLineStart.find(line.front()), std::u32string::npos)
            << "line " << i << " starts with a forbidden character at width " << chars << ": "
            << wrapped.lines[i];
      }
      if (i + 1 < wrapped.lines.size()) {
        EXPECT_EQ(kNoLineEnd.find(line.back()), std::u32string::npos)
            << "line " << i << " ends with an opening bracket at width " << chars << ": "
            << wrapped.lines[i];
      }
    }
  }
}

TEST(LineBreaker, FullStopIsPulledBackNotLeftAlone) {
  // "ありがとう。" in 5 columns: the 。 may not start line 2, so "う。" moves down together.
  const WrappedText wrapped = wrap_text("ありがとう。", 50, fixed_width);
  ASSERT_EQ(wrapped.lines.size(), 2U);
  EXPECT_EQ(wrapped.lines[0], "ありがと");
  EXPECT_EQ(wrapped.lines[1], "う。");
}

TEST(LineBreaker, SmallKanaStaysWithItsSyllable) {
  // In strict mode "ちょ" cannot be split before the small ょ.
  const WrappedText wrapped = wrap_text("あいうちょっと", 40, fixed_width);
  for (size_t i = 1; i < wrapped.lines.size(); ++i) {
    const char32_t first = to_u32(wrapped.lines[i]).front();
    EXPECT_NE(first, U'ょ');
    EXPECT_NE(first, U'っ');
  }
}

TEST(LineBreaker, EnglishBreaksBetweenWordsAndDropsTheSpace) {
  const WrappedText wrapped = wrap_text("Touch the screen to start.", 120, fixed_width);
  ASSERT_EQ(wrapped.lines.size(), 3U);
  EXPECT_EQ(wrapped.lines[0], "Touch the");
  EXPECT_EQ(wrapped.lines[1], "screen to");
  EXPECT_EQ(wrapped.lines[2], "start.");
  EXPECT_FALSE(wrapped.overflowed);
}

TEST(LineBreaker, TextThatFitsIsOneLine) {
  const WrappedText wrapped = wrap_text("はじめる", 1000, fixed_width);
  ASSERT_EQ(wrapped.lines.size(), 1U);
  EXPECT_EQ(wrapped.lines[0], "はじめる");
}

TEST(LineBreaker, NewlineForcesABreak) {
  const WrappedText wrapped = wrap_text("一行目\n二行目", 1000, fixed_width);
  ASSERT_EQ(wrapped.lines.size(), 2U);
  EXPECT_EQ(wrapped.lines[0], "一行目");
  EXPECT_EQ(wrapped.lines[1], "二行目");
}

TEST(LineBreaker, UnbreakableRunWiderThanTheLineIsSplitAndReported) {
  const WrappedText wrapped = wrap_text("ABCDEFGHIJ", 40, fixed_width);
  EXPECT_TRUE(wrapped.overflowed);
  EXPECT_EQ(joined(wrapped.lines), "ABCDEFGHIJ");
  for (const auto& line : wrapped.lines) {
    EXPECT_LE(fixed_width(line), 40);
  }
}

TEST(LineBreaker, EmptyTextHasNoLines) {
  EXPECT_TRUE(wrap_text("", 100, fixed_width).lines.empty());
}

}  // namespace
}  // namespace mk::kiosk
