#include "flows/language.hpp"

namespace mk::flows {

std::string_view to_string(Language language) {
  switch (language) {
    case Language::ja:
      return "ja";
    case Language::en:
      return "en";
  }
  return "ja";
}

std::optional<Language> parse_language(std::string_view code) {
  if (code == "ja") {
    return Language::ja;
  }
  if (code == "en") {
    return Language::en;
  }
  return std::nullopt;
}

}  // namespace mk::flows
