#pragma once

#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "devices/encoding/dates.hpp"
#include "devices/encoding/parsed.hpp"
#include "devices/encoding/tlv.hpp"

namespace mk::devices {

// A license class held, with its 免許の年月日 (§3 tags 22..33; also the 免許AP's E8 entries).
struct HeldClass {
  std::string id;    // profile::kLicenseClasses id, e.g. "futsu"
  std::string name;  // e.g. "普通"
  Date since;
};

// EF 2F01 of the conventional license.
struct DlCommonData {
  std::string spec_version;  // 3 bytes as on the card (ASCII or hex)
  Date issued;
  Date expiry;
};

// 記載事項 (DF1 EF 0001) of the conventional license.
struct DlEntries {
  std::string name;
  std::string call_name;  // 呼び名: set only when the card cannot print the name
  Date birth_date;
  std::string address;
  Date issue_date;
  std::string reference_number;
  std::string color;  // 優良 / 一般 / 違反 / 初回
  Date expiry;
  std::vector<std::string> conditions;
  std::string commission;      // 公安委員会名
  std::string license_number;  // 12 digits
  std::vector<HeldClass> classes;
};

Parsed<DlCommonData> parse_dl_common_data(std::span<const uint8_t> ef);
// True when EF 000A says a PIN is set (05 01 01); false for 05 01 00; nullopt if malformed.
std::optional<bool> parse_dl_pin_setting(std::span<const uint8_t> ef);
// One-byte tags, BER lengths, JIS X 0208 text, 元号 dates; returns the reason when malformed.
Parsed<DlEntries> parse_dl_entries(std::span<const uint8_t> ef);
// 本籍 (DF1 EF 0002): the tag 0x11 (or the first item) as JIS X 0208 text.
Parsed<std::string> parse_dl_honseki(std::span<const uint8_t> ef);

// The class tags 22..33 with their dates, skipping classes not held (empty or <era>000000).
Parsed<std::vector<HeldClass>> parse_class_dates(std::span<const Tlv> items);

}  // namespace mk::devices
