// The FAQ files the kiosk ships (assets/faq) and their search: every language complete and the
// same as the original, each word offered finds something, the search folds width, case and
// spaces and ranks questions first, and a broken file is refused with what is wrong.
#include "kiosk/faq/faq_library.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "base/text/comparison_text.hpp"

namespace mk::kiosk {
namespace {

namespace fs = std::filesystem;
using flows::Language;
using ::testing::HasSubstr;

const fs::path kFaq = fs::path(MK_SOURCE_DIR) / "assets/faq";

const FaqLibrary& shipped() {
  static const auto library = FaqLibrary::load(kFaq);
  return *library;
}

// The question of entry `id` in `language`.
std::string question(Language language, const std::string& id) {
  const auto* e = shipped().document(language).entry(id);
  return e != nullptr ? e->question : "(none)";
}

TEST(FaqLibrary, EveryLanguageHasTheWholeFaqWithTheOriginalsIds) {
  const auto& ja = shipped().document(Language::ja);
  const auto& en = shipped().document(Language::en);
  EXPECT_EQ(ja.language, Language::ja);
  EXPECT_EQ(en.language, Language::en);
  ASSERT_EQ(ja.sections.size(), 11U);  // the FAQ's sections 1–11
  ASSERT_EQ(en.sections.size(), ja.sections.size());
  std::size_t entries = 0;
  for (std::size_t s = 0; s < ja.sections.size(); ++s) {
    EXPECT_EQ(ja.sections[s].number, static_cast<int>(s) + 1);
    ASSERT_EQ(en.sections[s].entries.size(), ja.sections[s].entries.size());
    for (std::size_t e = 0; e < ja.sections[s].entries.size(); ++e) {
      EXPECT_EQ(en.sections[s].entries[e].id, ja.sections[s].entries[e].id);
      // A translation keeps the original's links.
      EXPECT_EQ(flows::answer_links(en.sections[s].entries[e].answer),
                flows::answer_links(ja.sections[s].entries[e].answer))
          << ja.sections[s].entries[e].id;
    }
    entries += ja.sections[s].entries.size();
  }
  EXPECT_EQ(entries, 106U);
  EXPECT_TRUE(ja.note.empty());   // the original
  EXPECT_FALSE(en.note.empty());  // says the Japanese text is the authority
  EXPECT_FALSE(ja.topics.empty());
  EXPECT_EQ(en.topics.size(), ja.topics.size());
}

TEST(FaqLibrary, EveryWordOfferedFindsQuestions) {
  for (const Language language : {Language::ja, Language::en}) {
    for (const auto& topic : shipped().document(language).topics) {
      EXPECT_FALSE(shipped().search(language, topic.query, 20).empty())
          << flows::to_string(language) << " " << topic.label;
    }
  }
}

TEST(FaqLibrary, FindsAWordInsideJapaneseTextAndRanksQuestionsFirst) {
  const auto found = shipped().search(Language::ja, "暗証番号", 20);
  ASSERT_GE(found.size(), 5U);
  // The questions that hold the word come before the answers that do.
  EXPECT_THAT(question(Language::ja, found[0]), HasSubstr("暗証番号"));
  EXPECT_THAT(question(Language::ja, found[1]), HasSubstr("暗証番号"));
  std::set<std::string> ids(found.begin(), found.end());
  EXPECT_EQ(ids.size(), found.size());  // each once
  EXPECT_TRUE(ids.contains("2.3"));     // 暗証番号を設定できますか
}

TEST(FaqLibrary, FoldsWidthAndCase) {
  const auto plain = shipped().search(Language::en, "PIN", 20);
  ASSERT_FALSE(plain.empty());
  EXPECT_EQ(shipped().search(Language::en, "ＰＩＮ", 20), plain);
  EXPECT_EQ(shipped().search(Language::en, "pin", 20), plain);
  EXPECT_EQ(shipped().search(Language::en, "MYNA PORTAL", 20),
            shipped().search(Language::en, "Myna Portal", 20));
  EXPECT_EQ(shipped().search(Language::ja, "ＩＣ", 20), shipped().search(Language::ja, "IC", 20));
}

// The entry's question and answer as the search sees them (width and case folded), its links'
// addresses left out.
std::string words_of(Language language, const std::string& id) {
  const auto* e = shipped().document(language).entry(id);
  return base::search_key(e->question + " " + flows::answer_words(e->answer));
}

TEST(FaqLibrary, FindsALatinWordWhereAWordStartsOnly) {
  // "pin" is in "keeping", "ic" in "licence" (nearly every English answer) and in addresses
  // ("traffic"): none of those is a question about PINs or the IC chip.
  for (const auto& [language, word] : std::vector<std::pair<Language, std::string>>{
           {Language::en, "pin"}, {Language::en, "ic"}, {Language::ja, "ic"}}) {
    const auto found = shipped().search(language, word, 200);
    ASSERT_FALSE(found.empty()) << word;
    EXPECT_LT(found.size(), 20U) << word;
    for (const auto& id : found) {
      const std::string text = words_of(language, id);
      bool at_word_start = false;
      for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        at_word_start =
            at_word_start || at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
      }
      EXPECT_TRUE(at_word_start) << word << " in " << id;
    }
  }
  EXPECT_TRUE(shipped().search(Language::ja, "traffic", 20).empty());  // only in addresses
}

TEST(FaqLibrary, FindsOneAndTwoCharacterWordsToo) {
  const auto two = shipped().search(Language::ja, "講習", 20);
  ASSERT_FALSE(two.empty());
  EXPECT_THAT(question(Language::ja, two[0]), HasSubstr("講習"));
  EXPECT_FALSE(shipped().search(Language::ja, "証", 200).empty());
}

TEST(FaqLibrary, KeepsToTheLanguageAndTheLimit) {
  EXPECT_TRUE(shipped().search(Language::en, "暗証番号", 20).empty());
  EXPECT_TRUE(shipped().search(Language::ja, "renewal", 20).empty());
  EXPECT_EQ(shipped().search(Language::ja, "免許", 3).size(), 3U);
  EXPECT_TRUE(shipped().search(Language::ja, "免許", 0).empty());
}

TEST(FaqLibrary, AQueryOfNothingOrOfSyntaxFindsNothingAndBreaksNothing) {
  EXPECT_TRUE(shipped().search(Language::ja, "", 20).empty());
  EXPECT_TRUE(shipped().search(Language::ja, "　 ", 20).empty());
  for (const char* odd :
       {"\"", "\"\"\"", "a\" OR \"b", "*", "NEAR(", "%", "_", "\\", "'", "{x}:"}) {
    EXPECT_NO_THROW(shipped().search(Language::en, odd, 20)) << odd;
  }
  // LIKE's own characters are searched for as characters: the FAQ holds neither.
  EXPECT_TRUE(shipped().search(Language::en, "%", 200).empty());
  EXPECT_TRUE(shipped().search(Language::en, "_", 200).empty());
  EXPECT_TRUE(shipped().search(Language::en, "%%%", 200).empty());
  EXPECT_NO_THROW(shipped().search(Language::ja, std::string("\0\"", 2), 200));
}

class BrokenFaq : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mk-faq-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    fs::copy_file(kFaq / "ja.json", dir_ / "ja.json");
    fs::copy_file(kFaq / "en.json", dir_ / "en.json");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::trunc) << text;
  }
  std::string refusal() {
    try {
      FaqLibrary::load(dir_);
    } catch (const FaqFileError& e) {
      return e.what();
    }
    return "(loaded)";
  }
  fs::path dir_;
};

