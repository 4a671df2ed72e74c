#include "base/hex.hpp"

#include <algorithm>

namespace mk::base {

namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool is_dump_separator(char c) {
  return c == ' ' || c == ':' || c == '\n' || c == '\t' || c == '\r';
}

std::optional<std::vector<uint8_t>> decode(std::string_view text, bool skip_separators) {
  std::vector<uint8_t> out;
  out.reserve(text.size() / 2);
  int high = -1;
  for (const char c : text) {
    if (skip_separators && is_dump_separator(c)) {
      continue;
    }
    const int v = digit_value(c);
    if (v < 0) {
      return std::nullopt;
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

void encode_hex(std::span<const uint8_t> bytes, std::span<char> out, HexCase letters) {
  const char* digits = letters == HexCase::upper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (size_t i = 0; i < bytes.size() && 2 * i + 1 < out.size(); ++i) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 0x0F];
  }
}

std::string to_hex(std::span<const uint8_t> bytes, std::string_view separator) {
  std::string out;
  out.reserve(bytes.size() * (2 + separator.size()));
  char pair[2];
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) {
      out += separator;
    }
    encode_hex(bytes.subspan(i, 1), pair);
    out.append(pair, 2);
  }
  return out;
}

std::string to_lower_hex(std::span<const uint8_t> bytes) {
  std::string out(bytes.size() * 2, '\0');
  encode_hex(bytes, out, HexCase::lower);
  return out;
}

std::optional<std::vector<uint8_t>> from_hex(std::string_view hex) {
  return decode(hex, false);
}

std::optional<std::vector<uint8_t>> from_hex_dump(std::string_view text) {
  return decode(text, true);
}

std::string to_hex_lines(const std::vector<std::vector<uint8_t>>& lines) {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) {
      out += '\n';
    }
    out += to_hex(line);
  }
  return out;
}

std::optional<std::vector<std::vector<uint8_t>>> from_hex_lines(std::string_view text) {
  std::vector<std::vector<uint8_t>> out;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    if (end > 0) {
      auto bytes = from_hex(text.substr(0, end));
      if (!bytes) {
        return std::nullopt;
      }
      out.push_back(std::move(*bytes));
    }
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return out;
}

bool decode_hex(std::string_view hex, std::span<uint8_t> out) {
  if (hex.size() != 2 * out.size()) {
    std::fill(out.begin(), out.end(), uint8_t{0});
    return false;
  }
  for (size_t i = 0; i < out.size(); ++i) {
    const int high = digit_value(hex[2 * i]);
    const int low = digit_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      std::fill(out.begin(), out.end(), uint8_t{0});
      return false;
    }
    out[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return true;
}

}  // namespace mk::base
