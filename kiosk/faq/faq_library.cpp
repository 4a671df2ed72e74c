#include "kiosk/faq/faq_library.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/text/comparison_text.hpp"

namespace mk::kiosk {

namespace {

using flows::FaqDocument;
using flows::Language;

const Language kLanguages[] = {Language::ja, Language::en};

[[noreturn]] void refuse(const std::filesystem::path& file, const std::string& why) {
  throw FaqFileError("FAQ file " + file.string() + ": " + why);
}

// The text `name` of `object`; refused when missing or holding a control character (a line break
// only where `lines` allows one).
std::string text_of(const nlohmann::json& object, const char* name,
                    const std::filesystem::path& file, const std::string& where,
                    bool lines = false) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) {
    refuse(file, where + " has no text \"" + name + "\"");
  }
  std::string text = it->get<std::string>();
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) < 0x20 && !(lines && c == '\n')) || c == 0x7f) {
      refuse(file, where + ": \"" + name + "\" holds a control character");
    }
  }
  return text;
}

// Occurrences of `needle` in `text`.
std::size_t count_of(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

bool ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// `key` occurs in `text` where a word starts (after the start, or after anything but a letter or
// digit of ASCII), or anywhere when `key` itself starts with no such letter or digit.
bool holds_word(std::string_view text, std::string_view key) {
  if (key.empty() || !ascii_alnum(key.front())) {
    return text.find(key) != std::string_view::npos;
  }
  for (auto at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
    if (at == 0 || !ascii_alnum(text[at - 1])) {
      return true;
    }
  }
  return false;
}

// The numbers of a document's sections and the ids of their entries, to compare a translation's
// with.
std::vector<std::vector<std::string>> shape_of(const FaqDocument& doc) {
  std::vector<std::vector<std::string>> shape;
  for (const auto& section : doc.sections) {
    auto& ids = shape.emplace_back();
    ids.push_back(std::to_string(section.number));
    for (const auto& entry : section.entries) {
      ids.push_back(entry.id);
    }
  }
  return shape;
}

// The number of characters (code points) of UTF-8 text.
std::size_t characters(std::string_view utf8) {
  std::size_t n = 0;
  for (const char c : utf8) {
    n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
  }
  return n;
}

// `text` as a LIKE pattern that matches it anywhere, its own % and _ escaped with '\'.
std::string like_anywhere(std::string_view text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      pattern += '\\';
    }
    pattern += c;
  }
  return pattern + "%";
}

}  // namespace

FaqDocument FaqLibrary::read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    refuse(file, "cannot be read");
  }
  std::stringstream content;
  content << in.rdbuf();
  const auto json = nlohmann::json::parse(content.str(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    refuse(file, "is not a JSON object");
  }
  FaqDocument doc;
  const auto language = flows::parse_language(text_of(json, "language", file, "the file"));
  if (!language) {
    refuse(file, "names no language the kiosk has");
  }
  doc.language = *language;
  doc.source = text_of(json, "source", file, "the file");
  doc.note = text_of(json, "note", file, "the file", true);
  const auto sections = json.find("sections");
  if (sections == json.end() || !sections->is_array() || sections->empty()) {
    refuse(file, "has no sections");
  }
  std::set<std::string> ids;
  for (const auto& s : *sections) {
    if (!s.is_object() || !s.contains("number") || !s["number"].is_number_integer() ||
        !s.contains("entries") || !s["entries"].is_array() || s["entries"].empty()) {
      refuse(file, "a section without its number or entries");
    }
    const auto number = s["number"].get<int64_t>();
    if (number < 1 || number > 99) {
      refuse(file, "a section's number is not 1 to 99");
    }
    flows::FaqSection section;
    section.number = static_cast<int>(number);
    const std::string where = "section " + std::to_string(section.number);
    if (doc.section(section.number) != nullptr) {
      refuse(file, where + " comes twice");
    }
    section.title = text_of(s, "title", file, where);
    if (section.title.empty()) {
      refuse(file, where + " has an empty title");
    }
    for (const auto& e : s["entries"]) {
      if (!e.is_object()) {
        refuse(file, where + " holds an entry that is no object");
      }
      flows::FaqEntry entry{text_of(e, "id", file, where), text_of(e, "question", file, where),
                            text_of(e, "answer", file, where, true)};
      if (entry.id.empty() || entry.question.empty() || entry.answer.empty()) {
        refuse(file, where + " has an entry with an empty id, question or answer");
      }
      // Every "<label,https://…>" a link: none broken so that it would show, or be drawn as a QR
      // code, as half text half address.
      if (count_of(entry.answer, ",http") != flows::answer_links(entry.answer).size()) {
        refuse(file, "entry " + entry.id + " has a link that is not <label,https://address>");
      }
      if (!ids.insert(entry.id).second) {
        refuse(file, "entry " + entry.id + " comes twice");
      }
      section.entries.push_back(std::move(entry));
    }
    doc.sections.push_back(std::move(section));
  }
  if (const auto topics = json.find("topics"); topics != json.end()) {
    if (!topics->is_array()) {
      refuse(file, "\"topics\" is not a list");
    }
    for (const auto& t : *topics) {
      if (!t.is_object()) {
        refuse(file, "a topic is no object");
      }
      flows::FaqTopic topic{text_of(t, "label", file, "a topic"),
                            text_of(t, "query", file, "a topic")};
      if (base::search_key(topic.query).empty()) {
        refuse(file, "topic \"" + topic.label + "\" searches for nothing");
      }
      doc.topics.push_back(std::move(topic));
    }
  }
  return doc;
}

