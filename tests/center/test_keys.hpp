#pragma once

// AES keys from the hex of test vectors, for the issuer-key, SCP03 host and write-plan tests.

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "center/issuer/master_keys.hpp"
#include "center/issuer/types.hpp"
#include "tests/center/scp03_card_double.hpp"

namespace mk::center::issuer::test {

inline AesKey aes_key(const std::vector<uint8_t>& bytes) {
  if (bytes.size() != AesKey{}.size()) {
    throw std::invalid_argument("a test key is not 16 bytes");
  }
  AesKey key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

inline AesKey aes_key(const std::string& hex) {
  return aes_key(tests::card_double::hex(hex));
}

inline MasterKeys master_keys(const std::vector<uint8_t>& enc, const std::vector<uint8_t>& mac,
                              const std::vector<uint8_t>& dek) {
  return {aes_key(enc), aes_key(mac), aes_key(dek)};
}

}  // namespace mk::center::issuer::test
