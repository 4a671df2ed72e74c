#pragma once

// A PIN on its way from the keypad to the card: move-only, never printed, wiped when it dies.
// flows/ may not use OpenSSL, so the wipe is a volatile store the compiler cannot drop.

#include <string>
#include <string_view>
#include <utility>

namespace mk::flows {

class SecretText {
 public:
  SecretText() = default;
  explicit SecretText(std::string value) : value_(std::move(value)) {}
  SecretText(const SecretText&) = delete;
  SecretText& operator=(const SecretText&) = delete;
  SecretText(SecretText&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
  SecretText& operator=(SecretText&& other) noexcept {
    if (this != &other) {
      wipe();
      value_ = std::move(other.value_);
      other.wipe();
    }
    return *this;
  }
  ~SecretText() { wipe(); }

  // Overwrites the characters, then empties the string.
  void wipe() noexcept {
    volatile char* p = value_.data();
    for (size_t i = 0; i < value_.size(); ++i) {
      p[i] = 0;
    }
    value_.clear();
  }
  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }
  // For the one place that needs the characters (the card layer, a PIN rule).
  std::string_view reveal() const { return value_; }

 private:
  std::string value_;
};

}  // namespace mk::flows
