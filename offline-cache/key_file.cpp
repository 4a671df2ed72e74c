#include "offline-cache/key_file.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hex.hpp"
#include "base/secret_bytes.hpp"
#include "offline-cache/store_error.hpp"

namespace mk::offline_cache {
namespace {

// strerror is not thread-safe; the error category's message is.
std::string errno_text(int error) {
  return std::generic_category().message(error);
}

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& why) {
  throw StoreError(StoreErrorKind::key_file, "key file " + path.string() + ": " + why);
}

// Closes the descriptor on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

}  // namespace

KeyFile KeyFile::load(const std::filesystem::path& path) {
  return load(path, Options{});
}

KeyFile KeyFile::load(const std::filesystem::path& path, const Options& options) {
  Fd file{::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)};
  if (file.fd < 0) {
    const int error = errno;
    refuse(path, error == ELOOP ? std::string("is a symbolic link") : errno_text(error));
  }
  // Check what was opened, not the name (no race between the check and the read).
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) {
    refuse(path, errno_text(errno));
  }
  if (!S_ISREG(info.st_mode)) {
    refuse(path, "is not a regular file");
  }
  if (options.required_owner) {
    if (info.st_uid != *options.required_owner) {
      refuse(path, "is owned by uid " + std::to_string(info.st_uid) + ", must be uid " +
                       std::to_string(*options.required_owner));
    }
  } else if (info.st_uid != 0 && info.st_uid != ::geteuid()) {
    refuse(path, "is owned by uid " + std::to_string(info.st_uid) + ", must be owned by root");
  }
  const auto mode = info.st_mode & 07777;
  if (mode != 0600 && mode != 0400) {
    char octal[8];
    (void)std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    refuse(path, std::string("has mode ") + octal + ", must be 0600 or 0400");
  }
  // 64 hex digits and an optional newline; read one byte more to see a longer file.
  std::array<char, 67> text{};
  ssize_t total = 0;
  while (total < static_cast<ssize_t>(text.size())) {
    const ssize_t n =
        ::read(file.fd, text.data() + total, text.size() - static_cast<size_t>(total));
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      refuse(path, errno_text(errno));
    }
    if (n == 0) {
      break;
    }
    total += n;
  }
  const auto wipe_text = [&] { base::wipe(std::span<char>(text)); };
  size_t digits = static_cast<size_t>(total);
  if ((digits == 65 && text[64] == '\n') ||
      (digits == 66 && text[64] == '\r' && text[65] == '\n')) {
    digits = 64;
  }
  if (digits != 2 * kKeySize) {
    wipe_text();
    refuse(path, "must hold exactly 64 hexadecimal digits (a 32-byte key), holds " +
                     std::to_string(total) + " bytes");
  }
  KeyFile key;
  if (!base::decode_hex(std::string_view(text.data(), 2 * kKeySize), key.key_)) {
    wipe_text();
    refuse(path, "holds a character that is not a hexadecimal digit");
  }
  wipe_text();
  return key;
}

KeyFile KeyFile::create(const std::filesystem::path& path) {
  KeyFile key;
  if (RAND_bytes(key.key_.data(), static_cast<int>(key.key_.size())) != 1) {
    refuse(path, "the random generator failed");
  }
  Fd file{::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)};
  if (file.fd < 0) {
    refuse(path, std::string("cannot create: ") + errno_text(errno));
  }
  // The umask could only have narrowed 0600; set it exactly anyway.
  if (::fchmod(file.fd, 0600) != 0) {
    refuse(path, std::string("cannot set mode 0600: ") + errno_text(errno));
  }
  std::array<char, 2 * kKeySize + 1> text{};
  base::encode_hex(key.key_, std::span<char>(text.data(), 2 * kKeySize), base::HexCase::lower);
  text[2 * kKeySize] = '\n';
  const ssize_t written = ::write(file.fd, text.data(), text.size());
  base::wipe(text);
  if (written != static_cast<ssize_t>(text.size()) || ::fsync(file.fd) != 0) {
    refuse(path, std::string("cannot write: ") + errno_text(errno));
  }
  return key;
}

KeyFile KeyFile::from_bytes(std::span<const uint8_t> bytes) {
  if (bytes.size() != kKeySize) {
    throw StoreError(StoreErrorKind::key_file,
                     "a store key must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  KeyFile key;
  std::copy(bytes.begin(), bytes.end(), key.key_.begin());
  return key;
}

KeyFile::~KeyFile() {
  base::wipe(key_);
}

KeyFile::KeyFile(KeyFile&& other) noexcept : key_(other.key_) {
  base::wipe(other.key_);
}

KeyFile& KeyFile::operator=(KeyFile&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    base::wipe(other.key_);
  }
  return *this;
}

}  // namespace mk::offline_cache
