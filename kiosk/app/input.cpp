#include "kiosk/app/input.hpp"

#include <cctype>

namespace mk::kiosk {

std::optional<std::string> pin_pad_key_of(const std::string& key_name) {
  std::string name = key_name;
  if (name.rfind("keypad ", 0) == 0) {
    name = name.substr(7);
  }
  if (name.size() == 1 && std::isalnum(static_cast<unsigned char>(name[0])) != 0) {
    return std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(name[0]))));
  }
  if (name == "backspace") {
    return std::string("delete");
  }
  if (name == "return" || name == "enter") {
    return std::string("confirm");
  }
  return std::nullopt;
}

}  // namespace mk::kiosk
