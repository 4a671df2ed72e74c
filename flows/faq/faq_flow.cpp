#include "flows/faq/faq_flow.hpp"

#include <algorithm>
#include <charconv>

namespace mk::flows {

namespace {

namespace st {
using namespace ends;
constexpr StateId sections{"sections"};
constexpr StateId section{"section"};
constexpr StateId entry{"entry"};
constexpr StateId topics{"topics"};
constexpr StateId typing{"typing"};
constexpr StateId results{"results"};
}  // namespace st

constexpr std::string_view kSectionAction = "section:";
constexpr std::string_view kEntryAction = "entry:";
constexpr std::string_view kTopicAction = "topic:";

// Text of the FAQ itself (a question, an answer, a title): shown as it is, in any language.
TextRef verbatim(std::string text) {
  return {"faq.text", {{"text", std::move(text)}}};
}

// The number after `prefix` in an action id ("section:4" → 4); -1 for anything else.
int number_after(std::string_view prefix, std::string_view action) {
  if (action.substr(0, prefix.size()) != prefix) {
    return -1;
  }
  action.remove_prefix(prefix.size());
  int n = -1;
  const auto [end, ec] = std::from_chars(action.data(), action.data() + action.size(), n);
  return ec == std::errc() && end == action.data() + action.size() ? n : -1;
}

}  // namespace

const FlowDefinition& FaqFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "faq";
    d.initial = st::sections;
    // No card: one taken off the reader changes nothing. Cancel and idle end the browsing.
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::sections, st::sections, st::finished, st::finished, false, "the FAQ's sections"},
        {st::section, st::section, st::finished, st::finished, false, "its questions"},
        {st::entry, st::entry, st::finished, st::finished, false, "the answer"},
        {st::topics, st::topics, st::finished, st::finished, false, "words to search for"},
        {st::typing, st::typing, st::finished, st::finished, false, "a word typed (A–Z, 0–9)"},
        {st::results, st::results, st::finished, st::finished, false, "the questions found"},
        {st::finished, "", "", "", true, ""},
    };
    d.transitions = {
        {st::sections, "tap:section:*", st::section}, {st::sections, "tap:search", st::topics},
        {st::sections, "tap:done", st::finished},     {st::section, "tap:entry:*", st::entry},
        {st::section, "tap:back", st::sections},      {st::entry, "back_to_section", st::section},
        {st::entry, "back_to_results", st::results},  {st::entry, "tap:done", st::finished},
        {st::topics, "tap:topic:*", st::results},     {st::topics, "tap:type", st::typing},
        {st::topics, "tap:back", st::sections},       {st::typing, "tap:find", st::results},
        {st::typing, "tap:back", st::topics},         {st::results, "tap:entry:*", st::entry},
        {st::results, "tap:back", st::topics},
    };
    d.validate();
    return d;
  }();
  return def;
}

FaqFlow::FaqFlow(Language language, const FaqLibrary& library)
    : language_(language),
      library_(library),
      document_(library.document(language)),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> FaqFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  for (const StateId id :
       {st::sections, st::section, st::entry, st::topics, st::typing, st::results}) {
    b[id].enter = [this, id] { return show(id); };
  }
  b[st::sections].handle = [this](Event& e) -> Step {
    if (e.label() == "tap:search" && document_.sections.empty()) {
      return stay();  // no FAQ to search: the screen offers only "done"
    }
    return choose_section(e);
  };
  b[st::section].handle = [this](Event& e) { return choose_entry(e, st::section); };
  b[st::results].handle = [this](Event& e) { return choose_entry(e, st::results); };
  b[st::entry].handle = [this](Event& e) -> Step {
    if (e.label() == "tap:back") {
      return {"back_to_" + entry_from_, {}};  // the list the question was opened from
    }
    return {};
  };
  b[st::topics].handle = [this](Event& e) -> Step {
    if (e.kind != EventKind::intent || !e.name.starts_with(kTopicAction)) {
      return {};
    }
    const int n = number_after(kTopicAction, e.name);
    if (n < 0 || static_cast<std::size_t>(n) >= document_.topics.size()) {
      return stay();  // not a word offered
    }
    search(document_.topics[static_cast<std::size_t>(n)].query);
    return {};  // the table's tap:topic:* edge
  };
  b[st::typing].handle = [this](Event& e) -> Step {
    if (e.label() != "tap:find") {
      return {};
    }
    std::string typed(e.secret.reveal());
    e.secret.clear();
    search(std::move(typed));
    return {};  // the table's tap:find edge
  };
  return b;
}

Step FaqFlow::choose_section(const Event& e) {
  if (e.kind != EventKind::intent || !e.name.starts_with(kSectionAction)) {
    return {};
  }
  const int n = number_after(kSectionAction, e.name);
  if (document_.section(n) == nullptr) {
    return stay();  // no such section
  }
  section_ = n;
  return {};  // the table's tap:section:* edge
}

Step FaqFlow::choose_entry(const Event& e, StateId from) {
  if (e.kind != EventKind::intent || !e.name.starts_with(kEntryAction)) {
    return {};
  }
  const std::string id = e.name.substr(kEntryAction.size());
  // Only an entry of the list shown: "back" returns to the list that holds it.
  bool listed = false;
  if (from == st::results) {
    listed = std::find(results_.begin(), results_.end(), id) != results_.end();
  } else if (const FaqSection* s = document_.section(section_)) {
    listed = std::any_of(s->entries.begin(), s->entries.end(),
                         [&](const FaqEntry& entry) { return entry.id == id; });
  }
  if (!listed || document_.entry(id) == nullptr) {
    return stay();  // only a question on the list shown opens
  }
  entry_ = id;
  entry_from_ = from;
  return {};  // the table's tap:entry:* edge
}

