#include "kiosk/i18n/catalog.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/welcome/welcome_flow.hpp"

namespace mk::kiosk {
namespace {

using flows::Language;

const std::filesystem::path kTexts = std::filesystem::path(MK_SOURCE_DIR) / "assets/texts";

TEST(Catalog, EveryLanguageHasTheSameKeysAndEveryKeyANote) {
  const Catalog catalog = Catalog::load(kTexts);
  const auto& ja = catalog.entries(Language::ja);
  const auto& en = catalog.entries(Language::en);
  ASSERT_FALSE(ja.empty());
  for (const auto& [key, entry] : ja) {
    EXPECT_TRUE(en.contains(key)) << "en lacks " << key;
    EXPECT_FALSE(entry.note.empty()) << "ja " << key << " has no translator note";
    EXPECT_FALSE(entry.text.empty()) << "ja " << key << " is empty";
  }
  for (const auto& [key, entry] : en) {
    EXPECT_TRUE(ja.contains(key)) << "ja lacks " << key;
  }
}

TEST(Catalog, EveryTextTheWelcomeFlowCanShowExists) {
  const Catalog catalog = Catalog::load(kTexts);
  for (const auto language : {Language::ja, Language::en}) {
    flows::WelcomeFlow flow(language);
    std::vector<flows::ViewModel> views{flow.view()};
    flow.handle(flows::Intent::tap("start"));
    views.push_back(flow.view());
    for (const auto& p : flows::procedures()) {
      flows::WelcomeFlow inner(language);
      inner.handle(flows::Intent::tap("start"));
      inner.handle(flows::Intent::tap(p.id));
      views.push_back(inner.view());
    }
    for (const auto& vm : views) {
      for (const auto& [role, ref] : vm.texts) {
        catalog.text(language, ref);
      }
      for (const auto& action : vm.actions) {
        catalog.text(language, action.label);
      }
    }
  }
  EXPECT_TRUE(catalog.missing().empty()) << *catalog.missing().begin();
}

TEST(Catalog, ParametersAreFilledInAndMissingKeysAreVisible) {
  const auto dir = std::filesystem::path(testing::TempDir()) / "catalog_params";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ja.toml")
      << "[pin.tries]\ntext = \"残り{count}回です。{count}回\"\nnote = \"n\"\n";
  std::ofstream(dir / "en.toml") << "[pin.tries]\ntext = \"{count} tries left\"\nnote = \"n\"\n";
  const Catalog catalog = Catalog::load(dir);
  EXPECT_EQ(catalog.text(Language::ja, {"pin.tries", {{"count", "3"}}}), "残り3回です。3回");
  EXPECT_EQ(catalog.text(Language::en, {"pin.tries", {{"count", "{count}"}}}), "{count} tries left")
      << "a value that looks like a placeholder is not expanded again";
  EXPECT_EQ(catalog.text(Language::en, {"no.such.key", {}}), "[no.such.key]");
  EXPECT_EQ(catalog.missing().count("en:no.such.key"), 1U);
}

TEST(Catalog, BrokenFileIsAnErrorNamingTheFile) {
  const auto dir = std::filesystem::path(testing::TempDir()) / "catalog_broken";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ja.toml") << "[a]\ntext = \"x\"\nnote = \"n\"\n";
  std::ofstream(dir / "en.toml") << "[a\ntext = \n";
  try {
    Catalog::load(dir);
    FAIL() << "a broken catalog loaded";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), testing::HasSubstr("en.toml"));
  }
}

// A text that sends the person to a procedure names it by {procedure:<id>}: the menu's own label,
// so the two cannot drift apart (they had: 「記録内容を見る」 for a menu item called otherwise).
TEST(Catalog, TextsNameProceduresAsTheMenuDoes) {
  const Catalog catalog = Catalog::load(kTexts);
  for (const auto language : {Language::ja, Language::en}) {
    std::set<std::string> labels;
    for (const auto& p : flows::procedures()) {
      labels.insert(catalog.text(language, {p.label_key, {}}));
    }
    for (const auto& [key, entry] : catalog.entries(language)) {
      const std::string shown = catalog.text(language, {key, {}});
      EXPECT_EQ(shown.find("[procedure:"), std::string::npos)
          << key << " names a procedure that does not exist";
      if (key.starts_with("menu.")) {
        continue;
      }
      for (const auto& label : labels) {
        for (const auto& quoted : {"「" + label + "」", "“" + label + "”", "'" + label + "'"}) {
          if (entry.text.find(quoted) != std::string::npos) {
            ADD_FAILURE() << key << " spells the menu label " << quoted
                          << " out instead of {procedure:<id>}";
          }
        }
      }
    }
  }
  EXPECT_EQ(catalog.text(Language::ja, {"read_back.no_record.body", {}}).find("{procedure"),
            std::string::npos);
}

TEST(Catalog, AProcedurePlaceholderBecomesTheMenuLabel) {
  const auto dir = std::filesystem::path(testing::TempDir()) / "catalog_procedure";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ja.toml") << "[menu.read_back]\ntext = \"確かめる\"\nnote = \"n\"\n"
                                    "[hint]\ntext = \"「{procedure:read_back}」へ\"\nnote = \"n\"\n"
                                    "[bad]\ntext = \"{procedure:nothing}\"\nnote = \"n\"\n";
  std::ofstream(dir / "en.toml") << "[menu.read_back]\ntext = \"Check\"\nnote = \"n\"\n";
  const Catalog catalog = Catalog::load(dir);
  EXPECT_EQ(catalog.text(Language::ja, {"hint", {}}), "「確かめる」へ");
  EXPECT_EQ(catalog.text(Language::ja, {"bad", {}}), "[procedure:nothing]");
  EXPECT_EQ(catalog.missing().count("procedure:nothing"), 1U);
}

}  // namespace
}  // namespace mk::kiosk
