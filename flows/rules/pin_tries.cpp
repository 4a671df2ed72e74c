#include "flows/rules/pin_tries.hpp"

namespace mk::flows {

TriesLeft tries_left(int tries) {
  if (tries <= 0) {
    return TriesLeft::none;
  }
  return tries == 1 ? TriesLeft::last : TriesLeft::some;
}

std::string pad_or_locked(int tries, const std::string& pad, const std::string& locked) {
  return tries_left(tries) == TriesLeft::none ? locked : pad;
}

}  // namespace mk::flows
