#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mk::devices {

using Bytes = std::vector<uint8_t>;

inline Bytes bytes_of(std::span<const uint8_t> s) {
  return {s.begin(), s.end()};
}

}  // namespace mk::devices
