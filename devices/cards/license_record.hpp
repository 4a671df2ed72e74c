#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "devices/apdu/bytes.hpp"
#include "devices/cards/dl_record.hpp"
#include "devices/encoding/parsed.hpp"
#include "devices/profile/card_profile.hpp"

namespace mk::devices {

// WEF01 of the 免許AP: whether a PIN is set and (profile v1) how far the record was written.
struct LicensePinSetting {
  bool pin_set = false;
  profile::license_ap::RecordState state = profile::license_ap::RecordState::empty;
};
Parsed<LicensePinSetting> parse_license_pin_setting(std::span<const uint8_t> ef);

enum class RecordKind { license, driving_history };

// WEF02 (profile v1): what is recorded. No name, address, birth date or violations.
struct LicenseRecord {
  std::string profile_version;  // "001"
  RecordKind kind = RecordKind::license;
  std::string number;  // マイナ免許証番号 or history number, 12 digits
  Date recorded_on;
  std::string color;  // 優良 / 一般 / 違反 / 初回
  Date expiry;
  std::string commission;
  std::vector<std::string> conditions;
  std::vector<HeldClass> classes;
  std::string history;  // kind driving_history only
};
// Also returns the TLV bytes the signature covers (padding excluded) through `signed_bytes`.
Parsed<LicenseRecord> parse_license_record(std::span<const uint8_t> ef, Bytes* signed_bytes);

// WEF04: 5F40 + JPEG 2000 codestream. `signed_bytes` gets the TLV incl. its 5F40 header.
Parsed<Bytes> parse_license_photo(std::span<const uint8_t> ef, Bytes* signed_bytes);

// WEF03: B1 82 01 00 <256-byte signature> B2 <len> <signer certificate DER>.
struct LicenseSignature {
  Bytes signature;
  Bytes signer_certificate;
};
Parsed<LicenseSignature> parse_license_signature(std::span<const uint8_t> ef);

}  // namespace mk::devices
