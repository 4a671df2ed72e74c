// The FAQ browser (FaqFlow) over a small library: sections, questions, answers, the search by a
// word offered or typed, the way back to the list an answer was chosen from, and a kiosk without
// its FAQ.
#include "flows/faq/faq_flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> action_ids(const ViewModel& vm) {
  std::vector<std::string> ids;
  for (const auto& a : vm.actions) {
    ids.push_back(a.id);
  }
  return ids;
}

// Two sections; search finds the entries whose question holds the query, and records it.
class SmallLibrary final : public FaqLibrary {
 public:
  SmallLibrary() {
    ja_.source = "警察庁";
    ja_.sections = {
        {1, "概要", {{"1.1", "一体化とは何ですか。", "カードに記録します。"}}},
        {2,
         "暗証番号",
         {{"2.1", "暗証番号は設定できますか。", "はい。"},
          {"2.2", "暗証番号を忘れたら？", "<こちら,https://example.jp/pin>を御覧ください。"}}},
    };
    ja_.topics = {{"暗証番号", "暗証番号"}, {"概要", "一体化"}};
    en_ = ja_;
    en_.language = Language::en;
    en_.note = "Translated for this kiosk.";
    en_.sections[0].entries[0].question = "What is the integration?";
  }
  const FaqDocument& document(Language language) const override {
    return language == Language::en ? en_ : ja_;
  }
  std::vector<std::string> search(Language language, std::string_view query,
                                  std::size_t limit) const override {
    queries.emplace_back(query);
    std::vector<std::string> ids;
    for (const auto& s : document(language).sections) {
      for (const auto& e : s.entries) {
        if (e.question.find(query) != std::string::npos && ids.size() < limit) {
          ids.push_back(e.id);
        }
      }
    }
    return ids;
  }
  mutable std::vector<std::string> queries;

 private:
  FaqDocument ja_;
  FaqDocument en_;
};

class Faq : public ::testing::Test {
 protected:
  void run(const Effects& effects) { asked_.record(effects); }
  void tap(const std::string& action) { run(flow_.dispatch(Event::tap(action))); }
  const ViewModel& view() const { return asked_.view; }

  SmallLibrary library_;
  FaqFlow flow_{Language::ja, library_};
  testing::Asked asked_;
};

TEST_F(Faq, ListsTheSectionsWithTheSourceAndASearch) {
  run(flow_.start());
  EXPECT_EQ(view().screen, "faq.sections");
  EXPECT_EQ(view().kind, ScreenKind::choice);
  EXPECT_THAT(action_ids(view()), ElementsAre("section:1", "section:2", "done", "search"));
  EXPECT_EQ(view().actions[1].label,
            (TextRef{"faq.section.label", {{"number", "2"}, {"title", "暗証番号"}}}));
  ASSERT_EQ(view().details.size(), 1U);  // the original has no translator's note
  EXPECT_EQ(view().details[0], (TextRef{"faq.source", {{"source", "警察庁"}}}));
}

TEST_F(Faq, ASectionListsItsQuestionsAndAnAnswerGoesBackToThem) {
  run(flow_.start());
  tap("section:2");
  EXPECT_EQ(view().screen, "faq.section");
  EXPECT_THAT(action_ids(view()), ElementsAre("entry:2.1", "entry:2.2", "back"));
  EXPECT_EQ(view().actions[0].label.params[0].second, "暗証番号は設定できますか。");
  tap("entry:2.2");
  EXPECT_EQ(view().screen, "faq.entry");
  EXPECT_EQ(view().texts.at("title").params[0].second, "暗証番号を忘れたら？");
  // The link written out, and offered as a QR code for the person's phone.
  EXPECT_EQ(view().texts.at("body").params[0].second,
            "こちら (https://example.jp/pin)を御覧ください。");
  EXPECT_EQ(view().qr_code, "https://example.jp/pin");
  tap("back");
  EXPECT_EQ(view().screen, "faq.section");
  EXPECT_THAT(action_ids(view()), ElementsAre("entry:2.1", "entry:2.2", "back"));
  tap("back");
  EXPECT_EQ(view().screen, "faq.sections");
}

