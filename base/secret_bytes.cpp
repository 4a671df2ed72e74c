#include "base/secret_bytes.hpp"

#include <atomic>
#include <cstring>
#include <new>

#include <sys/mman.h>
#include <unistd.h>

namespace mk::base {

namespace {

std::atomic<std::size_t> lock_failures{0};

std::size_t whole_pages(std::size_t bytes) {
  static const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return (bytes + page - 1) / page * page;
}

}  // namespace

void wipe(std::span<uint8_t> bytes) noexcept {
  if (!bytes.empty()) {
    ::explicit_bzero(bytes.data(), bytes.size());
  }
}

void wipe(std::span<char> text) noexcept {
  if (!text.empty()) {
    ::explicit_bzero(text.data(), text.size());
  }
}

void* secret_allocate(std::size_t bytes) {
  const std::size_t length = whole_pages(bytes == 0 ? 1 : bytes);
  void* block = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (block == MAP_FAILED) {
    throw std::bad_alloc();
  }
  (void)::madvise(block, length, MADV_DONTDUMP);  // (a kernel without it: the process is
                                                  // non-dumpable anyway, process_hardening)
  if (::mlock(block, length) != 0) {
    lock_failures.fetch_add(1, std::memory_order_relaxed);
  }
  return block;
}

void secret_deallocate(void* block, std::size_t bytes) noexcept {
  if (block == nullptr) {
    return;
  }
  const std::size_t length = whole_pages(bytes == 0 ? 1 : bytes);
  ::explicit_bzero(block, length);
  (void)::munlock(block, length);
  (void)::munmap(block, length);
}

std::size_t secret_lock_failures() noexcept {
  return lock_failures.load(std::memory_order_relaxed);
}

SecretBytes::SecretBytes(std::string_view text) {
  data_.reserve(text.size());
  for (const char c : text) {
    data_.push_back(static_cast<uint8_t>(c));
  }
}

SecretBytes::SecretBytes(std::span<const uint8_t> bytes) : data_(bytes.begin(), bytes.end()) {}

void SecretBytes::pop_back() {
  if (!data_.empty()) {
    data_.back() = 0;
    data_.pop_back();
  }
}

void SecretBytes::resize(std::size_t size) {
  if (size < data_.size()) {
    wipe(std::span<uint8_t>(data_).subspan(size));
  }
  data_.resize(size, 0);  // a growth moves to a new block; the allocator wipes the old
}

void SecretBytes::clear() {
  wipe(data_);
  decltype(data_)().swap(data_);
}

}  // namespace mk::base
