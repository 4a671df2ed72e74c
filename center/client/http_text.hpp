#pragma once

// Internal to center/client: the text of HTTP requests and answers as the client checks and logs
// it (header names, content types, paths without their query string).

#include <string>
#include <string_view>

namespace mk::center::client::detail {

std::string lower(std::string_view s);
// Without the spaces and tabs around it (and a header line's CR LF).
std::string_view trim(std::string_view s);
bool has_control_char(std::string_view s);
// The path as the log may show it: no query string (it could carry a search term).
std::string loggable_path(const std::string& path);
// "application/json; charset=utf-8" -> true; also "application/<x>+json".
bool is_json_content_type(const std::string& content_type);

}  // namespace mk::center::client::detail
