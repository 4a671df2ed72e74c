#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "flows/language.hpp"
#include "flows/view_model.hpp"

namespace mk::kiosk {

// The user-visible texts of every language, by key. Files: <assets>/texts/<lang>.toml, one
// table per key holding `text` and a `note` for translators.
class Catalog {
 public:
  struct Entry {
    std::string text;
    std::string note;
  };

  // Loads every language; throws std::runtime_error naming the file and the problem.
  static Catalog load(const std::filesystem::path& texts_dir);

  // The text for a reference in a language, parameters filled in. A missing key is recorded
  // (see missing()) and shown as its key in brackets, so it is visible and never blank.
  std::string text(flows::Language language, const flows::TextRef& ref) const;

  const std::map<std::string, Entry>& entries(flows::Language language) const;
  const std::set<std::string>& missing() const { return missing_; }

 private:
  std::map<flows::Language, std::map<std::string, Entry>> languages_;
  mutable std::set<std::string> missing_;
};

}  // namespace mk::kiosk
