#pragma once

#include <optional>
#include <string_view>

namespace mk::flows {

// The languages the kiosk can show and speak. Japanese is the default; every screen carries an
// English line on the attract screen so a non-Japanese reader finds the language button.
enum class Language { ja, en };

std::string_view to_string(Language language);
std::optional<Language> parse_language(std::string_view code);

}  // namespace mk::flows
