#pragma once

// The AES primitives of the issuer, all done by OpenSSL (EVP_MAC "CMAC" over AES-128-CBC,
// EVP AES-128-ECB/CBC, RAND_bytes). Nothing here is hand-written cryptography. Every function
// throws IssuerError when OpenSSL fails.

#include <span>

#include "center/issuer/types.hpp"

namespace mk::center::issuer {

// AES-CMAC (NIST SP 800-38B) with an AES-128 key: the full 16-byte tag.
Block aes_cmac(const AesKey& key, std::span<const uint8_t> message);

// One block through AES-128-ECB (SCP03's ICV from the encryption counter).
Block aes_ecb_encrypt_block(const AesKey& key, const Block& block);

// AES-128-CBC without padding; `plaintext` must be a multiple of 16 bytes.
Bytes aes_cbc_encrypt(const AesKey& key, const Block& iv, std::span<const uint8_t> plaintext);

// `n` bytes from OpenSSL's CSPRNG.
Bytes random_bytes(size_t n);

}  // namespace mk::center::issuer
