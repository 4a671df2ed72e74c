// TLV and DER length parsing (devices/encoding/tlv.hpp): both tag forms, with and without the
// padding stop. Every item must lie inside the input, the header sizes must add up, and
// encode_ber_length / parse_ber_length must round-trip.
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "devices/encoding/tlv.hpp"
#include "devices/fuzz/fuzz_support.hpp"

namespace {

using namespace mk::devices;

void check_list(std::span<const uint8_t> data, TagForm form, bool stop_at_padding) {
  const auto parsed = parse_tlv(data, form, stop_at_padding);
  if (const auto* error = std::get_if<TlvError>(&parsed)) {
    MK_FUZZ_CHECK(error->offset <= data.size());
    MK_FUZZ_CHECK(!error->reason.empty());
    return;
  }
  const auto& list = std::get<TlvList>(parsed);
  MK_FUZZ_CHECK(list.consumed <= data.size());
  size_t pos = 0;
  for (const Tlv& item : list.items) {
    // Items are back to back from the start, and their values point into `data`.
    const uint8_t* value = item.value.data();
    MK_FUZZ_CHECK(item.header_size >= 2 && item.header_size <= 7);
    MK_FUZZ_CHECK(value == data.data() + pos + item.header_size);
    MK_FUZZ_CHECK(pos + item.header_size + item.value.size() <= data.size());
    pos += item.header_size + item.value.size();
    if (form == TagForm::flat) {
      MK_FUZZ_CHECK(item.tag <= 0xFF);
    }
  }
  MK_FUZZ_CHECK(pos == list.consumed);
  if (!stop_at_padding) {
    MK_FUZZ_CHECK(list.consumed == data.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  const std::span<const uint8_t> data(raw, size);
  check_list(data, TagForm::ber, true);
  check_list(data, TagForm::ber, false);
  check_list(data, TagForm::flat, true);
  check_list(data, TagForm::flat, false);

  if (const auto length = parse_ber_length(data)) {
    MK_FUZZ_CHECK(length->second >= 1 && length->second <= 3 && length->second <= data.size());
    // Re-encoding gives the minimal form; it must parse back to the same length.
    const auto encoded = encode_ber_length(length->first);
    const auto again = parse_ber_length(encoded);
    MK_FUZZ_CHECK(again && again->first == length->first && again->second == encoded.size());
  }
  if (const auto object = der_object_size(data)) {
    MK_FUZZ_CHECK(*object >= 2);
  }
  if (size >= 2) {
    const size_t n = size_t{raw[0]} << 8 | raw[1];
    const auto encoded = encode_ber_length(n);
    const auto back = parse_ber_length(encoded);
    MK_FUZZ_CHECK(back && back->first == n && back->second == encoded.size());
  }
  return 0;
}
