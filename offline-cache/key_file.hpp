#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>

#include <sys/types.h>

namespace mk::offline_cache {

// The store key: 32 bytes for AES-256-GCM, read from a file only root can read.
//
// File format: 64 hexadecimal digits (upper or lower case), optionally followed by one newline
// ("openssl rand -hex 32 > key" makes one). The file must be a regular file (no symlink) owned
// by root, or by the current user when the program does not run as root, with mode 0600 or
// 0400 exactly. Anything else is refused with a StoreError of kind key_file that says why.
// The key bytes are wiped when the KeyFile dies.
class KeyFile {
 public:
  static constexpr size_t kKeySize = 32;

  struct Options {
    // Who may own the file. Unset: root, or the effective uid. Tests set it to check refusals.
    std::optional<uid_t> required_owner;
  };

  static KeyFile load(const std::filesystem::path& path);
  static KeyFile load(const std::filesystem::path& path, const Options& options);
  // Creates a new key file with RAND_bytes: mode 0600, refused when the file exists (O_EXCL).
  static KeyFile create(const std::filesystem::path& path);
  // A key from bytes in memory (tests, and the wrong-key checks).
  static KeyFile from_bytes(std::span<const uint8_t> key);

  ~KeyFile();
  KeyFile(KeyFile&& other) noexcept;
  KeyFile& operator=(KeyFile&& other) noexcept;
  KeyFile(const KeyFile&) = delete;
  KeyFile& operator=(const KeyFile&) = delete;

  std::span<const uint8_t, kKeySize> bytes() const { return key_; }

 private:
  KeyFile() = default;
  std::array<uint8_t, kKeySize> key_{};
};

}  // namespace mk::offline_cache
