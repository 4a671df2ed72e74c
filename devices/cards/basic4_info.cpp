#include "devices/cards/basic4_info.hpp"

#include <unicode/utf8.h>

#include "devices/encoding/tlv.hpp"
#include "devices/profile/card_profile.hpp"

namespace mk::devices {

const char* to_string(Sex sex) {
  switch (sex) {
    case Sex::male:
      return "male";
    case Sex::female:
      return "female";
    case Sex::not_applicable:
      return "not_applicable";
  }
  return "not_applicable";
}

bool is_valid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      return false;
    }
  }
  return true;
}

Parsed<Basic4Info> parse_basic4(std::span<const uint8_t> ef) {
  namespace b4 = profile::basic4;
  auto outer = parse_tlv(ef, TagForm::ber);
  if (const auto* error = std::get_if<TlvError>(&outer)) {
    return ParseError{"basic 4 info: " + error->reason + " at byte " +
                      std::to_string(error->offset)};
  }
  const auto& items = std::get<TlvList>(outer).items;
  if (items.empty() || items[0].tag != b4::kTemplateTag) {
    return ParseError{"basic 4 info: no FF20 template"};
  }
  auto inner = parse_tlv(items[0].value, TagForm::ber, false);
  if (const auto* error = std::get_if<TlvError>(&inner)) {
    return ParseError{"basic 4 info template: " + error->reason + " at byte " +
                      std::to_string(error->offset)};
  }
  std::optional<std::string> name, address, birth, sex;
  for (const Tlv& item : std::get<TlvList>(inner).items) {
    const std::string value(item.value.begin(), item.value.end());
    switch (item.tag) {
      case b4::kNameTag:
        name = value;
        break;
      case b4::kAddressTag:
        address = value;
        break;
      case b4::kBirthTag:
        birth = value;
        break;
      case b4::kSexTag:
        sex = value;
        break;
      default:
        break;  // DF21 offsets and anything newer: not needed
    }
  }
  if (!name || !address || !birth || !sex) {
    return ParseError{"basic 4 info: a field is missing"};
  }
  if (!is_valid_utf8(*name) || !is_valid_utf8(*address)) {
    return ParseError{"basic 4 info: name or address is not valid UTF-8"};
  }
  Basic4Info info;
  info.name = *name;
  info.address = *address;
  const auto date = parse_yyyymmdd(*birth);
  if (!date) {
    return ParseError{"basic 4 info: the birth date is not a date"};
  }
  info.birth_date = *date;
  if (*sex == "1") {
    info.sex = Sex::male;
  } else if (*sex == "2") {
    info.sex = Sex::female;
  } else if (*sex == "9") {
    info.sex = Sex::not_applicable;
  } else {
    return ParseError{"basic 4 info: unknown sex code"};
  }
  return info;
}

}  // namespace mk::devices
