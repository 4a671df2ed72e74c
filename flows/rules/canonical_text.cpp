#include "flows/rules/canonical_text.hpp"

#include <stdexcept>

namespace mk::flows {

std::string canonical_text(
    std::string_view header,
    const std::vector<std::pair<std::string_view, std::string_view>>& fields) {
  std::string out(header);
  out += '\n';
  for (const auto& [label, value] : fields) {
    if (value.empty() || value.find_first_of("\r\n") != std::string_view::npos) {
      throw std::invalid_argument("a document's field is empty or holds a line break");
    }
    out.append(label).append(": ").append(value) += '\n';
  }
  return out;
}

std::optional<std::vector<std::string>> parse_canonical_text(
    std::string_view text, std::string_view header, const std::vector<std::string_view>& labels) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) {
      return std::nullopt;  // the last line ends in LF too
    }
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  if (lines.size() != labels.size() + 1 || lines[0] != header) {
    return std::nullopt;
  }
  std::vector<std::string> values;
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string_view line = lines[i + 1];
    const size_t prefix = labels[i].size() + 2;
    if (!line.starts_with(labels[i]) || line.substr(labels[i].size(), 2) != ": " ||
        line.size() == prefix || line.find('\r') != std::string_view::npos) {
      return std::nullopt;
    }
    values.emplace_back(line.substr(prefix));
  }
  return values;
}

bool is_upper_hex(std::string_view text) {
  if (text.empty() || text.size() % 2 != 0) {
    return false;
  }
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace mk::flows
