#include "flows/rules/pin_tries.hpp"

namespace mk::flows {

TriesLeft tries_left(int tries) {
  if (tries <= 0) {
    return TriesLeft::none;
  }
  return tries == 1 ? TriesLeft::last : TriesLeft::some;
}

const char* wrong_pin_outcome(int tries) {
  return tries_left(tries) == TriesLeft::none ? "pin_locked" : "wrong_pin";
}

}  // namespace mk::flows
