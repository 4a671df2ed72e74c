#include "offline-cache/sensitive_guard.hpp"

#include <string>

namespace mk::offline_cache {
namespace {

// The digit at `i` (ASCII '0'-'9' or full-width U+FF10-U+FF19 in UTF-8), and its byte length.
int digit_at(std::string_view text, size_t i, size_t& length) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c >= '0' && c <= '9') {
    length = 1;
    return c - '0';
  }
  if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBC) {
    const auto d = static_cast<unsigned char>(text[i + 2]);
    if (d >= 0x90 && d <= 0x99) {
      length = 3;
      return d - 0x90;
    }
  }
  return -1;
}

}  // namespace

bool is_valid_my_number(std::string_view digits) {
  if (digits.size() != 12) {
    return false;
  }
  for (const char c : digits) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  // P_n is the n-th digit counted leftwards from the one before the check digit; Q_n is n+1
  // for n <= 6 and n-5 for n >= 7.
  int sum = 0;
  for (int n = 1; n <= 11; ++n) {
    const int p = digits[static_cast<size_t>(11 - n)] - '0';
    const int q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const int remainder = sum % 11;
  const int check = remainder <= 1 ? 0 : 11 - remainder;
  return check == digits[11] - '0';
}

std::optional<std::string> find_my_number(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    size_t length = 0;
    if (digit_at(text, i, length) < 0) {
      ++i;
      continue;
    }
    // A run of digits with single separators between digits.
    const size_t start = i;
    std::string digits;
    while (i < text.size()) {
      const int d = digit_at(text, i, length);
      if (d >= 0) {
        digits.push_back(static_cast<char>('0' + d));
        i += length;
        continue;
      }
      size_t next_length = 0;
      if ((text[i] == ' ' || text[i] == '-') && i + 1 < text.size() &&
          digit_at(text, i + 1, next_length) >= 0) {
        ++i;
        continue;
      }
      break;
    }
    if (digits.size() == 12 && is_valid_my_number(digits)) {
      return "a 12-digit number with a valid My Number check digit at byte " +
             std::to_string(start);
    }
  }
  return std::nullopt;
}

}  // namespace mk::offline_cache
