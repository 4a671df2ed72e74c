#pragma once

// A PIN on its way from the keypad to the card: move-only, never printed, wiped when it dies.
// flows/ may not use OpenSSL, so the wipe is a volatile store the compiler cannot drop.

#include <string>
#include <string_view>
#include <utility>

namespace mk::flows {

class SecretText {
 public:
  // Room for the longest PIN (16) without a reallocation, which would leave a copy behind.
  static constexpr size_t kCapacity = 32;

  SecretText() { value_.reserve(kCapacity); }
  explicit SecretText(std::string_view value) : SecretText() { value_.assign(value); }
  SecretText(const SecretText&) = delete;
  SecretText& operator=(const SecretText&) = delete;
  // A move copies the characters and wipes the source: moving a short std::string copies its
  // inline buffer and would leave the digits in the old one.
  SecretText(SecretText&& other) noexcept : SecretText() {
    value_.assign(other.value_);
    other.wipe();
  }
  SecretText& operator=(SecretText&& other) noexcept {
    if (this != &other) {
      wipe();
      value_.assign(other.value_);
      other.wipe();
    }
    return *this;
  }
  ~SecretText() { wipe(); }

  // Typing on a PIN pad: in place, never through a second buffer.
  void push_back(char c) {
    if (value_.size() < kCapacity) {
      value_.push_back(c);
    }
  }
  void pop_back() {
    if (!value_.empty()) {
      value_.back() = 0;
      value_.pop_back();
    }
  }

  // Overwrites the whole buffer (every byte a character ever occupied), then empties it.
  void wipe() noexcept {
    value_.resize(value_.capacity());
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
