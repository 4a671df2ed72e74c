#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/secret_bytes.hpp"
#include "devices/apdu/bytes.hpp"

namespace mk::devices {

// An ISO 7816-4 command APDU, built by the named factories below and encoded in short form when
// it fits, else extended form:
//   CLA INS P1 P2 [Lc data] [Le]
// Short: Lc and Le one byte each (Le 00 = 256). Extended: 00 then Lc in two bytes, and Le in two
// bytes (00 00 = 65536), or 00 hh ll when there is no data.
struct Command {
  uint8_t cla = 0x00;
  uint8_t ins = 0x00;
  uint8_t p1 = 0x00;
  uint8_t p2 = 0x00;
  Bytes data;
  std::optional<size_t> le;  // expected response length; 65536 means "as much as there is"
  bool secret = false;       // data is a PIN: traced as **, and the encoded buffer is wiped
  // decode: Lc / Le came in the extended form. A card needs it (an SCP03 C-MAC covers the header
  // as sent); encode ignores it and picks the form from the lengths.
  bool extended = false;

  Bytes encode() const;
  // Parses an encoded APDU (ISO 7816-3 cases 1–4, short or extended); nullopt when the lengths
  // do not add up.
  static std::optional<Command> decode(std::span<const uint8_t> apdu);
  // "00 A4 040C 0A D392F00026010000000 1" style trace, PIN data replaced by "**".
  std::string trace() const;

  static Command select_aid(std::span<const uint8_t> aid);  // 00 A4 04 0C Lc AID
  static Command select_ef(uint16_t fid);                   // 00 A4 02 0C 02 FID
  static Command read_binary(uint16_t offset, size_t le);   // 00 B0 hi lo Le (15-bit offset)
  static Command read_binary_sfi(uint8_t sfi, uint8_t offset, size_t le);  // 00 B0 80|SFI off Le
  static Command verify_status(uint8_t p2);  // 00 20 00 P2: empty VERIFY, tries at no cost
  static Command verify(uint8_t p2, const base::SecretBytes& pin);
  static Command get_response(uint8_t le);  // 00 C0 00 00 Le
  // 80 2A 00 P2 Lc DigestInfo 00: COMPUTE DIGITAL SIGNATURE (JPKI).
  static Command compute_signature(uint8_t p2, std::span<const uint8_t> digest_info);
};

inline constexpr size_t kMaxExtendedLe = 65536;

}  // namespace mk::devices
