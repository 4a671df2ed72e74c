#include "kiosk/script/script.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mk::kiosk {
namespace {

using ::testing::HasSubstr;

TEST(Script, ParsesEveryKindOfStep) {
  const auto steps = parse_script(R"(# a comment
tap start
tap 100 200   # trailing comment

key escape
wait 250ms
wait 3s
expect screen menu
screenshot after-menu
)",
                                  "t.script");
  ASSERT_EQ(steps.size(), 7U);
  EXPECT_EQ(steps[0].kind, ScriptStep::Kind::tap_action);
  EXPECT_EQ(steps[0].arg, "start");
  EXPECT_EQ(steps[0].line, 2);
  EXPECT_EQ(steps[1].kind, ScriptStep::Kind::tap_point);
  EXPECT_EQ(steps[1].x, 100);
  EXPECT_EQ(steps[1].y, 200);
  EXPECT_EQ(steps[2].kind, ScriptStep::Kind::key);
  EXPECT_EQ(steps[2].arg, "escape");
  EXPECT_EQ(steps[2].line, 5);
  EXPECT_EQ(steps[3].duration, std::chrono::milliseconds(250));
  EXPECT_EQ(steps[4].duration, std::chrono::seconds(3));
  EXPECT_EQ(steps[5].kind, ScriptStep::Kind::expect_screen);
  EXPECT_EQ(steps[5].arg, "menu");
  EXPECT_EQ(steps[6].kind, ScriptStep::Kind::screenshot);
  EXPECT_EQ(steps[6].arg, "after-menu");
}

TEST(Script, ParsesTheCardAndAsyncSteps) {
  const auto steps = parse_script(
      "card place mynumber yamada-taro\nawait screen read_back.enter_pin\n"
      "await screen menu 5s\ntype 4321\ncard remove dl\n"
      "card place mynumber yamada-taro replacement\n",
      "cards.script");
  ASSERT_EQ(steps.size(), 6U);
  EXPECT_FALSE(steps[0].replacement);
  EXPECT_TRUE(steps[5].replacement);
  EXPECT_EQ(steps[5].fixture, "yamada-taro");
  EXPECT_EQ(steps[0].kind, ScriptStep::Kind::card_place);
  EXPECT_EQ(steps[0].arg, "mynumber");
  EXPECT_EQ(steps[0].fixture, "yamada-taro");
  EXPECT_EQ(steps[1].kind, ScriptStep::Kind::await_screen);
  EXPECT_EQ(steps[1].duration, std::chrono::seconds(20));
  EXPECT_EQ(steps[2].duration, std::chrono::seconds(5));
  EXPECT_EQ(steps[3].kind, ScriptStep::Kind::type);
  EXPECT_EQ(steps[3].arg, "4321");
  EXPECT_EQ(steps[4].kind, ScriptStep::Kind::card_remove);
  EXPECT_EQ(steps[4].arg, "dl");
}

TEST(Script, ParsesStaysScreen) {
  const auto steps = parse_script("stays screen read_back.place_card 2s\n", "stays.script");
  ASSERT_EQ(steps.size(), 1U);
  EXPECT_EQ(steps[0].kind, ScriptStep::Kind::stays_screen);
  EXPECT_EQ(steps[0].arg, "read_back.place_card");
  EXPECT_EQ(steps[0].duration, std::chrono::seconds(2));
  EXPECT_THROW(parse_script("stays screen menu\n", "x.script"), ScriptError);
  EXPECT_THROW(parse_script("stays screen menu soon\n", "x.script"), ScriptError);
}

// The soak's steps: sessions, abandoning one on failure, cards pulled mid-command, the drain.
TEST(Script, ParsesTheSoakSteps) {
  const auto steps = parse_script(
      "on failure next session\nsession read-1\n"
      "card place mynumber yamada-taro pull_at 7\n"
      "card place mynumber yamada-taro pull_at 3 replacement\n"
      "await drained\nawait drained 30s\n",
      "soak.script");
  ASSERT_EQ(steps.size(), 6U);
  EXPECT_EQ(steps[0].kind, ScriptStep::Kind::on_failure_next_session);
  EXPECT_EQ(steps[1].kind, ScriptStep::Kind::session);
  EXPECT_EQ(steps[1].arg, "read-1");
  EXPECT_EQ(steps[2].pull_at_apdu, 7);
  EXPECT_FALSE(steps[2].replacement);
  EXPECT_EQ(steps[3].pull_at_apdu, 3);
  EXPECT_TRUE(steps[3].replacement);
  EXPECT_EQ(steps[4].kind, ScriptStep::Kind::await_drained);
  EXPECT_EQ(steps[4].duration, std::chrono::seconds(900));
  EXPECT_EQ(steps[5].duration, std::chrono::seconds(30));
}

TEST(Script, BadLinesNameFileLineAndReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"tap 1 x", "two non-negative whole numbers"},
      {"tap -5 10", "two non-negative whole numbers"},
      {"wait soon", "duration like 500ms"},
      {"wait -3s", "duration like 500ms"},
      {"wait 3", "duration like 500ms"},
      {"expect menu", "unknown step"},
      {"jump", "unknown step"},
      {"screenshot ../../etc/passwd", "plain file name"},
      {"card place mynumber ../secret", "fixture name"},
      {"card place phone yamada-taro", "card steps are"},
      {"card place dl yamada-taro replacement", "card place takes"},
      {"card place mynumber yamada-taro spare", "card place takes"},
      {"card place mynumber yamada-taro pull_at 0", "card place takes"},
      {"card place mynumber yamada-taro pull_at", "card place takes"},
      {"card place dl yamada-taro pull_at 3 pull_at 4", "card place takes"},
      {"session", "unknown step"},
      {"on failure", "unknown step"},
      {"await drained soon", "duration like 60s"},
      {"card place mynumber yamada+taro", "fixture name"},
      {"card remove", "card steps are"},
      {"await screen menu soon", "duration like 10s"},
  };
  for (const auto& [line, reason] : cases) {
    try {
      parse_script("tap start\n" + line + "\n", "bad.script");
      ADD_FAILURE() << "accepted: " << line;
    } catch (const ScriptError& e) {
      EXPECT_THAT(e.what(), HasSubstr("bad.script:2: ")) << line;
      EXPECT_THAT(e.what(), HasSubstr(reason)) << line;
    }
  }
}

TEST(Script, MissingFileIsAnError) {
  EXPECT_THROW(load_script("/nonexistent/x.script"), ScriptError);
}

TEST(Script, TheShippedDemoScriptParses) {
  const auto steps = load_script(std::string(MK_SOURCE_DIR) + "/assets/scripts/demo.script");
  EXPECT_GT(steps.size(), 5U);
}

}  // namespace
}  // namespace mk::kiosk
