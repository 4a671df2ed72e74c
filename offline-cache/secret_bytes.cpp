#include "offline-cache/secret_bytes.hpp"

#include <openssl/crypto.h>

namespace mk::offline_cache {

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

void SecretBytes::resize(size_t size) {
  if (size < data_.size()) {
    wipe(std::span<uint8_t>(data_).subspan(size));
    data_.resize(size);
    return;
  }
  // Growing may move the buffer: copy into a fresh one and wipe the old.
  std::vector<uint8_t> grown(size, 0);
  std::copy(data_.begin(), data_.end(), grown.begin());
  clear();
  data_ = std::move(grown);
}

void SecretBytes::clear() {
  wipe(data_);
  data_.clear();
  data_.shrink_to_fit();
}

}  // namespace mk::offline_cache
