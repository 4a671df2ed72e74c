#pragma once

// The two virtual cards, built from a fixture: the My Number card (JPKI, 券面事項入力補助,
// 券面事項確認 and, when the fixture has a record, the 免許AP of profile v1) and the conventional
// IC driver's license. Both are CardSpecs for the CardEngine.

#include <map>
#include <optional>
#include <string>

#include "devices/sim/card_engine.hpp"
#include "devices/sim/fixture.hpp"
#include "devices/sim/pki.hpp"

namespace mk::devices::sim {

// PIN ids (the names in the state file).
namespace pin_id {
inline constexpr const char* kJpkiAuth = "jpki.auth";
inline constexpr const char* kJpkiSign = "jpki.sign";
inline constexpr const char* kBasic4 = "basic4";
inline constexpr const char* kLicenseAp = "license_ap";
inline constexpr const char* kDlPin1 = "dl.pin1";
inline constexpr const char* kDlPin2 = "dl.pin2";
}  // namespace pin_id

// The DL card's ATR (historical bytes empty, T=1); not the My Number ATR.
inline constexpr uint8_t kDlAtr[] = {0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x00, 0x09};

// The bytes of the files, also used by tests to check layouts.
Bytes basic4_file(const Person& p);
Bytes my_number_file(const Person& p);
Bytes token_info_file();
Bytes license_ap_wef01(uint8_t record_state);
Bytes license_ap_wef02(const LicenseApRecord& r);
Bytes license_ap_wef04(const Person& p);  // 5F40 + J2K
Bytes license_ap_wef03(std::span<const uint8_t> wef02, std::span<const uint8_t> wef04,
                       const LicenseAuthority& la);
Bytes dl_common_data(const ConventionalLicense& l);
Bytes dl_entries(const Person& p, const ConventionalLicense& l);
Bytes dl_honseki(const ConventionalLicense& l);
Bytes dl_photo(const Person& p);

// The empty 免許AP that INSTALL creates (docs/issuer-channel.md): WEF01 = C1 01 00 C2 01 00,
// WEF02-04 empty (FF), the license PIN not set (10 tries).
DfSpec empty_license_ap();

struct MyNumberCardOptions {
  std::optional<uint8_t> record_state;  // overrides the fixture's (from the state file)
  // From the state file: installed -> the 免許AP is the empty one of INSTALL (plus the files
  // written since), deleted -> no 免許AP, as_built -> as the fixture says.
  InstanceState license_ap = InstanceState::as_built;
};

// The card's SCP03 static keys: diversified from the issuer master keys in the PKI cache with the
// div data "MK" + SHA-256(fixture id)[0..8].
scp03::StaticKeys card_static_keys(PkiCache& pki, const std::string& fixture_id);

// The JPKI certificates and keys on a fixture person's virtual My Number card (what the card
// signs with; tests and the centre simulator verify against the same).
JpkiCredentials person_jpki(const Person& p, PkiCache& pki);
CardSpec make_mynumber_card(const Person& p, PkiCache& pki, const MyNumberCardOptions& opt = {});
CardSpec make_dl_card(const Person& p);

}  // namespace mk::devices::sim
