#include "devices/cards/dl_record.hpp"

#include <algorithm>
#include <set>

#include "base/hex.hpp"
#include "devices/encoding/jisx0208.hpp"
#include "devices/encoding/tlv.hpp"
#include "devices/profile/card_profile.hpp"

namespace mk::devices {

namespace {

const profile::LicenseClass* find_class(uint32_t tag) {
  for (const auto& c : profile::kLicenseClasses) {
    if (c.tag == tag) {
      return &c;
    }
  }
  return nullptr;
}

std::string tag_name(uint32_t tag) {
  const uint8_t low_byte = static_cast<uint8_t>(tag & 0xFF);
  return base::to_hex(std::span<const uint8_t>(&low_byte, 1));
}

}  // namespace

Parsed<std::vector<HeldClass>> parse_class_dates(std::span<const Tlv> items) {
  std::vector<HeldClass> classes;
  for (const Tlv& item : items) {
    const profile::LicenseClass* c = find_class(item.tag);
    if (c == nullptr) {
      continue;
    }
    if (is_era_date_empty(item.value)) {
      continue;
    }
    const auto since = parse_era_date(item.value);
    if (!since) {
      return ParseError{"class " + tag_name(item.tag) + ": not a 元号 date"};
    }
    classes.push_back({c->id, c->name, *since});
  }
  return classes;
}

Parsed<DlCommonData> parse_dl_common_data(std::span<const uint8_t> ef) {
  // 45 0B: spec version (3) + issue date (4, BCD) + expiry (4, BCD).
  if (ef.size() < 13 || ef[0] != 0x45 || ef[1] != 0x0B) {
    return ParseError{"common data: not 45 0B"};
  }
  DlCommonData data;
  data.spec_version.assign(ef.begin() + 2, ef.begin() + 5);
  const auto issued = parse_bcd_date(ef.subspan(5, 4));
  const auto expiry = parse_bcd_date(ef.subspan(9, 4));
  if (!issued || !expiry) {
    return ParseError{"common data: a date is not packed BCD YYYYMMDD"};
  }
  data.issued = *issued;
  data.expiry = *expiry;
  return data;
}

std::optional<bool> parse_dl_pin_setting(std::span<const uint8_t> ef) {
  if (ef.size() < 3 || ef[0] != 0x05 || ef[1] != 0x01 || ef[2] > 1) {
    return std::nullopt;
  }
  return ef[2] == 1;
}

Parsed<DlEntries> parse_dl_entries(std::span<const uint8_t> ef) {
  namespace d = profile::dl;
  auto parsed = parse_tlv(ef, TagForm::flat);
  if (const auto* error = std::get_if<TlvError>(&parsed)) {
    return ParseError{"記載事項: " + error->reason + " at byte " + std::to_string(error->offset)};
  }
  const auto& items = std::get<TlvList>(parsed).items;
  DlEntries e;
  bool have_number = false, have_name = false, have_expiry = false;
  std::set<uint32_t> seen;
  for (const Tlv& item : items) {
    if (!seen.insert(item.tag).second) {
      return ParseError{"記載事項: a field appears twice"};
    }
    const auto text = [&]() -> std::optional<std::string> { return jisx0208_to_utf8(item.value); };
    const auto date = [&]() { return parse_era_date(item.value); };
    std::optional<std::string> t;
    std::optional<Date> dt;
    switch (item.tag) {
      case d::kName:
      case d::kCallName:
      case d::kAddress:
      case d::kColor:
      case d::kCommission:
        t = item.value.empty() ? std::optional<std::string>("") : text();
        if (!t) {
          return ParseError{"記載事項 tag " + tag_name(item.tag) + ": not JIS X 0208 text"};
        }
        if (item.tag == d::kName) {
          e.name = *t;
          have_name = true;
        } else if (item.tag == d::kCallName) {
          e.call_name = *t;
        } else if (item.tag == d::kAddress) {
          e.address = *t;
        } else if (item.tag == d::kColor) {
          e.color = *t;
        } else {
          e.commission = *t;
        }
        break;
      case d::kBirthDate:
      case d::kIssueDate:
      case d::kExpiry:
        dt = date();
        if (!dt) {
          return ParseError{"記載事項 tag " + tag_name(item.tag) + ": not a 元号 date"};
        }
        (item.tag == d::kBirthDate   ? e.birth_date
         : item.tag == d::kIssueDate ? e.issue_date
                                     : e.expiry) = *dt;
        have_expiry = have_expiry || item.tag == d::kExpiry;
        break;
      case d::kReferenceNumber:
        e.reference_number.assign(item.value.begin(), item.value.end());
        break;
      case d::kLicenseNumber:
        e.license_number.assign(item.value.begin(), item.value.end());
        if (e.license_number.size() != 12 ||
            !std::all_of(e.license_number.begin(), e.license_number.end(),
                         [](char c) { return c >= '0' && c <= '9'; })) {
          return ParseError{"記載事項: the license number is not 12 digits"};
        }
        have_number = true;
        break;
      default:
        if (item.tag >= d::kCondition1 && item.tag <= d::kCondition4) {
          if (item.value.empty()) {
            break;
          }
          t = text();
          if (!t) {
            return ParseError{"記載事項 tag " + tag_name(item.tag) + ": not JIS X 0208 text"};
          }
          e.conditions.push_back(*t);
        }
        break;
    }
  }
  auto classes = parse_class_dates(items);
  if (auto* error = std::get_if<ParseError>(&classes)) {
    return ParseError{"記載事項: " + error->reason};
  }
  e.classes = std::get<std::vector<HeldClass>>(classes);
  if (!have_name || !have_number || !have_expiry) {
    return ParseError{"記載事項: name, license number or expiry is missing"};
  }
  return e;
}

Parsed<std::string> parse_dl_honseki(std::span<const uint8_t> ef) {
  auto parsed = parse_tlv(ef, TagForm::flat);
  if (const auto* error = std::get_if<TlvError>(&parsed)) {
    return ParseError{"本籍: " + error->reason};
  }
  const auto& items = std::get<TlvList>(parsed).items;
  if (items.empty()) {
    return ParseError{"本籍: empty"};
  }
  const auto text = jisx0208_to_utf8(items.front().value);
  if (!text) {
    return ParseError{"本籍: not JIS X 0208 text"};
  }
  return *text;
}

}  // namespace mk::devices
