#include "center/issuer/secret_bytes.hpp"

#include <utility>

#include <openssl/crypto.h>

namespace mk::center::issuer {

void wipe(std::span<uint8_t> bytes) {
  if (!bytes.empty()) {
    OPENSSL_cleanse(bytes.data(), bytes.size());
  }
}

SecretBytes::SecretBytes(std::string_view text) : data_(text.begin(), text.end()) {}

SecretBytes::SecretBytes(std::span<const uint8_t> bytes) : data_(bytes.begin(), bytes.end()) {}

SecretBytes::~SecretBytes() {
  clear();
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) {
  other.data_.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    clear();
    data_ = std::move(other.data_);
    other.data_.clear();
  }
  return *this;
}

void SecretBytes::clear() {
  wipe(data_);
  data_.clear();
}

}  // namespace mk::center::issuer
