#pragma once

// A decrypted payload, the store key: the one secret buffer (base/secret_bytes.hpp).
#include "base/secret_bytes.hpp"

namespace mk::offline_cache {

using base::SecretBytes;
using base::wipe;

}  // namespace mk::offline_cache
