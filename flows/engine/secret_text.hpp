#pragma once

// A PIN on its way from the keypad to the card: the one secret buffer (base/secret_bytes.hpp),
// typed into in place (push_back, pop_back) and read once (reveal).
#include "base/secret_bytes.hpp"

namespace mk::flows {

using SecretText = base::SecretBytes;

}  // namespace mk::flows
