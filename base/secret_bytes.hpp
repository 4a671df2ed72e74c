#pragma once

// The one secret buffer: PINs on their way to a card, a decrypted payload, a key. Its memory comes
// from SecretAllocator, so every block it ever used — including the ones a growing buffer left
// behind — is locked in RAM (never swapped; best effort, see secret_lock_failures), excluded
// from core dumps, and wiped before it is given back. Move-only; never printed.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace mk::base {

// Overwrites `bytes` with zeros in a way the compiler may not drop (explicit_bzero).
void wipe(std::span<uint8_t> bytes) noexcept;
void wipe(std::span<char> text) noexcept;  // a PIN or key in a string or char array

// Whole pages for each block (MADV_DONTDUMP and mlock work on pages): throws std::bad_alloc.
void* secret_allocate(std::size_t bytes);
// Wipes the block, then unlocks and unmaps it.
void secret_deallocate(void* block, std::size_t bytes) noexcept;
// Blocks that could not be locked in RAM (RLIMIT_MEMLOCK reached) since the process started:
// they are still excluded from dumps and wiped, but may reach swap.
std::size_t secret_lock_failures() noexcept;

template <class T>
struct SecretAllocator {
  using value_type = T;
  SecretAllocator() = default;
  template <class U>
  // NOLINTNEXTLINE(google-explicit-constructor): the allocator rebind converts implicitly
  SecretAllocator(const SecretAllocator<U>& /*other*/) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(secret_allocate(n * sizeof(T))); }
  void deallocate(T* block, std::size_t n) noexcept { secret_deallocate(block, n * sizeof(T)); }
  friend bool operator==(const SecretAllocator&, const SecretAllocator&) { return true; }
};

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string_view text);
  explicit SecretBytes(std::span<const uint8_t> bytes);
  ~SecretBytes() = default;  // the allocator wipes
  // A move hands the block over (the source is left empty); nothing is copied.
  SecretBytes(SecretBytes&& other) noexcept = default;
  SecretBytes& operator=(SecretBytes&& other) noexcept = default;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  std::span<const uint8_t> bytes() const { return data_; }
  std::span<uint8_t> mutable_bytes() { return data_; }
  // The bytes as text (a PIN's digits, a JSON payload), for the one place that needs them; the
  // view dies with this object.
  std::string_view reveal() const {
    return {reinterpret_cast<const char*>(data_.data()), data_.size()};
  }
  std::size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }

  // Typing on a PIN pad: in place; a growth leaves no copy (the old block is wiped).
  void push_back(uint8_t byte) { data_.push_back(byte); }
  void push_back(char c) { data_.push_back(static_cast<uint8_t>(c)); }
  void pop_back();
  void resize(std::size_t size);  // wipes what it drops
  void clear();                   // wipes and gives the block back

 private:
  std::vector<uint8_t, SecretAllocator<uint8_t>> data_;
};

}  // namespace mk::base
