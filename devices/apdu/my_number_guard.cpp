#include "devices/apdu/my_number_guard.hpp"

#include <algorithm>

#include "base/hex.hpp"
#include "devices/profile/card_profile.hpp"

namespace mk::devices {

namespace {

bool equal(const Bytes& a, std::span<const uint8_t> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

bool is_select_aid(const Command& c) {
  return c.ins == 0xA4 && c.p1 == 0x04;
}
bool is_select_ef(const Command& c) {
  return c.ins == 0xA4 && c.p1 == 0x02 && c.data.size() == 2;
}
uint16_t ef_of(const Command& c) {
  return static_cast<uint16_t>(c.data[0] << 8 | c.data[1]);
}

constexpr uint8_t sfi_of(profile::Fid fid) {
  return static_cast<uint8_t>(fid & 0x1F);
}

}  // namespace

std::optional<std::string> MyNumberGuard::check(const Command& c) const {
  namespace b4 = profile::basic4;
  if (is_select_aid(c) && equal(c.data, profile::kFaceCheckAid)) {
    return "the 券面事項確認 application shows the My Number; the kiosk never selects it";
  }
  if (is_select_aid(c)) {
    return std::nullopt;
  }
  if (application_.empty()) {
    // No application selected in this session: the card may still be in 券面事項入力補助 from
    // someone else's session (a shared, unreset card). Refuse whatever could reach EF 0001 there.
    if (is_select_ef(c) && ef_of(c) == b4::kMyNumber) {
      return "SELECT EF 0001 before any application is selected";
    }
    if (c.ins == 0xB0 && ((c.p1 & 0x80) != 0 ? (c.p1 & 0x1F) == sfi_of(b4::kMyNumber)
                                             : (!ef_ || *ef_ == b4::kMyNumber))) {
      return "READ BINARY that could reach EF 0001 before any application is selected";
    }
    if (c.ins == 0x20 && c.p2 == 0x80 && !ef_) {
      return "VERIFY of the current EF before any EF is selected";
    }
    return std::nullopt;
  }
  if (!equal(application_, profile::kBasic4Aid)) {
    return std::nullopt;
  }
  if (is_select_ef(c)) {
    const uint16_t fid = ef_of(c);
    if (fid == b4::kPin || fid == b4::kBasic4) {
      return std::nullopt;
    }
    return "SELECT of EF " + base::to_hex(c.data) +
           " in 券面事項入力補助 (only the PIN and basic 4 info)";
  }
  if (c.ins == 0x20 && c.p1 == 0x00) {
    const bool pin_by_sfi = c.p2 == (0x80 | sfi_of(b4::kPin));
    const bool pin_selected = c.p2 == 0x80 && ef_ == b4::kPin;
    if (pin_by_sfi || pin_selected) {
      return std::nullopt;
    }
    return "VERIFY of anything but the 券面事項入力補助 PIN (0011)";
  }
  if (c.ins == 0xB0) {
    const bool basic4_by_sfi = c.p1 == (0x80 | sfi_of(b4::kBasic4));
    const bool basic4_selected = (c.p1 & 0x80) == 0 && ef_ == b4::kBasic4;
    if (basic4_by_sfi || basic4_selected) {
      return std::nullopt;
    }
    return "READ BINARY of anything but the basic 4 info (EF 0002)";
  }
  return "command " + base::to_hex(Bytes{c.cla, c.ins}) + " in 券面事項入力補助";
}

void MyNumberGuard::on_success(const Command& c) {
  if (is_select_aid(c)) {
    application_ = c.data;
    ef_.reset();
  } else if (is_select_ef(c)) {
    ef_ = ef_of(c);
  }
}

void MyNumberGuard::on_failed_select(const Command&) {
  // ISO 7816-4: a SELECT that fails leaves the current selection as it was. Keep guarding the
  // application we were in: assuming "nothing selected" could let a READ reach EF 0001.
}

}  // namespace mk::devices
