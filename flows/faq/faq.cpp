#include "flows/faq/faq.hpp"

#include <algorithm>

namespace mk::flows {

namespace {

// A link's address holds no white space and no bracket of either kind.
bool plausible_address(std::string_view url) {
  for (const std::string_view bad : {" ", "\n", "\t", "<", ">", "＜", "＞"}) {
    if (url.find(bad) != std::string_view::npos) {
      return false;
    }
  }
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

// Calls `each(label, url)` for every link "<label,url>" of `text` (the NPA writes a few with
// full-width brackets, "＜label,url＞") and `plain(piece)` for the text around them; a bracket
// that starts no link is plain text.
template <class Plain, class Link>
void walk_links(std::string_view text, Plain plain, Link each) {
  struct Brackets {
    std::string_view open;
    std::string_view close;
  };
  static constexpr Brackets kBrackets[] = {{"<", ">"}, {"＜", "＞"}};
  while (!text.empty()) {
    // The first link of the text, with either kind of brackets.
    std::size_t open = std::string_view::npos;
    std::size_t comma = 0;
    std::size_t close = 0;
    std::size_t open_size = 0;
    std::size_t close_size = 0;
    for (const Brackets& b : kBrackets) {
      for (std::size_t at = text.find(b.open); at != std::string_view::npos && at < open;
           at = text.find(b.open, at + 1)) {
        const auto end = text.find(b.close, at);
        const auto sep = text.find(",http", at);
        // The link's own brackets: no other one opens before its address.
        if (end != std::string_view::npos && sep != std::string_view::npos && sep < end &&
            text.find(b.open, at + 1) > sep &&
            plausible_address(text.substr(sep + 1, end - sep - 1))) {
          open = at;
          comma = sep;
          close = end;
          open_size = b.open.size();
          close_size = b.close.size();
          break;
        }
      }
    }
    if (open == std::string_view::npos) {
      plain(text);
      return;
    }
    plain(text.substr(0, open));
    each(text.substr(open + open_size, comma - open - open_size),
         text.substr(comma + 1, close - comma - 1));
    text.remove_prefix(close + close_size);
  }
}

class NoFaq final : public FaqLibrary {
 public:
  const FaqDocument& document(Language) const override { return empty_; }
  std::vector<std::string> search(Language, std::string_view, std::size_t) const override {
    return {};
  }

 private:
  FaqDocument empty_;
};

}  // namespace

const FaqLibrary& no_faq() {
  static const NoFaq library;
  return library;
}

const FaqSection* FaqDocument::section(int number) const {
  const auto it = std::find_if(sections.begin(), sections.end(),
                               [&](const FaqSection& s) { return s.number == number; });
  return it == sections.end() ? nullptr : &*it;
}

const FaqEntry* FaqDocument::entry(std::string_view id) const {
  for (const FaqSection& s : sections) {
    for (const FaqEntry& e : s.entries) {
      if (e.id == id) {
        return &e;
      }
    }
  }
  return nullptr;
}

std::string readable_answer(std::string_view answer) {
  std::string out;
  walk_links(
      answer, [&](std::string_view plain) { out += plain; },
      [&](std::string_view label, std::string_view url) {
        out.append(label).append(" (").append(url).append(")");
      });
  return out;
}

std::string answer_words(std::string_view answer) {
  std::string out;
  walk_links(
      answer, [&](std::string_view plain) { out += plain; },
      [&](std::string_view label, std::string_view) { out += label; });
  return out;
}

std::vector<std::string> answer_links(std::string_view answer) {
  std::vector<std::string> urls;
  walk_links(
      answer, [](std::string_view) {},
      [&](std::string_view, std::string_view url) { urls.emplace_back(url); });
  return urls;
}

}  // namespace mk::flows
