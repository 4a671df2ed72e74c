#pragma once

// AES-256-GCM and SHA-256 through OpenSSL's EVP interface, as the store needs them.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/secret_bytes.hpp"

namespace mk::offline_cache::crypto {

constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
using Sha256 = std::array<uint8_t, 32>;

struct Sealed {
  std::array<uint8_t, kNonceSize> nonce{};
  std::vector<uint8_t> ciphertext;  // ciphertext followed by the 16-byte tag
};

// Encrypts with a fresh random nonce (RAND_bytes). Throws StoreError(io) when OpenSSL fails.
Sealed seal(std::span<const uint8_t, 32> key, std::span<const uint8_t> aad,
            std::span<const uint8_t> plaintext);

// Decrypts and checks the tag; throws StoreError(decrypt_failed) on a wrong key, an altered
// ciphertext, nonce or AAD. Nothing of a failed decryption is returned.
base::SecretBytes open(std::span<const uint8_t, 32> key, std::span<const uint8_t> nonce,
                       std::span<const uint8_t> aad, std::span<const uint8_t> ciphertext);

Sha256 sha256(std::span<const uint8_t> data);

// Length-prefixed concatenation for AADs and hash inputs: no two field lists encode alike.
class Encoder {
 public:
  Encoder& add(std::string_view text);
  Encoder& add(std::span<const uint8_t> bytes);
  Encoder& add(int64_t value);  // 8 bytes big-endian
  std::span<const uint8_t> bytes() const { return data_; }

 private:
  std::vector<uint8_t> data_;
};

}  // namespace mk::offline_cache::crypto
