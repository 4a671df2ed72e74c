#pragma once

// PINs on their way to a card: the one secret buffer (base/secret_bytes.hpp).
#include "base/secret_bytes.hpp"

namespace mk::devices {

using SecureBytes = base::SecretBytes;
using base::wipe;  // for copies a PIN passed through, e.g. an encoded APDU

}  // namespace mk::devices
