// WEF02 of the 免許AP, profile v1 (parse_license_record in devices/cards/license_record.hpp).
// The bytes handed to the signature check must be the record's own TLV bytes: a prefix of the
// EF, padding excluded.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "devices/cards/basic4_info.hpp"
#include "devices/cards/license_record.hpp"
#include "devices/fuzz/fuzz_support.hpp"

using namespace mk::devices;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  const std::span<const uint8_t> data(raw, size);
  Bytes signed_bytes;
  const auto parsed = parse_license_record(data, &signed_bytes);
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    MK_FUZZ_CHECK(!error->reason.empty());
    return 0;
  }
  const auto& r = std::get<LicenseRecord>(parsed);
  MK_FUZZ_CHECK(signed_bytes.size() <= size);
  MK_FUZZ_CHECK(std::equal(signed_bytes.begin(), signed_bytes.end(), data.begin()));
  // Parsing stops at the end of the EF or at padding (FF, or 00 at an item start).
  MK_FUZZ_CHECK(signed_bytes.size() == size || data[signed_bytes.size()] == 0xFF ||
                data[signed_bytes.size()] == 0x00);
  MK_FUZZ_CHECK(r.profile_version == "001");
  MK_FUZZ_CHECK(r.number.size() == 12);
  // A licence has a last day; a driving history (R-HISTORY) has none.
  MK_FUZZ_CHECK(r.kind == RecordKind::driving_history || is_valid_date(r.expiry));
  for (const auto* text : {&r.color, &r.commission, &r.history}) {
    MK_FUZZ_CHECK(is_valid_utf8(*text));
  }
  for (const auto& condition : r.conditions) {
    MK_FUZZ_CHECK(is_valid_utf8(condition));
  }
  for (const HeldClass& c : r.classes) {
    MK_FUZZ_CHECK(!c.id.empty() && is_valid_date(c.since));
  }
  // Without the out-parameter the answer is the same.
  MK_FUZZ_CHECK(std::holds_alternative<LicenseRecord>(parse_license_record(data, nullptr)));
  return 0;
}
