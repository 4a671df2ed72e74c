#include "flows/welcome/welcome_flow.hpp"

#include <gtest/gtest.h>

namespace mk::flows {
namespace {

TEST(WelcomeFlow, StartsOnTheAttractScreenInTheDefaultLanguage) {
  const WelcomeFlow flow(Language::en);
  const ViewModel vm = flow.view();
  EXPECT_EQ(vm.screen, "attract");
  EXPECT_EQ(vm.language, Language::en);
  ASSERT_TRUE(vm.texts.contains("title"));
  EXPECT_EQ(vm.texts.at("title").key, "attract.title");
}

TEST(WelcomeFlow, TheLanguageInUseIsTheDisabledLanguageButton) {
  WelcomeFlow flow(Language::ja);
  auto enabled = [&](const std::string& id) {
    for (const auto& a : flow.view().actions) {
      if (a.id == id) {
        return a.enabled;
      }
    }
    ADD_FAILURE() << "no action " << id;
    return false;
  };
  EXPECT_FALSE(enabled("lang_ja"));
  EXPECT_TRUE(enabled("lang_en"));
  EXPECT_TRUE(flow.handle(Intent::tap("lang_en")));
  EXPECT_EQ(flow.language(), Language::en);
  EXPECT_TRUE(enabled("lang_ja"));
  EXPECT_FALSE(enabled("lang_en"));
  EXPECT_FALSE(flow.handle(Intent::tap("lang_en")))
      << "choosing the shown language changes nothing";
}

TEST(WelcomeFlow, StartShowsEveryProcedureAndBack) {
  WelcomeFlow flow(Language::ja);
  ASSERT_TRUE(flow.handle(Intent::tap("start")));
  const ViewModel vm = flow.view();
  EXPECT_EQ(vm.screen, "menu");
  std::vector<const flows::Procedure*> offered;
  for (const auto& p : procedures()) {
    if (p.offered()) {
      offered.push_back(&p);
    }
  }
  ASSERT_EQ(offered.size(), procedures().size()) << "every procedure's flow is built";
  ASSERT_EQ(vm.actions.size(), offered.size() + 1) << "only what works is on the menu";
  for (size_t i = 0; i < offered.size(); ++i) {
    EXPECT_EQ(vm.actions[i].id, offered[i]->id);
    EXPECT_EQ(vm.actions[i].label.key, offered[i]->label_key);
  }
  EXPECT_EQ(vm.actions.back().id, "back");
}

TEST(WelcomeFlow, AProcedureThatIsNotOnTheMenuCannotBeChosen) {
  WelcomeFlow flow(Language::ja);
  flow.handle(Intent::tap("start"));
  EXPECT_FALSE(flow.handle(Intent::tap("no_such_procedure")));
  EXPECT_EQ(flow.view().screen, "menu");
}

TEST(WelcomeFlow, AnOfferedProcedureLeavesTheMenuForItsFlowAndComesBack) {
  WelcomeFlow flow(Language::ja);
  flow.handle(Intent::tap("start"));
  ASSERT_TRUE(flow.handle(Intent::tap("read_back")));
  EXPECT_EQ(flow.state(), WelcomeFlow::State::unavailable) << "where the App starts its flow";
  EXPECT_EQ(flow.chosen_procedure(), "read_back");
  flow.show_menu();
  EXPECT_EQ(flow.view().screen, "menu");
}

TEST(WelcomeFlow, UnknownActionsChangeNothing) {
  WelcomeFlow flow(Language::ja);
  EXPECT_FALSE(flow.handle(Intent::tap("record"))) << "procedures are not reachable from attract";
  flow.handle(Intent::tap("start"));
  EXPECT_FALSE(flow.handle(Intent::tap("no_such_action")));
  EXPECT_EQ(flow.view().screen, "menu");
}

TEST(WelcomeFlow, IdleTimeoutAndCancelEndTheSessionAndRestoreTheDefaultLanguage) {
  for (const Intent& end : {Intent::idle(), Intent::cancel_key()}) {
    WelcomeFlow flow(Language::ja);
    flow.handle(Intent::tap("lang_en"));
    flow.handle(Intent::tap("start"));
    flow.handle(Intent::tap("record"));
    ASSERT_EQ(flow.view().screen, "unavailable");
    EXPECT_TRUE(flow.handle(end));
    EXPECT_EQ(flow.state(), WelcomeFlow::State::attract);
    EXPECT_EQ(flow.language(), Language::ja) << "the next person starts in the default language";
  }
}

TEST(WelcomeFlow, TheKioskRefusesAChosenProcedureWithItsReasonAndGoesBackToTheMenu) {
  WelcomeFlow flow(Language::ja);
  flow.handle(Intent::tap("start"));
  flow.handle(Intent::tap("record"));
  ASSERT_EQ(flow.state(), WelcomeFlow::State::unavailable);
  flow.show_out_of_service("out_of_service.disk_full");
  EXPECT_EQ(flow.view().screen, "out_of_service");
  EXPECT_EQ(flow.view().texts.at("title").key, "menu.record");
  EXPECT_EQ(flow.view().texts.at("body").key, "out_of_service.disk_full");
  ASSERT_TRUE(flow.handle(Intent::tap("back")));
  EXPECT_EQ(flow.view().screen, "menu");
  EXPECT_TRUE(flow.chosen_procedure().empty());
}

TEST(WelcomeFlow, TheMenuComesBackWhenTheProceduresOwnFlowEnded) {
  WelcomeFlow flow(Language::en);
  flow.handle(Intent::tap("start"));
  flow.handle(Intent::tap("read_back"));
  EXPECT_EQ(flow.chosen_procedure(), "read_back");
  flow.show_menu();
  EXPECT_EQ(flow.view().screen, "menu");
  EXPECT_EQ(flow.language(), Language::en) << "the same person is still at the kiosk";
  EXPECT_TRUE(flow.chosen_procedure().empty());
}

TEST(WelcomeFlow, BackFromTheMenuKeepsTheChosenLanguage) {
  WelcomeFlow flow(Language::ja);
  flow.handle(Intent::tap("lang_en"));
  flow.handle(Intent::tap("start"));
  ASSERT_TRUE(flow.handle(Intent::tap("back")));
  EXPECT_EQ(flow.view().screen, "attract");
  EXPECT_EQ(flow.language(), Language::en) << "the same person is still at the kiosk";
}

}  // namespace
}  // namespace mk::flows
