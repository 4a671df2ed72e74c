#pragma once

// Shared helpers for the virtual card tests: raw APDUs in hex, status words, fixture paths.

#include <algorithm>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "devices/apdu/bytes.hpp"
#include "devices/sim/card_engine.hpp"

namespace mk::test {

using devices::Bytes;

inline std::filesystem::path fixture(const std::string& id) {
  return std::filesystem::path(MK_SOURCE_DIR) / "devices/sim/fixtures" / (id + ".toml");
}

// Keys are cached across test runs (RSA-2048 generation is slow).
inline std::filesystem::path pki_cache() {
  return std::filesystem::path(MK_BINARY_DIR) / "sim-pki-cache";
}

inline Bytes hex(std::string_view h) {
  auto b = base::from_hex_dump(h);
  EXPECT_TRUE(b.has_value()) << h;
  return b.value_or(Bytes{});
}

// Sends a hex APDU; returns the whole response (data + SW).
inline Bytes tx(devices::sim::VirtualCard& card, std::string_view apdu) {
  return card.transmit(hex(apdu));
}
inline Bytes tx(devices::sim::VirtualCard& card, const Bytes& apdu) {
  return card.transmit(apdu);
}

inline uint16_t sw(const Bytes& response) {
  if (response.size() < 2) {
    return 0;
  }
  return static_cast<uint16_t>(response[response.size() - 2] << 8 | response.back());
}

inline Bytes data(const Bytes& response) {
  return response.size() < 2 ? Bytes{} : Bytes(response.begin(), response.end() - 2);
}

// The status word of a hex APDU.
inline uint16_t sw_of(devices::sim::VirtualCard& card, std::string_view apdu) {
  return sw(tx(card, apdu));
}

inline Bytes concat(const Bytes& a, const Bytes& b) {
  Bytes out(a.size() + b.size());
  std::copy(a.begin(), a.end(), out.begin());
  std::copy(b.begin(), b.end(), out.begin() + static_cast<std::ptrdiff_t>(a.size()));
  return out;
}

// SELECT DF by AID / EF by FID / VERIFY with P2 and an ASCII PIN, as APDU bytes.
inline Bytes select_aid(std::span<const uint8_t> aid) {
  return concat({0x00, 0xA4, 0x04, 0x0C, static_cast<uint8_t>(aid.size())},
                Bytes(aid.begin(), aid.end()));
}
inline Bytes select_ef(uint16_t fid) {
  return {0x00,
          0xA4,
          0x02,
          0x0C,
          0x02,
          static_cast<uint8_t>(fid >> 8),
          static_cast<uint8_t>(fid & 0xFF)};
}
inline Bytes verify(uint8_t p2, std::string_view pin) {
  if (pin.empty()) {
    return {0x00, 0x20, 0x00, p2};
  }
  return concat({0x00, 0x20, 0x00, p2, static_cast<uint8_t>(pin.size())},
                Bytes(pin.begin(), pin.end()));
}

// Reads a whole EF (current after select) in 256-byte steps until 6B00.
inline Bytes read_all(devices::sim::VirtualCard& card, size_t max = 65536) {
  Bytes out;
  for (size_t off = 0; off < max; off += 256) {
    const Bytes r = card.transmit(
        Bytes{0x00, 0xB0, static_cast<uint8_t>(off >> 8), static_cast<uint8_t>(off & 0xFF), 0x00});
    if (sw(r) != 0x9000) {
      break;
    }
    const Bytes d = data(r);
    out.insert(out.end(), d.begin(), d.end());
    if (d.size() < 256) {
      break;
    }
  }
  return out;
}

// A BER length at `at`; advances `at`.
inline size_t ber_length(const Bytes& b, size_t& at) {
  if (b[at] < 0x80) {
    return b[at++];
  }
  const size_t n = b[at++] & 0x7F;
  size_t len = 0;
  for (size_t i = 0; i < n; ++i) {
    len = len << 8 | b[at++];
  }
  return len;
}

// Length of the TLV-coded prefix of an EF (stops at the first FF tag byte).
inline size_t tlv_prefix_length(const Bytes& b, size_t tag_bytes) {
  size_t at = 0;
  while (at < b.size() && b[at] != 0xFF) {
    at += tag_bytes;
    const size_t len = ber_length(b, at);
    at += len;
  }
  return at;
}

}  // namespace mk::test
