// docs/flows.md draws every flow from its transition table and lists the procedures from their
// registry (flows/procedures.hpp): this test fails when a diagram there differs from
// to_mermaid(<the flow's definition>) or the list from the registry, so neither can drift.
// To redraw after a deliberate change: MK_UPDATE_DOCS=1 ctest -R flows_doc (then read the diff).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "flows/procedures.hpp"
#include "flows/staff/staff_flow.hpp"
#include "flows/welcome/welcome_flow.hpp"

namespace mk::flows {
namespace {

const std::filesystem::path kDoc = std::filesystem::path(MK_SOURCE_DIR) / "docs/flows.md";

std::vector<const FlowDefinition*> all_flows() {
  // The flows that are no procedure: the welcome screens and the staff layer over everything.
  std::vector<const FlowDefinition*> defs = {&WelcomeFlow::definition(), &StaffFlow::definition()};
  for (const auto& p : procedures()) {
    if (p.definition != nullptr) {
      defs.push_back(p.definition);
    }
  }
  return defs;
}

const std::string kProceduresBegin =
    "<!-- procedures (generated from flows/procedures.cpp; see tests/flows/flows_doc_test.cpp) "
    "-->";
const std::string kProceduresEnd = "<!-- /procedures -->";

std::string procedures_block() {
  std::string out = kProceduresBegin +
                    "\n| Menu id | What a person does | Flow | Keeps records | Needs the centre |\n"
                    "| --- | --- | --- | --- | --- |\n";
  for (const auto& p : procedures()) {
    out += "| `" + p.id + "` | " + p.summary + " | " +
           (p.definition != nullptr ? "[" + p.definition->name + "](#" + p.definition->name + ")"
                                    : std::string("not offered yet")) +
           " | " + (p.keeps_records ? "yes" : "no") + " | " + (p.needs_center ? "yes" : "no") +
           " |\n";
  }
  return out + kProceduresEnd;
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

TEST(FlowsDoc, TheListOfProceduresIsTheRegistry) {
  std::string doc = read_doc();
  const size_t begin = doc.find(kProceduresBegin);
  const size_t end = doc.find(kProceduresEnd, begin == std::string::npos ? 0 : begin);
  if (std::getenv("MK_UPDATE_DOCS") != nullptr) {
    if (begin == std::string::npos || end == std::string::npos) {
      const size_t first_flow = doc.find("\n## ");
      doc.insert(first_flow == std::string::npos ? doc.size() : first_flow + 1,
                 "## Procedures\n\n" + procedures_block() + "\n\n");
    } else {
      doc.replace(begin, end + kProceduresEnd.size() - begin, procedures_block());
    }
    std::ofstream(kDoc, std::ios::binary) << doc;
    return;
  }
  ASSERT_NE(begin, std::string::npos)
      << "docs/flows.md has no list of procedures (MK_UPDATE_DOCS=1)";
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(doc.substr(begin, end + kProceduresEnd.size() - begin), procedures_block())
      << "docs/flows.md: the list of procedures differs from flows/procedures.cpp "
         "(MK_UPDATE_DOCS=1 redraws it)";
}

}  // namespace
}  // namespace mk::flows
