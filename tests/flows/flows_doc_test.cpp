// docs/flows.md draws every flow from its transition table: this test fails when a diagram there
// differs from to_mermaid(<the flow's definition>), so the picture cannot drift from the code.
// To redraw after a deliberate change: MK_UPDATE_DOCS=1 ctest -R flows_doc (then read the diff).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "flows/holding_form/holding_form_flow.hpp"
#include "flows/read_back/read_back_flow.hpp"
#include "flows/record/record_flow.hpp"
#include "flows/renewal/renewal_flow.hpp"

namespace mk::flows {
namespace {

const std::filesystem::path kDoc = std::filesystem::path(MK_SOURCE_DIR) / "docs/flows.md";

std::vector<const FlowDefinition*> all_flows() {
  return {&RecordFlow::definition(), &ReadBackFlow::definition(), &HoldingFormFlow::definition(),
          &RecordFlow::history_definition(), &RenewalFlow::definition()};
}

std::string read_doc() {
  std::ifstream in(kDoc, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string block(const FlowDefinition& def) {
  return "<!-- flow:" + def.name +
         " (generated from the table; see tests/flows/flows_doc_test.cpp) -->\n```mermaid\n" +
         to_mermaid(def) + "```\n<!-- /flow:" + def.name + " -->";
}

// The [begin, end) of the generated block of `name` in `doc`, or npos.
std::pair<size_t, size_t> find_block(const std::string& doc, const std::string& name) {
  const size_t begin = doc.find("<!-- flow:" + name + " ");
  const std::string end_marker = "<!-- /flow:" + name + " -->";
  const size_t end = doc.find(end_marker, begin == std::string::npos ? 0 : begin);
  if (begin == std::string::npos || end == std::string::npos) {
    return {std::string::npos, std::string::npos};
  }
  return {begin, end + end_marker.size()};
}

TEST(FlowsDoc, EveryDiagramMatchesItsTable) {
  std::string doc = read_doc();
  const bool update = std::getenv("MK_UPDATE_DOCS") != nullptr;
  for (const FlowDefinition* def : all_flows()) {
    const auto [begin, end] = find_block(doc, def->name);
    if (update) {
      if (begin == std::string::npos) {
        doc += "\n## " + def->name + "\n\n" + block(*def) + "\n";
      } else {
        doc.replace(begin, end - begin, block(*def));
      }
      continue;
    }
    ASSERT_NE(begin, std::string::npos)
        << "docs/flows.md has no diagram of flow '" << def->name << "' (MK_UPDATE_DOCS=1 adds it)";
    EXPECT_EQ(doc.substr(begin, end - begin), block(*def))
        << "docs/flows.md: the diagram of '" << def->name
        << "' differs from its table (MK_UPDATE_DOCS=1 redraws it)";
  }
  if (update) {
    std::ofstream(kDoc, std::ios::binary) << doc;
  }
}

}  // namespace
}  // namespace mk::flows
