#include "devices/cards/dl_card.hpp"

#include <algorithm>

#include "devices/cards/ef_reader.hpp"
#include "devices/encoding/tlv.hpp"
#include "devices/profile/card_profile.hpp"

namespace mk::devices {

namespace d = profile::dl;

void DlCard::select_df(std::span<const uint8_t> aid, std::string_view what) {
  if (!select_application(channel_, aid, what)) {
    throw CardError(CardErrorKind::wrong_card, std::string(what) + " is not on this card");
  }
}

bool DlCard::is_driving_license() {
  return select_application(channel_, d::kDf1Aid, "DF1");
}

Bytes DlCard::read_mf_ef(profile::Fid fid, std::string_view what) {
  if (!channel_.selected_application().empty()) {
    throw CardError(CardErrorKind::transport,
                    std::string(what) + ": MF files are read before any DF is selected");
  }
  channel_.transmit_ok(Command::select_ef(fid), what);
  Bytes out;
  for (;;) {
    const Response r =
        channel_.transmit(Command::read_binary(static_cast<uint16_t>(out.size()), 256));
    if (r.status.status == Status::offset_beyond_end) {
      break;
    }
    if (!r.ok()) {
      throw CardError(CardErrorKind::unexpected_status,
                      std::string(what) + ": " + r.status.describe(), r.status);
    }
    out.insert(out.end(), r.data.begin(), r.data.end());
    if (r.data.size() < 256 || out.size() >= 0x7FFF) {
      break;
    }
  }
  return out;
}

DlCommonData DlCard::read_common_data() {
  auto parsed = parse_dl_common_data(read_mf_ef(d::kCommonData, "common data"));
  if (auto* e = std::get_if<ParseError>(&parsed)) {
    throw CardError(CardErrorKind::invalid_response, e->reason);
  }
  return std::get<DlCommonData>(parsed);
}

bool DlCard::pin_set() {
  const auto setting = parse_dl_pin_setting(read_mf_ef(d::kPinSetting, "PIN setting"));
  if (!setting) {
    throw CardError(CardErrorKind::invalid_response, "PIN setting: not 05 01 00/01");
  }
  return *setting;
}

int DlCard::tries(PinKind pin) {
  return read_pin_tries(channel_, pin == PinKind::dl_pin1 ? d::kPin1P2 : d::kPin2P2, d::kPinTries);
}

VerifyResult DlCard::verify(PinKind pin, base::SecretBytes value) {
  return verify_pin(channel_, pin == PinKind::dl_pin1 ? d::kPin1P2 : d::kPin2P2, pin,
                    std::move(value));
}

DlEntries DlCard::read_entries() {
  select_df(d::kDf1Aid, "DF1");
  auto parsed = parse_dl_entries(read_whole_ef(channel_, d::kEntries, "記載事項"));
  if (auto* e = std::get_if<ParseError>(&parsed)) {
    throw CardError(CardErrorKind::invalid_response, e->reason);
  }
  return std::get<DlEntries>(parsed);
}

std::string DlCard::read_honseki() {
  select_df(d::kDf1Aid, "DF1");
  auto parsed = parse_dl_honseki(read_whole_ef(channel_, d::kHonseki, "本籍"));
  if (auto* e = std::get_if<ParseError>(&parsed)) {
    throw CardError(CardErrorKind::invalid_response, e->reason);
  }
  return std::get<std::string>(parsed);
}

Bytes DlCard::read_photo() {
  select_df(d::kDf2Aid, "DF2");
  const Bytes ef = read_whole_ef(channel_, d::kPhoto, "photo");
  auto parsed = parse_tlv(ef, TagForm::ber);
  const auto* list = std::get_if<TlvList>(&parsed);
  if (list == nullptr || list->items.empty() || list->items[0].tag != 0x5F40) {
    throw CardError(CardErrorKind::invalid_response, "photo: no 5F40 item");
  }
  return Bytes(list->items[0].value.begin(), list->items[0].value.end());
}

}  // namespace mk::devices
