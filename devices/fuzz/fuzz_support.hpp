#pragma once

// Shared by the libFuzzer targets (docs/fuzzing.md): a property check that aborts (so libFuzzer
// records the input as a crash), and a reader that cuts the fuzzer's input into pieces.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

namespace mk::devices::fuzz {

// A broken property is a finding, like a sanitizer report: print it and abort.
[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz property violated: %s (%s:%d)\n", what, file, line);
  std::abort();
}

#define MK_FUZZ_CHECK(condition)                                 \
  do {                                                           \
    if (!(condition)) {                                          \
      ::mk::devices::fuzz::fail(#condition, __FILE__, __LINE__); \
    }                                                            \
  } while (false)

// Consumes the input from the front: single bytes, and chunks prefixed by a 2-byte big-endian
// length (cut short at the end of the input), as OpenSC's fuzzers do.
class FuzzInput {
 public:
  explicit FuzzInput(std::span<const uint8_t> data) : data_(data) {}

  bool empty() const { return data_.empty(); }
  std::span<const uint8_t> rest() const { return data_; }

  uint8_t byte() {
    if (data_.empty()) {
      return 0;
    }
    const uint8_t b = data_[0];
    data_ = data_.subspan(1);
    return b;
  }

  std::span<const uint8_t> chunk() {
    const size_t high = byte();
    const size_t wanted = high << 8 | byte();
    const size_t n = wanted < data_.size() ? wanted : data_.size();
    const auto out = data_.first(n);
    data_ = data_.subspan(n);
    return out;
  }

 private:
  std::span<const uint8_t> data_;
};

inline std::string_view as_text(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace mk::devices::fuzz
