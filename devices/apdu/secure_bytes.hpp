#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace mk::devices {

// Bytes that must not outlive their use: PINs. Move-only; the buffer is wiped (OPENSSL_cleanse,
// which the optimiser may not remove) when the object dies or is cleared. Not formattable, not
// copyable, never logged.
class SecureBytes {
 public:
  SecureBytes() = default;
  explicit SecureBytes(std::string_view text);
  explicit SecureBytes(std::span<const uint8_t> bytes);
  ~SecureBytes();
  SecureBytes(SecureBytes&& other) noexcept;
  SecureBytes& operator=(SecureBytes&& other) noexcept;
  SecureBytes(const SecureBytes&) = delete;
  SecureBytes& operator=(const SecureBytes&) = delete;

  std::span<const uint8_t> bytes() const { return data_; }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  void push_back(uint8_t b);
  void clear();  // wipes

 private:
  std::vector<uint8_t> data_;
};

// Wipes a buffer in place (for copies a PIN passed through, e.g. an encoded APDU).
void wipe(std::span<uint8_t> bytes);

}  // namespace mk::devices
