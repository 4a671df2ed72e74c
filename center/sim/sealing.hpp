#pragma once

// The centre simulator's own secret (64 random bytes beside the database, mode 0600): the first
// half keys the HMAC of idempotent requests (a plain hash of a body holding a 4-digit PIN could be
// reversed), the second half seals registered license PINs (AES-256-GCM). A real centre keeps
// this in an HSM.

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "base/secret_bytes.hpp"

namespace mk::center::sim {

std::vector<uint8_t> load_or_create_secret(const std::filesystem::path& file);

// AES-256-GCM: nonce 12 || ciphertext || tag 16.
std::vector<uint8_t> seal(std::span<const uint8_t> key, std::span<const uint8_t> plaintext);
base::SecretBytes unseal(std::span<const uint8_t> key, std::span<const uint8_t> sealed);

}  // namespace mk::center::sim