TEST_F(Faq, AnAnswerWithoutALinkHasNoQrCode) {
  run(flow_.start());
  tap("section:2");
  tap("entry:2.1");
  EXPECT_TRUE(view().qr_code.empty());
}

TEST_F(Faq, AnUnknownSectionOrEntryChangesNothing) {
  run(flow_.start());
  tap("section:9");
  tap("section:x");
  EXPECT_EQ(flow_.state(), "sections");
  tap("section:1");
  tap("entry:2.1");  // an entry of the FAQ, but not of this section's list
  tap("entry:9.9");
  EXPECT_EQ(flow_.state(), "section");
  tap("entry:1.1");
  EXPECT_EQ(flow_.state(), "entry");
}

TEST_F(Faq, AWordOfferedFindsItsQuestionsAndAnAnswerGoesBackToThem) {
  run(flow_.start());
  tap("search");
  EXPECT_EQ(view().screen, "faq.topics");
  EXPECT_THAT(action_ids(view()), ElementsAre("topic:0", "topic:1", "back", "type"));
  tap("topic:1");  // 概要: searches for 一体化
  EXPECT_THAT(library_.queries, ElementsAre("一体化"));
  EXPECT_EQ(view().screen, "faq.results");
  EXPECT_EQ(view().texts.at("title"), (TextRef{"faq.results.title", {{"query", "一体化"}}}));
  EXPECT_EQ(view().texts.at("body").key, "faq.results.body");
  EXPECT_THAT(action_ids(view()), ElementsAre("entry:1.1", "back"));
  tap("entry:1.1");
  tap("back");
  EXPECT_EQ(view().screen, "faq.results");
  tap("back");
  EXPECT_EQ(view().screen, "faq.topics");
  tap("topic:7");  // no such topic
  EXPECT_EQ(flow_.state(), "topics");
}

TEST_F(Faq, AWordTypedIsShownAsTypedAndSearched) {
  run(flow_.start());
  tap("search");
  tap("type");
  EXPECT_EQ(view().screen, "faq.typing");
  ASSERT_TRUE(view().pin_pad.has_value());
  EXPECT_FALSE(view().pin_pad->masked);  // a word to search for is no secret
  EXPECT_TRUE(view().pin_pad->alphanumeric);
  EXPECT_EQ(view().pin_pad->min_length, 1);
  run(flow_.dispatch(Event::typed("find", base::SecretBytes(std::string_view("PIN")))));
  EXPECT_THAT(library_.queries, ElementsAre("PIN"));
  EXPECT_EQ(view().screen, "faq.results");
  EXPECT_TRUE(view().actions.size() == 1);  // nothing found: only back
  EXPECT_EQ(view().texts.at("body"),
            (TextRef{"faq.results.none", {{"query", "PIN"}, {"count", "0"}}}));
}

// 25 questions in one section, every one found by any search.
class LargeLibrary final : public FaqLibrary {
 public:
  LargeLibrary() {
    doc_.sections.push_back({1, "t", {}});
    for (int i = 1; i <= 25; ++i) {
      doc_.sections[0].entries.push_back({"1." + std::to_string(i), "q", "a"});
    }
  }
  const FaqDocument& document(Language) const override { return doc_; }
  std::vector<std::string> search(Language, std::string_view, std::size_t limit) const override {
    asked_limit = limit;
    std::vector<std::string> ids;
    for (const auto& e : doc_.sections[0].entries) {
      if (ids.size() < limit) {
        ids.push_back(e.id);
      }
    }
    return ids;
  }
  mutable std::size_t asked_limit = 0;

 private:
  FaqDocument doc_;
};

