#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "devices/apdu/bytes.hpp"

namespace mk::devices {

// What a status word means, decoded in one place for every caller (card-profile.md §1).
enum class Status {
  ok,                        // 9000
  more_data,                 // 61xx: GET RESPONSE for xx bytes
  wrong_le,                  // 6Cxx: resend with Le = xx
  wrong_pin,                 // 63Cx, x > 0: wrong PIN (or the answer to an empty VERIFY)
  pin_blocked,               // 63C0 or 6984
  security_not_satisfied,    // 6982
  conditions_not_satisfied,  // 6985
  file_not_found,            // 6A82 (also: application not found)
  wrong_p1p2,                // 6A86
  no_current_ef,             // 6986
  offset_beyond_end,         // 6B00
  wrong_length,              // 6700
  ins_not_supported,         // 6D00
  cla_not_supported,         // 6E00
  other,
};

struct StatusWord {
  uint16_t sw = 0;
  Status status = Status::other;
  int tries_left = -1;  // for wrong_pin / pin_blocked (0)
  uint8_t length = 0;   // for more_data / wrong_le

  static StatusWord decode(uint16_t sw);
  std::string describe() const;  // "6A82 file not found"
};

struct Response {
  Bytes data;
  StatusWord status;

  bool ok() const { return status.status == Status::ok; }
  // Splits data + SW1 SW2; nullopt when shorter than the two status bytes.
  static std::optional<Response> parse(std::span<const uint8_t> raw);
  // The answer as the card sent it: data, then SW1 SW2 (what parse() splits).
  Bytes raw() const;
};

}  // namespace mk::devices
