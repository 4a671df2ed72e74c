#pragma once

#include <string>
#include <variant>

namespace mk::devices {

// Why card data could not be read: a sentence for the log, naming the field and the fault.
struct ParseError {
  std::string reason;
};

// A parser's result: the value, or why the bytes were not acceptable.
template <typename T>
using Parsed = std::variant<T, ParseError>;

}  // namespace mk::devices
