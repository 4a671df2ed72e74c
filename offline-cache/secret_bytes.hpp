#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace mk::offline_cache {

// Bytes that must not outlive their use: a decrypted payload, the store key. Move-only; wiped
// with OPENSSL_cleanse when the object dies or is cleared. Never printed.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string_view text);
  explicit SecretBytes(std::span<const uint8_t> bytes);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  std::span<const uint8_t> bytes() const { return data_; }
  std::span<uint8_t> mutable_bytes() { return data_; }
  // The bytes as text (payloads are usually JSON); the view dies with this object.
  std::string_view view() const {
    return {reinterpret_cast<const char*>(data_.data()), data_.size()};
  }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  void resize(size_t size);  // wipes what it drops
  void clear();              // wipes

 private:
  std::vector<uint8_t> data_;
};

// Wipes a buffer in place (OPENSSL_cleanse: the optimiser may not drop it).
void wipe(std::span<uint8_t> bytes);

}  // namespace mk::offline_cache
