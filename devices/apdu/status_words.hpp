#pragma once

// The ISO 7816-4 status words of ../shared/card-profile.md §1, named once: the card answers with
// them (devices/sim) and the kiosk decodes them (StatusWord::decode).

#include <cstdint>

namespace mk::devices {

namespace sw {
inline constexpr uint16_t kOk = 0x9000;
inline constexpr uint16_t kWrongPinBase = 0x63C0;  // | tries left
inline constexpr uint16_t kBlocked = 0x6984;
inline constexpr uint16_t kSecurityNotSatisfied = 0x6982;
inline constexpr uint16_t kConditionsNotSatisfied = 0x6985;
inline constexpr uint16_t kWrongData = 0x6A80;
inline constexpr uint16_t kNotFound = 0x6A82;
inline constexpr uint16_t kReferenceNotFound = 0x6A88;
inline constexpr uint16_t kBadP1P2 = 0x6A86;
inline constexpr uint16_t kNoCurrentEf = 0x6986;
inline constexpr uint16_t kOffsetBeyondEf = 0x6B00;
inline constexpr uint16_t kWrongLength = 0x6700;
inline constexpr uint16_t kInsUnknown = 0x6D00;
inline constexpr uint16_t kClaUnknown = 0x6E00;
}  // namespace sw

}  // namespace mk::devices
