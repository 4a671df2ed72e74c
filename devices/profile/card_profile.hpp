#pragma once

// The card facts of ../shared/card-profile.md in one place: AIDs, file ids, PIN references and
// tags, for the My Number card, the conventional IC driver's license and the 免許AP. Public facts
// are how real cards behave; the ones marked "profile v1" are this project's own design for the
// 免許AP, to be replaced by the official NPA map when it is published. The client code and the
// virtual cards both read them from here; each side encodes and decodes on its own.

#include <array>
#include <cstdint>

namespace mk::devices::profile {

using Fid = uint16_t;

// ---- My Number card (public) ----
inline constexpr std::array<uint8_t, 9> kMyNumberAtr = {0x3B, 0xE0, 0x00, 0xFF, 0x81,
                                                        0x31, 0xFE, 0x45, 0x14};
inline constexpr std::array<uint8_t, 10> kJpkiAid = {0xD3, 0x92, 0xF0, 0x00, 0x26,
                                                     0x01, 0x00, 0x00, 0x00, 0x01};
inline constexpr std::array<uint8_t, 10> kBasic4Aid = {0xD3, 0x92, 0x10, 0x00, 0x31,
                                                       0x00, 0x01, 0x01, 0x04, 0x08};
inline constexpr std::array<uint8_t, 10> kFaceCheckAid = {0xD3, 0x92, 0x10, 0x00, 0x31,
                                                          0x00, 0x01, 0x01, 0x04, 0x02};

namespace jpki {
inline constexpr Fid kAuthCert = 0x000A;
inline constexpr Fid kAuthCaCert = 0x000B;
inline constexpr Fid kSignCert = 0x0001;  // needs the sign PIN
inline constexpr Fid kSignCaCert = 0x0002;
inline constexpr Fid kAuthKey = 0x0017;
inline constexpr Fid kAuthPin = 0x0018;
inline constexpr Fid kSignKey = 0x001A;
inline constexpr Fid kSignPin = 0x001B;
inline constexpr Fid kTokenInfo = 0x0006;
inline constexpr uint8_t kAuthKeyP2 = 0x97;  // COMPUTE DIGITAL SIGNATURE without SELECT
inline constexpr uint8_t kSignKeyP2 = 0x9A;
inline constexpr int kAuthPinTries = 3;
inline constexpr int kSignPinTries = 5;
}  // namespace jpki

namespace basic4 {
inline constexpr Fid kMyNumber = 0x0001;  // never selected, read or verified by the kiosk
inline constexpr Fid kBasic4 = 0x0002;
inline constexpr Fid kPin = 0x0011;
inline constexpr int kPinTries = 3;
// Tags of EF 0002: FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth, DF25 sex }.
inline constexpr uint16_t kTemplateTag = 0xFF20;
inline constexpr uint16_t kOffsetsTag = 0xDF21;
inline constexpr uint16_t kNameTag = 0xDF22;
inline constexpr uint16_t kAddressTag = 0xDF23;
inline constexpr uint16_t kBirthTag = 0xDF24;
inline constexpr uint16_t kSexTag = 0xDF25;
}  // namespace basic4

// ---- Conventional IC driver's license (public) ----
namespace dl {
inline constexpr Fid kCommonData = 0x2F01;  // under the MF
inline constexpr Fid kPinSetting = 0x000A;  // under the MF
inline constexpr Fid kPin1 = 0x0001;        // IEF under the MF
inline constexpr Fid kPin2 = 0x0002;
inline constexpr uint8_t kPin1P2 = 0x81;
inline constexpr uint8_t kPin2P2 = 0x82;
inline constexpr int kPinTries = 3;
inline constexpr std::array<uint8_t, 16> kDf1Aid = {0xA0, 0x00, 0x00, 0x02, 0x31, 0x01, 0x00, 0x00,
                                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
inline constexpr std::array<uint8_t, 16> kDf2Aid = {0xA0, 0x00, 0x00, 0x02, 0x31, 0x02, 0x00, 0x00,
                                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
inline constexpr Fid kEntries = 0x0001;  // DF1: 記載事項 (PIN1)
inline constexpr Fid kHonseki = 0x0002;  // DF1: 本籍 (PIN1 + PIN2)
inline constexpr Fid kPhoto = 0x0001;    // DF2: photo 5F40 + JPEG 2000 (PIN1 + PIN2)
// 記載事項 tags (one byte, BER lengths).
inline constexpr uint8_t kName = 0x12;
inline constexpr uint8_t kCallName = 0x13;  // 呼び名
inline constexpr uint8_t kBirthDate = 0x16;
inline constexpr uint8_t kAddress = 0x17;
inline constexpr uint8_t kIssueDate = 0x18;
inline constexpr uint8_t kReferenceNumber = 0x19;
inline constexpr uint8_t kColor = 0x1A;
inline constexpr uint8_t kExpiry = 0x1B;
inline constexpr uint8_t kCondition1 = 0x1C;  // 0x1C..0x1F: conditions 1-4
inline constexpr uint8_t kCondition4 = 0x1F;
inline constexpr uint8_t kCommission = 0x20;  // 公安委員会名
inline constexpr uint8_t kLicenseNumber = 0x21;
inline constexpr uint8_t kFirstClass = 0x22;  // 0x22..0x33: 免許の年月日 per class
inline constexpr uint8_t kLastClass = 0x33;
}  // namespace dl

// License classes, by the §3 tag (also used inside the 免許AP's E8 template).
struct LicenseClass {
  uint8_t tag;
  const char* id;    // stable identifier for JSON and code
  const char* name;  // the Japanese short name
};
inline constexpr std::array<LicenseClass, 18> kLicenseClasses = {{
    {0x22, "nishoken", "二・小・原"},
    {0x23, "other", "他"},
    {0x24, "nishu", "二種"},
    {0x25, "oogata", "大型"},
    {0x26, "futsu", "普通"},
    {0x27, "ootoku", "大特"},
    {0x28, "oojini", "大自二"},
    {0x29, "futsujini", "普自二"},
    {0x2A, "kotoku", "小特"},
    {0x2B, "gentsuki", "原付"},
    {0x2C, "kenin", "け引"},
    {0x2D, "oni", "大二"},
    {0x2E, "futsuni", "普二"},
    {0x2F, "ootokuni", "大特二"},
    {0x30, "keninni", "け引二"},
    {0x31, "chugata", "中型"},
    {0x32, "chuni", "中二"},
    {0x33, "junchugata", "準中型"},
}};

// ---- 免許AP (public part) ----
namespace license_ap {
inline constexpr std::array<uint8_t, 16> kAid = {0xA0, 0x00, 0x00, 0x02, 0x31, 0x06, 0x00, 0x00,
                                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
inline constexpr Fid kWef01 = 0x001A;  // PIN setting (+ record state, profile v1); free
inline constexpr Fid kPin = 0x0006;    // IEF01: the license PIN
inline constexpr Fid kWef02 = 0x001B;  // license data (needs the PIN)
inline constexpr Fid kWef03 = 0x001C;  // electronic signature
inline constexpr Fid kWef04 = 0x001D;  // photo (profile v1; needs the PIN)
inline constexpr uint8_t kPinP2 = 0x86;
inline constexpr int kPinTries = 10;
inline constexpr uint8_t kPinSettingTag = 0xC1;
inline constexpr uint8_t kRecordStateTag = 0xC2;  // profile v1

// Record state in WEF01 (profile v1): the writer sets 01 first and 02 last.
enum class RecordState : uint8_t { empty = 0x00, writing = 0x01, complete = 0x02 };

// WEF02 tags (profile v1; one byte, BER lengths).
inline constexpr uint8_t kProfileVersion = 0xC0;  // "001"
inline constexpr uint8_t kRecordKind = 0xC1;      // "1" license, "2" driving history
inline constexpr uint8_t kNumber = 0xC2;          // 12 digits
inline constexpr uint8_t kRecordingDate = 0xC3;   // 元号YYMMDD
inline constexpr uint8_t kColor = 0xC4;           // JIS X 0208
inline constexpr uint8_t kExpiry = 0xC5;          // 元号YYMMDD (public)
inline constexpr uint8_t kCommission = 0xC6;      // JIS X 0208
inline constexpr uint8_t kCondition = 0xC7;       // JIS X 0208, repeated
inline constexpr uint8_t kClasses = 0xE8;         // constructed: class tags 22..33 with dates
inline constexpr uint8_t kHistory = 0xC9;         // JIS X 0208, kind "2" only
// WEF03 (profile v1).
inline constexpr uint8_t kSignatureTag = 0xB1;
inline constexpr uint8_t kSignerCertTag = 0xB2;
inline constexpr uint16_t kPhotoTag = 0x5F40;
inline constexpr size_t kMaxPhotoBytes = 4096;
}  // namespace license_ap

// ---- GlobalPlatform (profile v1 issuer channel) ----
inline constexpr std::array<uint8_t, 7> kIsdAid = {0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00};

}  // namespace mk::devices::profile
