#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mk::devices {

// A tag-length-value item, pointing into the parsed buffer.
struct Tlv {
  uint32_t tag = 0;
  std::span<const uint8_t> value;
  size_t header_size = 0;  // tag + length bytes
};

struct TlvError {
  size_t offset = 0;
  std::string reason;
};

// The two TLV shapes our cards use:
//  - ber: BER-TLV tags (multi-byte when the low 5 bits of the first byte are all set, e.g. FF20,
//    DF21 on the My Number card);
//  - flat: one-byte tags read as opaque bytes (the conventional license's 記載事項 and the
//    免許AP's WEF02, where 0x1F or 0xDF are ordinary tags), as card-profile.md specifies.
// Lengths are BER in both: 0..7F, 81 ll, 82 hh ll (83+ and indefinite lengths are refused).
// Parsing stops at the first FF (padding) or 00 tag at item start when `stop_at_padding`.
enum class TagForm { ber, flat };

struct TlvList {
  std::vector<Tlv> items;
  size_t consumed = 0;  // bytes up to the end of the last item (padding excluded)
};

// Every item from the start of `data`; an error names the offset and what is wrong (truncated,
// over-long length, bad tag). Never reads outside `data`.
std::variant<TlvList, TlvError> parse_tlv(std::span<const uint8_t> data, TagForm form,
                                          bool stop_at_padding = true);

// Reads one BER length at data[0..]; returns {length, bytes used} or nullopt.
std::optional<std::pair<size_t, size_t>> parse_ber_length(std::span<const uint8_t> data);

// The total size of a DER object (e.g. a certificate) from its first bytes: 30 82 hh ll -> 4 +
// hhll. nullopt when the header is incomplete or not a SEQUENCE with a definite length.
std::optional<size_t> der_object_size(std::span<const uint8_t> header);

// Encodes a BER length (for writers and tests).
std::vector<uint8_t> encode_ber_length(size_t length);

}  // namespace mk::devices
