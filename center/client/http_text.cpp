// The HTTP text helpers of the centre client (http_text.hpp).
#include "center/client/http_text.hpp"

#include <algorithm>
#include <cctype>

namespace mk::center::client::detail {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool has_control_char(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

std::string loggable_path(const std::string& path) {
  return path.substr(0, path.find('?'));
}

bool is_json_content_type(const std::string& content_type) {
  const std::string media =
      lower(trim(std::string_view(content_type)
                     .substr(0, std::min(content_type.size(), content_type.find(';')))));
  return media == "application/json" ||
         (media.starts_with("application/") && media.ends_with("+json"));
}

}  // namespace mk::center::client::detail
