#pragma once

// The vocabulary of the issuer (docs/issuer-channel.md): bytes, AES-128 keys and the one error.

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace mk::center::issuer {

using Bytes = std::vector<uint8_t>;
using AesKey = std::array<uint8_t, 16>;  // AES-128
using Block = std::array<uint8_t, 16>;   // one AES block (also a CMAC value)

// Everything the issuer refuses or cannot do: a bad master-key file, a card answer that does not
// authenticate, a command that cannot be built. The message says why, and never holds key bytes.
class IssuerError : public std::runtime_error {
 public:
  explicit IssuerError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace mk::center::issuer
