// docs/error-codes.md against the sources (issue 12 §6): every diagnostic code the kiosk can log or
// show is on the page with what it means and what staff do, and every code on the page is one the
// sources still use — so the page cannot drift from the code.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/procedures.hpp"

namespace {

namespace fs = std::filesystem;
const fs::path kSource(MK_SOURCE_DIR);

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every "MK-…" string literal in the product's sources (not the tests), with a file using it.
std::map<std::string, std::string> codes_in_sources() {
  // A label of the issuer's key derivation, spelt like a code but no diagnostic.
  const std::set<std::string> not_codes = {"MK-SCP03-DIV"};
  const std::regex literal("\"(MK-[A-Z0-9]+(?:-[A-Z0-9]+)*)\"");
  std::map<std::string, std::string> found;
  for (const char* dir : {"base", "flows", "devices", "center", "offline-cache", "kiosk"}) {
    for (const auto& entry : fs::recursive_directory_iterator(kSource / dir)) {
      const auto ext = entry.path().extension();
      if (ext != ".cpp" && ext != ".hpp") {
        continue;
      }
      const std::string text = read(entry.path());
      for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it) {
        if (not_codes.count((*it)[1]) == 0) {
          found.emplace((*it)[1], fs::relative(entry.path(), kSource).string());
        }
      }
    }
  }
  return found;
}

struct Row {
  std::string level, what, action;
};

// The page's table rows: | `CODE` | level | what happened | what staff do |
std::map<std::string, Row> codes_on_page() {
  std::istringstream page(read(kSource / "docs/error-codes.md"));
  const std::regex row(R"(^\| `(MK-[A-Z0-9-]+)` \| ([a-z]+) \| (.*) \| (.*) \|$)");
  std::map<std::string, Row> rows;
  for (std::string line; std::getline(page, line);) {
    if (std::smatch m; std::regex_match(line, m, row)) {
      EXPECT_TRUE(rows.emplace(m[1], Row{m[2], m[3], m[4]}).second) << m[1] << " twice";
    }
  }
  return rows;
}

TEST(ErrorCodesDoc, EveryCodeInTheSourcesIsOnThePageAndNoOther) {
  const auto sources = codes_in_sources();
  const auto page = codes_on_page();
  ASSERT_GT(sources.size(), 20U) << "the scan found too few codes to be looking at the sources";
  for (const auto& [code, file] : sources) {
    EXPECT_TRUE(page.count(code) != 0) << code << " (" << file << ") is not in docs/error-codes.md";
  }
  for (const auto& [code, row] : page) {
    EXPECT_TRUE(sources.count(code) != 0) << code << " is on the page but in no source";
    EXPECT_TRUE(row.level == "error" || row.level == "warning") << code << ": " << row.level;
    EXPECT_GT(row.what.size(), 10U) << code << ": what happened?";
    EXPECT_GT(row.action.size(), 10U) << code << ": what do staff do?";
  }
}

TEST(ErrorCodesDoc, EveryCodeAFlowDeclaresIsOnThePage) {
  // The flows' tables as the kiosk builds them (shared pieces included), not only their sources.
  const auto page = codes_on_page();
  int coded = 0;
  for (const auto& procedure : mk::flows::procedures()) {
    if (procedure.definition == nullptr) {
      continue;
    }
    for (const auto& state : procedure.definition->states) {
      if (!state.code.empty()) {
        ++coded;
        EXPECT_TRUE(page.count(state.code) != 0)
            << procedure.id << "/" << state.id << ": " << state.code << " is not on the page";
      }
    }
  }
  EXPECT_GT(coded, 20);
}

}  // namespace