TEST(FaqMany, ListsTheBestTwentyAndSaysThereAreMore) {
  LargeLibrary library;
  FaqFlow flow(Language::ja, library);
  testing::Asked asked;
  asked.record(flow.start());
  asked.record(flow.dispatch(Event::tap("search")));
  asked.record(flow.dispatch(Event::tap("type")));
  asked.record(flow.dispatch(Event::typed("find", base::SecretBytes(std::string_view("Q")))));
  EXPECT_EQ(library.asked_limit, FaqFlow::kMaxResults + 1);  // one more, to know
  EXPECT_EQ(asked.view.texts.at("body"),
            (TextRef{"faq.results.many", {{"query", "Q"}, {"count", "20"}}}));
  EXPECT_EQ(asked.view.actions.size(), FaqFlow::kMaxResults + 1);  // and back
  // The 21st, found but not listed, cannot be chosen.
  asked.record(flow.dispatch(Event::tap("entry:1.21")));
  EXPECT_EQ(flow.state(), "results");
  asked.record(flow.dispatch(Event::tap("entry:1.20")));
  EXPECT_EQ(flow.state(), "entry");
}

TEST_F(Faq, TheEnglishFaqCarriesItsTranslatorsNote) {
  FaqFlow flow(Language::en, library_);
  run(flow.start());
  ASSERT_EQ(view().details.size(), 2U);
  EXPECT_EQ(view().details[1].params[0].second, "Translated for this kiosk.");
  run(flow.dispatch(Event::tap("section:1")));
  EXPECT_EQ(view().actions[0].label.params[0].second, "What is the integration?");
}

TEST_F(Faq, DoneCancelAndIdleEndIt) {
  run(flow_.start());
  tap("done");
  EXPECT_TRUE(flow_.finished());
  FaqFlow cancelled(Language::ja, library_);
  run(cancelled.start());
  run(cancelled.dispatch(Event::tap("section:1")));
  run(cancelled.dispatch(Event::cancel()));
  EXPECT_TRUE(cancelled.finished());
  FaqFlow idle(Language::ja, library_);
  run(idle.start());
  run(idle.dispatch(Event::tap("search")));
  run(idle.dispatch(Event::idle()));
  EXPECT_TRUE(idle.finished());
}

TEST_F(Faq, APulledCardChangesNothing) {
  run(flow_.start());
  tap("section:2");
  run(flow_.dispatch(Event::removed()));
  EXPECT_EQ(flow_.state(), "section");
}

TEST(FaqWithout, AKioskWithoutItsFaqSaysSoAndOffersOnlyDone) {
  FaqFlow flow(Language::ja, no_faq());
  testing::Asked asked;
  asked.record(flow.start());
  EXPECT_EQ(asked.view.screen, "faq.sections");
  EXPECT_EQ(asked.view.kind, ScreenKind::error);
  EXPECT_EQ(asked.view.texts.at("body").key, "faq.sections.unavailable");
  EXPECT_THAT(action_ids(asked.view), ElementsAre("done"));
  asked.record(flow.dispatch(Event::tap("done")));
  EXPECT_TRUE(flow.finished());
}

TEST(FaqLinks, AreWrittenOutAndListedWithEitherBrackets) {
  EXPECT_EQ(readable_answer("詳しくは<こちら,https://a.jp/x?y=1&z=2>を参照。"),
            "詳しくはこちら (https://a.jp/x?y=1&z=2)を参照。");
  EXPECT_EQ(readable_answer("＜iOS版,https://b.jp＞と<Android版,https://c.jp>"),
            "iOS版 (https://b.jp)とAndroid版 (https://c.jp)");
  EXPECT_THAT(answer_links("＜iOS版,https://b.jp＞と<Android版,https://c.jp>"),
              ElementsAre("https://b.jp", "https://c.jp"));
  // Brackets that start no link stay as they are.
  EXPECT_EQ(readable_answer("a < b > c"), "a < b > c");
  EXPECT_EQ(readable_answer("＜iOS＞ <x,https://d.jp>"), "＜iOS＞ x (https://d.jp)");
  EXPECT_TRUE(answer_links("<unclosed,https://e.jp").empty());
}

}  // namespace
}  // namespace mk::flows
