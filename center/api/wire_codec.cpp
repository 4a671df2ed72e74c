// WireError, the JSON parse of a body, and the hex and base64 codecs (wire_codec.hpp).
#include "center/api/wire_codec.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/evp.h>

#include "base/hex.hpp"

namespace mk::center::api {

WireError::WireError(std::string field, const std::string& problem)
    : std::runtime_error(field.empty() ? problem : field + ": " + problem),
      field_(std::move(field)) {}

Json parse_json(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    throw WireError("", "the body is not JSON");
  }
  return j;
}

Bytes from_hex(std::string_view hex, const std::string& field) {
  auto bytes = base::from_hex(hex);
  if (!bytes) {
    throw WireError(field, "is not an even number of hex digits");
  }
  return std::move(*bytes);
}

std::string to_base64(std::span<const uint8_t> bytes) {
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Bytes from_base64(std::string_view text, const std::string& field) {
  // EVP_DecodeBlock skips surrounding whitespace and does not report padding, so check the
  // alphabet and shape here and take the padding off its count.
  const bool shape =
      text.size() % 4 == 0 && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=';
      });
  const size_t first_pad = text.find('=');
  const bool padding_ok = first_pad == std::string_view::npos ||
                          (first_pad >= text.size() - 2 &&
                           text.find_first_not_of('=', first_pad) == std::string_view::npos);
  if (!shape || !padding_ok) {
    throw WireError(field, "is not base64");
  }
  Bytes out(text.size() / 4 * 3);
  if (text.empty()) {
    return out;
  }
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) {
    throw WireError(field, "is not base64");
  }
  const size_t pad = static_cast<size_t>(std::count(text.end() - 2, text.end(), '='));
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}
}  // namespace mk::center::api