void FaqFlow::search(std::string query) {
  query_ = std::move(query);
  // One more than are listed: to say that there are more.
  results_ = library_.search(language_, query_, kMaxResults + 1);
  more_results_ = results_.size() > kMaxResults;
  if (more_results_) {
    results_.resize(kMaxResults);
  }
}

void FaqFlow::list_entries(ViewModel& vm, const std::vector<const FaqEntry*>& entries) const {
  for (const FaqEntry* entry : entries) {
    vm.actions.push_back({std::string(kEntryAction) + entry->id,
                          verbatim(entry->question),
                          ActionStyle::choice,
                          true,
                          {}});
  }
}

ViewModel FaqFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  const std::string state = state_of(screen);
  vm.language = language_;
  vm.kind = ScreenKind::choice;
  const auto action = [&](const std::string& id, const std::string& key, ActionStyle style) {
    vm.actions.push_back({id, {key, {}}, style, true, {}});
  };
  if (state == st::sections) {
    vm.texts["title"] = {"faq.sections.title", {}};
    if (document_.sections.empty()) {
      vm.kind = ScreenKind::error;
      vm.texts["body"] = {"faq.sections.unavailable", {}};
      action("done", "common.done", ActionStyle::primary);
      return vm;
    }
    vm.texts["body"] = {"faq.sections.body", {}};
    vm.details.push_back({"faq.source", {{"source", document_.source}}});
    if (!document_.note.empty()) {
      vm.details.push_back(verbatim(document_.note));
    }
    for (const FaqSection& s : document_.sections) {
      vm.actions.push_back(
          {std::string(kSectionAction) + std::to_string(s.number),
           {"faq.section.label", {{"number", std::to_string(s.number)}, {"title", s.title}}},
           ActionStyle::choice,
           true,
           {}});
    }
    action("done", "common.done", ActionStyle::back);
    action("search", "faq.search", ActionStyle::primary);
  } else if (state == st::section) {
    const FaqSection* s = document_.section(section_);
    vm.texts["title"] = {"faq.section.label",
                         {{"number", std::to_string(section_)}, {"title", s ? s->title : ""}}};
    vm.texts["body"] = {"faq.section.body", {}};
    std::vector<const FaqEntry*> entries;
    if (s != nullptr) {
      for (const FaqEntry& entry : s->entries) {
        entries.push_back(&entry);
      }
    }
    list_entries(vm, entries);
    action("back", "common.back", ActionStyle::back);
  } else if (state == st::entry) {
    vm.kind = ScreenKind::message;
    const FaqEntry* entry = document_.entry(entry_);
    vm.texts["title"] = verbatim(entry ? entry->question : "");
    vm.texts["body"] = verbatim(entry ? readable_answer(entry->answer) : "");
    const auto links = entry ? answer_links(entry->answer) : std::vector<std::string>{};
    if (!links.empty()) {
      vm.qr_code = links.front();  // the first link, to open on the person's phone
    }
    vm.details.push_back({"faq.source", {{"source", document_.source}}});
    action("back", "common.back", ActionStyle::back);
    action("done", "common.done", ActionStyle::primary);
  } else if (state == st::topics) {
    vm.texts["title"] = {"faq.topics.title", {}};
    vm.texts["body"] = {"faq.topics.body", {}};
    for (std::size_t i = 0; i < document_.topics.size(); ++i) {
      vm.actions.push_back({std::string(kTopicAction) + std::to_string(i),
                            verbatim(document_.topics[i].label),
                            ActionStyle::choice,
                            true,
                            {}});
    }
    action("back", "common.back", ActionStyle::back);
    action("type", "faq.type", ActionStyle::primary);
  } else if (state == st::typing) {
    vm.kind = ScreenKind::pin_entry;
    vm.texts["title"] = {"faq.typing.title", {}};
    vm.texts["body"] = {"faq.typing.body", {}};
    PinPadView pad;
    pad.submit_action = "find";
    pad.min_length = 1;
    pad.max_length = 16;
    pad.alphanumeric = true;
    pad.masked = false;  // a word to search for is no secret: the person sees what they type
    vm.pin_pad = pad;
    action("back", "common.back", ActionStyle::back);
  } else if (state == st::results) {
    vm.texts["title"] = {"faq.results.title", {{"query", query_}}};
    vm.texts["body"] = {results_.empty() ? "faq.results.none"
                        : more_results_  ? "faq.results.many"
                                         : "faq.results.body",
                        {{"query", query_}, {"count", std::to_string(results_.size())}}};
    std::vector<const FaqEntry*> entries;
    for (const std::string& id : results_) {
      if (const FaqEntry* entry = document_.entry(id)) {
        entries.push_back(entry);
      }
    }
    list_entries(vm, entries);
    action("back", "common.back", ActionStyle::back);
  }
  return vm;
}

void FaqFlow::wipe() {
  flows::wipe(query_);
  results_.clear();
  entry_.clear();
}

}  // namespace mk::flows