std::unique_ptr<FaqLibrary> FaqLibrary::load(const std::filesystem::path& dir) {
  std::map<Language, FaqDocument> documents;
  for (const Language language : kLanguages) {
    const auto file = dir / (std::string(flows::to_string(language)) + ".json");
    FaqDocument doc = read_file(file);
    if (doc.language != language) {
      refuse(file, "says it is in another language");
    }
    documents.emplace(language, std::move(doc));
  }
  const auto original = shape_of(documents.at(Language::ja));
  for (const auto& [language, doc] : documents) {
    if (shape_of(doc) != original) {
      refuse(dir / (std::string(flows::to_string(language)) + ".json"),
             "its sections and entries are not the Japanese original's");
    }
  }
  return std::unique_ptr<FaqLibrary>(new FaqLibrary(std::move(documents)));
}

FaqLibrary::FaqLibrary(std::map<Language, FaqDocument> documents)
    : documents_(std::move(documents)), index_(base::sqlite::Database::open(":memory:")) {
  index_.exec(
      "CREATE VIRTUAL TABLE faq USING fts5(language UNINDEXED, id UNINDEXED, question, answer, "
      "tokenize = 'trigram')");
  base::sqlite::Transaction transaction(index_);
  for (const auto& [language, doc] : documents_) {
    for (const auto& section : doc.sections) {
      for (const auto& entry : section.entries) {
        index_.prepare("INSERT INTO faq VALUES (?, ?, ?, ?)")
            .bind(1, flows::to_string(language))
            .bind(2, entry.id)
            .bind(3, base::search_key(entry.question))
            .bind(4, base::search_key(flows::answer_words(entry.answer)))
            .run();
      }
    }
  }
  transaction.commit();
}

const FaqDocument& FaqLibrary::document(Language language) const {
  const auto it = documents_.find(language);
  return it != documents_.end() ? it->second : documents_.at(Language::ja);
}

std::vector<std::string> FaqLibrary::search(Language language, std::string_view query,
                                            std::size_t limit) const {
  const std::string key = base::search_key(query);
  std::vector<std::string> ids;
  if (key.empty() || limit == 0) {
    return ids;
  }
  const auto lang = documents_.count(language) != 0 ? language : Language::ja;
  // A trigram index finds three characters or more; fewer are looked for row by row.
  const bool trigram = characters(key) >= 3;
  std::string match;
  if (trigram) {
    // One phrase, in the two text columns; a '"' in it doubled.
    match = "{question answer} : \"";
    for (const char c : key) {
      match += c;
      if (c == '"') {
        match += '"';
      }
    }
    match += "\"";
  } else {
    match = like_anywhere(key);
  }
  try {
    auto statement =
        trigram ? index_.prepare(
                      "SELECT id, question, answer FROM faq WHERE faq MATCH ?1 AND language = ?2 "
                      "ORDER BY bm25(faq, 0.0, 0.0, 4.0, 1.0), rowid")
                : index_.prepare(
                      "SELECT id, question, answer FROM faq WHERE language = ?2 AND (question LIKE "
                      "?1 ESCAPE '\\' "
                      "OR answer LIKE ?1 ESCAPE '\\') ORDER BY question LIKE ?1 ESCAPE '\\' "
                      "DESC, rowid");
    statement.bind(1, match).bind(2, flows::to_string(lang));
    while (ids.size() < limit && statement.step()) {
      // The row holds the texts as indexed: where the word stands in them.
      if (holds_word(statement.column_text(1), key) || holds_word(statement.column_text(2), key)) {
        ids.push_back(statement.column_text(0));
      }
    }
  } catch (const base::sqlite::Error&) {
    // A query the index cannot take finds nothing; the person is told so and may try another.
    ids.clear();
  }
  return ids;
}

}  // namespace mk::kiosk
