#include "devices/cards/license_record.hpp"

#include <algorithm>
#include <set>

#include "devices/encoding/jisx0208.hpp"
#include "devices/encoding/tlv.hpp"

namespace mk::devices {

namespace la = profile::license_ap;

namespace {

bool all_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Parsed<LicensePinSetting> parse_license_pin_setting(std::span<const uint8_t> ef) {
  auto parsed = parse_tlv(ef, TagForm::flat);
  if (const auto* error = std::get_if<TlvError>(&parsed)) {
    return ParseError{"WEF01: " + error->reason};
  }
  LicensePinSetting setting;
  bool have_pin = false;
  for (const Tlv& item : std::get<TlvList>(parsed).items) {
    if (item.value.size() != 1) {
      continue;
    }
    if (item.tag == la::kPinSettingTag) {
      if (item.value[0] > 1) {
        return ParseError{"WEF01: PIN setting is neither 00 nor 01"};
      }
      setting.pin_set = item.value[0] == 1;
      have_pin = true;
    } else if (item.tag == la::kRecordStateTag) {
      if (item.value[0] > 2) {
        return ParseError{"WEF01: unknown record state"};
      }
      setting.state = static_cast<la::RecordState>(item.value[0]);
    }
  }
  if (!have_pin) {
    return ParseError{"WEF01: no PIN setting (C1)"};
  }
  return setting;
}

Parsed<LicenseRecord> parse_license_record(std::span<const uint8_t> ef, Bytes* signed_bytes) {
  auto parsed = parse_tlv(ef, TagForm::flat);
  if (const auto* error = std::get_if<TlvError>(&parsed)) {
    return ParseError{"WEF02: " + error->reason + " at byte " + std::to_string(error->offset)};
  }
  const TlvList& list = std::get<TlvList>(parsed);
  LicenseRecord r;
  bool have_kind = false, have_number = false, have_expiry = false;
  std::set<uint32_t> seen;
  for (const Tlv& item : list.items) {
    // Every field but the conditions appears once: a second copy is a forged or broken record.
    if (item.tag != la::kCondition && !seen.insert(item.tag).second) {
      return ParseError{"WEF02: a field appears twice"};
    }
    const std::string ascii(item.value.begin(), item.value.end());
    auto text = [&](const char* field) -> Parsed<std::string> {
      auto t = jisx0208_to_utf8(item.value);
      if (!t) {
        return ParseError{std::string("WEF02: ") + field + " is not JIS X 0208 text"};
      }
      return *t;
    };
    auto date = [&](const char* field) -> Parsed<Date> {
      auto d = parse_era_date(item.value);
      if (!d) {
        return ParseError{std::string("WEF02: ") + field + " is not a 元号 date"};
      }
      return *d;
    };
    switch (item.tag) {
      case la::kProfileVersion:
        r.profile_version = ascii;
        break;
      case la::kRecordKind:
        if (ascii != "1" && ascii != "2") {
          return ParseError{"WEF02: record kind is neither 1 nor 2"};
        }
        r.kind = ascii == "1" ? RecordKind::license : RecordKind::driving_history;
        have_kind = true;
        break;
      case la::kNumber:
        if (ascii.size() != 12 || !all_digits(ascii)) {
          return ParseError{"WEF02: the number is not 12 digits"};
        }
        r.number = ascii;
        have_number = true;
        break;
      case la::kRecordingDate:
      case la::kExpiry: {
        auto d = date(item.tag == la::kExpiry ? "the expiry" : "the recording date");
        if (auto* e = std::get_if<ParseError>(&d)) {
          return *e;
        }
        (item.tag == la::kExpiry ? r.expiry : r.recorded_on) = std::get<Date>(d);
        have_expiry = have_expiry || item.tag == la::kExpiry;
        break;
      }
      case la::kColor:
      case la::kCommission:
      case la::kCondition:
      case la::kHistory: {
        auto t = text(item.tag == la::kColor        ? "the colour class"
                      : item.tag == la::kCommission ? "the commission"
                      : item.tag == la::kCondition  ? "a condition"
                                                    : "the driving history");
        if (auto* e = std::get_if<ParseError>(&t)) {
          return *e;
        }
        std::string& value = std::get<std::string>(t);
        if (item.tag == la::kColor) {
          r.color = value;
        } else if (item.tag == la::kCommission) {
          r.commission = value;
        } else if (item.tag == la::kCondition) {
          r.conditions.push_back(value);
        } else {
          r.history = value;
        }
        break;
      }
      case la::kClasses: {
        auto inner = parse_tlv(item.value, TagForm::flat, false);
        if (const auto* error = std::get_if<TlvError>(&inner)) {
          return ParseError{"WEF02 classes: " + error->reason};
        }
        auto classes = parse_class_dates(std::get<TlvList>(inner).items);
        if (auto* e = std::get_if<ParseError>(&classes)) {
          return ParseError{"WEF02: " + e->reason};
        }
        r.classes = std::get<std::vector<HeldClass>>(classes);
        break;
      }
      default:
        break;  // a newer profile's field: ignored, still covered by the signature
    }
  }
  if (r.profile_version != "001") {
    return ParseError{"WEF02: profile version is not 001"};
  }
  // A licence has a last day of validity; a driving history (R-HISTORY) has none.
  if (!have_kind || !have_number || (r.kind == RecordKind::license && !have_expiry)) {
    return ParseError{"WEF02: record kind, number or expiry is missing"};
  }
  if (signed_bytes != nullptr) {
    signed_bytes->assign(ef.begin(), ef.begin() + static_cast<std::ptrdiff_t>(list.consumed));
  }
  return r;
}

Parsed<Bytes> parse_license_photo(std::span<const uint8_t> ef, Bytes* signed_bytes) {
  auto parsed = parse_tlv(ef, TagForm::ber);
  if (const auto* error = std::get_if<TlvError>(&parsed)) {
    return ParseError{"WEF04: " + error->reason};
  }
  const TlvList& list = std::get<TlvList>(parsed);
  if (list.items.empty() || list.items[0].tag != la::kPhotoTag) {
    return ParseError{"WEF04: no 5F40 photo"};
  }
  const Tlv& photo = list.items[0];
  if (photo.value.size() > la::kMaxPhotoBytes) {
    return ParseError{"WEF04: photo larger than 4 KiB"};
  }
  if (signed_bytes != nullptr) {
    signed_bytes->assign(ef.begin(), ef.begin() + static_cast<std::ptrdiff_t>(photo.header_size +
                                                                              photo.value.size()));
  }
  return Bytes(photo.value.begin(), photo.value.end());
}

Parsed<LicenseSignature> parse_license_signature(std::span<const uint8_t> ef) {
  auto parsed = parse_tlv(ef, TagForm::flat);
  if (const auto* error = std::get_if<TlvError>(&parsed)) {
    return ParseError{"WEF03: " + error->reason};
  }
  LicenseSignature s;
  for (const Tlv& item : std::get<TlvList>(parsed).items) {
    if (item.tag == la::kSignatureTag) {
      s.signature.assign(item.value.begin(), item.value.end());
    } else if (item.tag == la::kSignerCertTag) {
      s.signer_certificate.assign(item.value.begin(), item.value.end());
    }
  }
  if (s.signature.size() != 256) {
    return ParseError{"WEF03: the signature is not 256 bytes"};
  }
  if (s.signer_certificate.empty()) {
    return ParseError{"WEF03: no signer certificate"};
  }
  return s;
}

}  // namespace mk::devices