constexpr const char* kOneEntry =
    R"({"language":"en","source":"s","note":"","sections":[{"number":1,"title":"t",)"
    R"("entries":[{"id":"1.1","question":"q","answer":"a"}]}]})";

TEST_F(BrokenFaq, TheShippedFilesLoad) {
  EXPECT_EQ(refusal(), "(loaded)");
}

TEST_F(BrokenFaq, AMissingTranslationIsRefused) {
  fs::remove(dir_ / "en.json");
  EXPECT_THAT(refusal(), HasSubstr("en.json: cannot be read"));
}

TEST_F(BrokenFaq, AFileThatIsNotJsonIsRefused) {
  write("en.json", "{\"language\": \"en\", \"sections\": [");
  EXPECT_THAT(refusal(), HasSubstr("en.json: is not a JSON object"));
}

TEST_F(BrokenFaq, ATranslationWithOtherEntriesIsRefused) {
  write("en.json", kOneEntry);
  EXPECT_THAT(refusal(), HasSubstr("not the Japanese original's"));
}

TEST_F(BrokenFaq, AFileInTheWrongLanguageIsRefused) {
  fs::copy_file(kFaq / "ja.json", dir_ / "en.json", fs::copy_options::overwrite_existing);
  EXPECT_THAT(refusal(), HasSubstr("another language"));
}

TEST_F(BrokenFaq, AnEntryTwiceAnEmptyAnswerOrAMissingTextIsRefused) {
  const std::string two =
      R"({"language":"en","source":"s","note":"","sections":[{"number":1,"title":"t","entries":[)"
      R"({"id":"1.1","question":"q","answer":"a"},{"id":"1.1","question":"q","answer":"a"}]}]})";
  write("en.json", two);
  EXPECT_THAT(refusal(), HasSubstr("entry 1.1 comes twice"));
  std::string empty = kOneEntry;
  empty.replace(empty.find("\"answer\":\"a\""), 12, "\"answer\":\"\"");
  write("en.json", empty);
  EXPECT_THAT(refusal(), HasSubstr("empty id, question or answer"));
  std::string untitled = kOneEntry;
  untitled.replace(untitled.find("\"title\":\"t\","), 12, "");
  write("en.json", untitled);
  EXPECT_THAT(refusal(), HasSubstr("section 1 has no text \"title\""));
}

TEST_F(BrokenFaq, AControlCharacterABrokenLinkOrASectionNumberOutOfRangeIsRefused) {
  std::string nul = kOneEntry;
  nul.insert(nul.size() - 1, R"(,"topics":[{"label":"x","query":"a\u0000\""}])");
  write("en.json", nul);
  EXPECT_THAT(refusal(), HasSubstr("holds a control character"));
  std::string link = kOneEntry;
  link.replace(link.find("\"answer\":\"a\""), 12, R"("answer":"see <here,https://a.jp/x y>")");
  write("en.json", link);
  EXPECT_THAT(refusal(), HasSubstr("has a link that is not"));
  std::string number = kOneEntry;
  number.replace(number.find("\"number\":1"), 10, "\"number\":-1");
  write("en.json", number);
  EXPECT_THAT(refusal(), HasSubstr("number is not 1 to 99"));
}

TEST_F(BrokenFaq, ATopicThatSearchesForNothingIsRefused) {
  std::string topic = kOneEntry;
  topic.insert(topic.size() - 1, R"(,"topics":[{"label":"x","query":"  "}])");
  write("en.json", topic);
  EXPECT_THAT(refusal(), HasSubstr("topic \"x\" searches for nothing"));
}

}  // namespace
}  // namespace mk::kiosk
