#pragma once

// What every wire type of the centre API (wire.hpp) is read and written with: WireError, the JSON
// parse of a body, and the hex and base64 codecs of byte fields.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "center/issuer/types.hpp"

namespace mk::center::api {

using Bytes = issuer::Bytes;
using Json = nlohmann::json;

// A body that is not what the API says. `field()` is the JSON path of the offending member
// ("rows[2].hash", "" for the body itself); the message never holds the member's value.
class WireError : public std::runtime_error {
 public:
  WireError(std::string field, const std::string& problem);
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Parses `text` as JSON and then as T; JSON syntax errors become WireError("", ...).
Json parse_json(std::string_view text);
template <typename T>
T parse_body(std::string_view text) {
  return parse_json(text).get<T>();
}

// A field's bytes from hex (base/hex.hpp; written with base::to_hex, upper case) and base64
// (OpenSSL's). Decoders throw WireError(field, ...) on bad input.
Bytes from_hex(std::string_view hex, const std::string& field);
std::string to_base64(std::span<const uint8_t> bytes);
Bytes from_base64(std::string_view text, const std::string& field);

// Declares a wire type's nlohmann-json to_json / from_json (from_json validates, throwing
// WireError). T is a type name: it cannot take parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define MK_CENTER_API_JSON(T)        \
  void to_json(Json& j, const T& v); \
  void from_json(const Json& j, T& v);
// NOLINTEND(bugprone-macro-parentheses)

}  // namespace mk::center::api
