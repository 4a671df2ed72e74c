#include "devices/encoding/tlv.hpp"

namespace mk::devices {

std::optional<std::pair<size_t, size_t>> parse_ber_length(std::span<const uint8_t> data) {
  if (data.empty()) {
    return std::nullopt;
  }
  const uint8_t first = data[0];
  if (first < 0x80) {
    return std::make_pair(size_t{first}, size_t{1});
  }
  if (first == 0x81 && data.size() >= 2) {
    return std::make_pair(size_t{data[1]}, size_t{2});
  }
  if (first == 0x82 && data.size() >= 3) {
    return std::make_pair(size_t{data[1]} << 8 | data[2], size_t{3});
  }
  return std::nullopt;  // indefinite (80), 83+ (too long for any card file), or truncated
}

std::variant<TlvList, TlvError> parse_tlv(std::span<const uint8_t> data, TagForm form,
                                          bool stop_at_padding) {
  TlvList list;
  size_t pos = 0;
  while (pos < data.size()) {
    const size_t start = pos;
    if (stop_at_padding && (data[pos] == 0xFF || data[pos] == 0x00)) {
      // FF is padding on these cards; but FF20 is a real BER tag: look at the next byte.
      const bool ber_ff_tag = form == TagForm::ber && data[pos] == 0xFF && pos + 1 < data.size() &&
                              data[pos + 1] != 0xFF;
      if (!ber_ff_tag) {
        break;
      }
    }
    uint32_t tag = data[pos++];
    if (form == TagForm::ber && (tag & 0x1F) == 0x1F) {
      int more = 0;
      for (;;) {
        if (pos >= data.size()) {
          return TlvError{start, "truncated tag"};
        }
        if (++more > 3) {
          return TlvError{start, "tag longer than 4 bytes"};
        }
        const uint8_t b = data[pos++];
        tag = tag << 8 | b;
        if ((b & 0x80) == 0) {
          break;
        }
      }
    }
    const auto length = parse_ber_length(data.subspan(pos));
    if (!length) {
      return TlvError{pos, pos >= data.size() ? "truncated length" : "unsupported length form"};
    }
    pos += length->second;
    if (length->first > data.size() - pos) {
      return TlvError{start, "value of " + std::to_string(length->first) + " bytes overruns the " +
                                 std::to_string(data.size() - pos) + " left"};
    }
    list.items.push_back(Tlv{tag, data.subspan(pos, length->first), pos - start});
    pos += length->first;
    list.consumed = pos;
  }
  return list;
}

std::optional<size_t> der_object_size(std::span<const uint8_t> header) {
  if (header.size() < 2 || header[0] != 0x30) {
    return std::nullopt;
  }
  const auto length = parse_ber_length(header.subspan(1));
  if (!length) {
    return std::nullopt;
  }
  return 1 + length->second + length->first;
}

std::vector<uint8_t> encode_ber_length(size_t length) {
  if (length < 0x80) {
    return {static_cast<uint8_t>(length)};
  }
  if (length <= 0xFF) {
    return {0x81, static_cast<uint8_t>(length)};
  }
  return {0x82, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)};
}

}  // namespace mk::devices
