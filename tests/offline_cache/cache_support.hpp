#pragma once

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "offline-cache/key_file.hpp"
#include "offline-cache/store.hpp"
#include "offline-cache/time.hpp"

namespace mk::test {

namespace oc = mk::offline_cache;

// A directory under /tmp, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mk-cache-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A clock the test moves by hand.
struct FakeClock {
  std::shared_ptr<int64_t> ms = std::make_shared<int64_t>(1'767'225'600'000);  // 2026-01-01Z
  oc::Clock clock() const {
    auto shared = ms;
    return [shared] { return oc::from_millis(*shared); };
  }
  oc::TimePoint now() const { return oc::from_millis(*ms); }
  void advance(oc::Milliseconds by) const { *ms += by.count(); }
};

inline oc::KeyFile test_key(uint8_t fill = 0x42) {
  std::array<uint8_t, 32> bytes{};
  bytes.fill(fill);
  return oc::KeyFile::from_bytes(bytes);
}

// (A sized read, not istreambuf_iterator: GCC 12 -O2 reports a false null dereference there.)
inline std::vector<uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    return {};
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

inline void write_bytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

inline bool contains(const std::vector<uint8_t>& haystack, const std::string& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

inline std::span<const uint8_t> as_bytes(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace mk::test
