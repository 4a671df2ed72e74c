// The helpers card_spec.hpp declares for building the virtual cards' file contents.
#include "devices/sim/card_spec.hpp"

#include "devices/encoding/tlv.hpp"

namespace mk::devices::sim {

void append_ber_length(Bytes& out, size_t length) {
  const Bytes encoded = encode_ber_length(length);
  out.insert(out.end(), encoded.begin(), encoded.end());
}

void append_tlv(Bytes& out, std::span<const uint8_t> tag, std::span<const uint8_t> value) {
  out.insert(out.end(), tag.begin(), tag.end());
  append_ber_length(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

void append_tlv(Bytes& out, uint8_t tag, std::span<const uint8_t> value) {
  const uint8_t t[1] = {tag};
  append_tlv(out, t, value);
}

Bytes ascii(std::string_view s) {
  return {s.begin(), s.end()};
}

}  // namespace mk::devices::sim
