#include "devices/apdu/secure_bytes.hpp"

#include <openssl/crypto.h>

namespace mk::devices {

void wipe(std::span<uint8_t> bytes) {
  if (!bytes.empty()) {
    OPENSSL_cleanse(bytes.data(), bytes.size());
  }
}

SecureBytes::SecureBytes(std::string_view text) {
  data_.reserve(text.size());
  for (const char c : text) {
    data_.push_back(static_cast<uint8_t>(c));
  }
}

SecureBytes::SecureBytes(std::span<const uint8_t> bytes) : data_(bytes.begin(), bytes.end()) {}

SecureBytes::~SecureBytes() {
  clear();
}

SecureBytes::SecureBytes(SecureBytes&& other) noexcept : data_(std::move(other.data_)) {
  other.data_.clear();
}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept {
  if (this != &other) {
    clear();
    data_ = std::move(other.data_);
    other.data_.clear();
  }
  return *this;
}

void SecureBytes::push_back(uint8_t b) {
  // Growing would leave the old buffer unwiped in freed memory: reserve generously first.
  if (data_.size() == data_.capacity()) {
    std::vector<uint8_t> bigger;
    bigger.reserve(data_.capacity() < 16 ? 32 : data_.capacity() * 2);
    bigger.assign(data_.begin(), data_.end());
    wipe(data_);
    data_.swap(bigger);
  }
  data_.push_back(b);
}

void SecureBytes::clear() {
  wipe(data_);
  data_.clear();
}

}  // namespace mk::devices
