// The FAQ the kiosk shows is the NPA's, word for word: assets/faq/ja.json, made from the FAQ's
// text (tests/data/faq/npa-faq.ja.txt, as extracted from the NPA's PDF) by
// assets/faq/extract_faq.py, holds every question and answer of it, in its order, and nothing
// else: the text with its line breaks and spaces taken out equals the JSON's questions and answers
// one after the other, once the section headings are taken out of the text.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiosk/faq/faq_library.hpp"

namespace mk::kiosk {
namespace {

namespace fs = std::filesystem;

// `text` without ASCII white space and ideographic spaces (U+3000).
std::string without_spaces(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\u3000") == 0) {
      i += 2;
    } else if (text[i] != ' ' && text[i] != '\n' && text[i] != '\r' && text[i] != '\t') {
      out += text[i];
    }
  }
  return out;
}

// A section's number as its heading writes it: full-width for 1–9 ("１"), ASCII from 10.
std::string heading_number(int n) {
  static const char* const kFullWidth[] = {"０", "１", "２", "３", "４",
                                           "５", "６", "７", "８", "９"};
  return n < 10 ? kFullWidth[n] : std::to_string(n);
}

TEST(FaqText, TheShippedFaqIsTheNpasTextWordForWord) {
  std::ifstream in(fs::path(MK_SOURCE_DIR) / "tests/data/faq/npa-faq.ja.txt");
  ASSERT_TRUE(in) << "the FAQ's text is missing";
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  const auto doc = FaqLibrary::read_file(fs::path(MK_SOURCE_DIR) / "assets/faq/ja.json");
  std::string entries;
  for (const auto& section : doc.sections) {
    // The heading starts a line of its own (the answers name sections too, inside 「」); the
    // extraction glued one to the question after it.
    const std::string heading = heading_number(section.number) + "\u3000" + section.title;
    const auto line = std::find_if(lines.begin(), lines.end(),
                                   [&](const std::string& l) { return l.rfind(heading, 0) == 0; });
    ASSERT_NE(line, lines.end()) << "no heading " << heading;
    line->erase(0, heading.size());
    for (const auto& entry : section.entries) {
      entries += without_spaces(entry.question) + without_spaces(entry.answer);
    }
  }
  std::string text;
  for (const auto& line : lines) {
    text += without_spaces(line);
  }
  // Where they part, with some context, when they do.
  std::size_t same = 0;
  while (same < text.size() && same < entries.size() && text[same] == entries[same]) {
    ++same;
  }
  EXPECT_EQ(same, text.size()) << "the text: …" << text.substr(same, 120) << "\nthe JSON: …"
                               << entries.substr(same, 120);
  EXPECT_EQ(entries.size(), text.size());
}

}  // namespace
}  // namespace mk::kiosk
