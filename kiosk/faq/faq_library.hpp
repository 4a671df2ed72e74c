#pragma once

// The FAQ files of the assets (<assets>/faq/<language>.json: the NPA's FAQ, and its translations)
// and the search over them: an in-memory SQLite FTS5 table with the trigram tokenizer, which finds
// a word inside Japanese text that has no spaces between words. Texts are indexed and searched as
// search keys (NFKC, case and dash variants folded, base/text), so "ＰＩＮ" finds "PIN"; links
// are indexed by their labels, not their addresses. A query shorter than a trigram (one or two
// characters: "講習") is looked up with LIKE over the same table. A query that starts with a
// letter or digit is kept only where a word starts ("pin" is not found in "keeping", "ic" not in
// "licence"). Questions weigh more than answers in the ranking.

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/sqlite/database.hpp"
#include "flows/faq/faq.hpp"

namespace mk::kiosk {

// A FAQ file that is missing, not JSON, or not a FAQ; the message names the file and the problem.
class FaqFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FaqLibrary final : public flows::FaqLibrary {
 public:
  // Reads every language's file from `dir` and indexes them. Every language the kiosk has needs
  // one, with the same sections and entry ids as the Japanese original. Throws FaqFileError.
  static std::unique_ptr<FaqLibrary> load(const std::filesystem::path& dir);
  // One file's FAQ, checked (ids, sections, no empty text); throws FaqFileError.
  static flows::FaqDocument read_file(const std::filesystem::path& file);

  const flows::FaqDocument& document(flows::Language language) const override;
  std::vector<std::string> search(flows::Language language, std::string_view query,
                                  std::size_t limit) const override;

 private:
  explicit FaqLibrary(std::map<flows::Language, flows::FaqDocument> documents);

  std::map<flows::Language, flows::FaqDocument> documents_;
  // Used from one thread at a time (the UI thread's flow); SQLite's own mutex is off.
  mutable base::sqlite::Database index_;
};

}  // namespace mk::kiosk
