#pragma once

// The NPA's FAQ on the マイナ免許証 as the kiosk offers it to read (issue 16, "what a person may
// ask"): sections of questions and answers, in each language the kiosk has one for, and a search
// over them. Plain data for the flow; the kiosk loads the files and runs the search
// (kiosk/faq/faq_library.hpp), so the flow stays pure.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "flows/language.hpp"

namespace mk::flows {

struct FaqEntry {
  std::string id;  // "4.5": section and place in it, the same in every language
  std::string question;
  std::string answer;  // lines separated by '\n'; links written "<label,https://…>"
};

struct FaqSection {
  int number = 0;  // the FAQ's own, 1–11
  std::string title;
  std::vector<FaqEntry> entries;
};

// A word offered as a button to search for: the kiosk has no Japanese keyboard.
struct FaqTopic {
  std::string label;
  std::string query;
};

struct FaqDocument {
  Language language = Language::ja;
  std::string source;  // whose FAQ it is
  std::string note;    // a translation's note (the Japanese text is the authority); "" otherwise
  std::vector<FaqSection> sections;
  std::vector<FaqTopic> topics;

  const FaqSection* section(int number) const;
  const FaqEntry* entry(std::string_view id) const;
};

// Used by one thread at a time (the UI thread's flow).
class FaqLibrary {
 public:
  virtual ~FaqLibrary() = default;
  // The FAQ in `language`, or the original (Japanese) when there is none in it.
  virtual const FaqDocument& document(Language language) const = 0;
  // The ids of the entries of document(language) whose question or answer holds `query` (width
  // and case folded; a query that starts with a letter or digit found only where a word starts),
  // best first, at most `limit`.
  virtual std::vector<std::string> search(Language language, std::string_view query,
                                          std::size_t limit) const = 0;
};

// A library with no FAQ in it (a kiosk whose FAQ files could not be read): its document has no
// section, and a search finds nothing.
const FaqLibrary& no_faq();

// An answer as a screen shows it: each link "<label,url>" written "label (url)".
std::string readable_answer(std::string_view answer);
// The addresses of an answer's links, in order.
std::vector<std::string> answer_links(std::string_view answer);
// An answer's words, as a search looks through them: each link's label, not its address (a search
// for "ic" must not find "traffic" in a URL).
std::string answer_words(std::string_view answer);

}  // namespace mk::flows
