// The other files of the 免許AP (devices/cards/license_record.hpp): WEF01 PIN setting and record
// state, WEF04 photo (5F40 + JPEG 2000, at most 4 KiB) and WEF03 signature. The first input
// byte picks the parser so that each one's corpus stays meaningful.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "devices/cards/license_record.hpp"
#include "devices/fuzz/fuzz_support.hpp"

using namespace mk::devices;
namespace la = mk::devices::profile::license_ap;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::span<const uint8_t> data(raw + 1, size - 1);
  switch (raw[0] % 3) {
    case 0: {
      const auto parsed = parse_license_pin_setting(data);
      if (const auto* s = std::get_if<LicensePinSetting>(&parsed)) {
        MK_FUZZ_CHECK(static_cast<uint8_t>(s->state) <= 2);
      }
      break;
    }
    case 1: {
      Bytes signed_bytes;
      const auto parsed = parse_license_photo(data, &signed_bytes);
      if (const auto* photo = std::get_if<Bytes>(&parsed)) {
        MK_FUZZ_CHECK(photo->size() <= la::kMaxPhotoBytes);
        // The signed bytes are the 5F40 TLV itself: a prefix of the EF ending with the photo.
        MK_FUZZ_CHECK(signed_bytes.size() <= data.size());
        MK_FUZZ_CHECK(signed_bytes.size() >= photo->size() + 3);
        MK_FUZZ_CHECK(std::equal(signed_bytes.begin(), signed_bytes.end(), data.begin()));
        MK_FUZZ_CHECK(std::equal(photo->rbegin(), photo->rend(), signed_bytes.rbegin()));
      }
      break;
    }
    default: {
      const auto parsed = parse_license_signature(data);
      if (const auto* s = std::get_if<LicenseSignature>(&parsed)) {
        MK_FUZZ_CHECK(s->signature.size() == 256);
        MK_FUZZ_CHECK(!s->signer_certificate.empty());
        MK_FUZZ_CHECK(s->signature.size() + s->signer_certificate.size() <= data.size());
      }
      break;
    }
  }
  return 0;
}
