#pragma once

// The new licence PIN on its way into a C-DECRYPTION block: the one secret buffer
// (base/secret_bytes.hpp).
#include "base/secret_bytes.hpp"

namespace mk::center::issuer {

using base::SecretBytes;
using base::wipe;

}  // namespace mk::center::issuer
