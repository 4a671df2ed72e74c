// The conventional IC driver's license files (devices/cards/dl_record.hpp): 記載事項
// (parse_dl_entries), EF 2F01 common data, EF 000A PIN setting and 本籍. One-byte tags, BER
// lengths, JIS X 0208 text, 元号 and BCD dates.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "devices/cards/basic4_info.hpp"
#include "devices/cards/dl_record.hpp"
#include "devices/fuzz/fuzz_support.hpp"

using namespace mk::devices;

namespace {

bool is_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  const std::span<const uint8_t> data(raw, size);

  const auto entries = parse_dl_entries(data);
  if (const auto* e = std::get_if<DlEntries>(&entries)) {
    for (const auto* text : {&e->name, &e->call_name, &e->address, &e->color, &e->commission}) {
      MK_FUZZ_CHECK(is_valid_utf8(*text));
    }
    for (const auto& condition : e->conditions) {
      MK_FUZZ_CHECK(is_valid_utf8(condition));
    }
    MK_FUZZ_CHECK(e->conditions.size() <= 4);
    MK_FUZZ_CHECK(e->license_number.size() == 12 && is_digits(e->license_number));
    MK_FUZZ_CHECK(is_valid_date(e->expiry));
    MK_FUZZ_CHECK(e->classes.size() <= 18);
    for (const HeldClass& c : e->classes) {
      MK_FUZZ_CHECK(!c.id.empty() && !c.name.empty() && is_valid_date(c.since));
    }
  } else {
    MK_FUZZ_CHECK(!std::get<ParseError>(entries).reason.empty());
  }

  const auto common = parse_dl_common_data(data);
  if (const auto* c = std::get_if<DlCommonData>(&common)) {
    MK_FUZZ_CHECK(c->spec_version.size() == 3);
    MK_FUZZ_CHECK(is_valid_date(c->issued) && is_valid_date(c->expiry));
  }

  if (const auto pin_set = parse_dl_pin_setting(data)) {
    MK_FUZZ_CHECK(size >= 3 && raw[2] == (*pin_set ? 1 : 0));
  }

  const auto honseki = parse_dl_honseki(data);
  if (const auto* text = std::get_if<std::string>(&honseki)) {
    MK_FUZZ_CHECK(is_valid_utf8(*text));
  }
  return 0;
}
