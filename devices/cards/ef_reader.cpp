#include "devices/cards/ef_reader.hpp"

#include <algorithm>

#include "devices/encoding/tlv.hpp"

namespace mk::devices {

namespace {

constexpr uint8_t sfi_of(profile::Fid fid) {
  return static_cast<uint8_t>(fid & 0x1F);
}
constexpr size_t kMaxEf = 0x7FFF;  // 15-bit offsets

// Short reads: first by SFI (selects the EF), then by offset.
Bytes read_short(ApduChannel& channel, profile::Fid fid, std::optional<size_t> total,
                 std::string_view what) {
  Bytes out;
  Response first = channel.transmit(Command::read_binary_sfi(sfi_of(fid), 0, 256));
  if (!first.ok()) {
    throw CardError(CardErrorKind::unexpected_status,
                    std::string(what) + ": " + first.status.describe(), first.status);
  }
  out = std::move(first.data);
  if (!total) {
    total = der_object_size(out);
  }
  while (out.size() < kMaxEf && (!total || out.size() < *total)) {
    const size_t want = total ? std::min<size_t>(256, *total - out.size()) : 256;
    const Response more =
        channel.transmit(Command::read_binary(static_cast<uint16_t>(out.size()), want));
    if (more.status.status == Status::offset_beyond_end) {
      break;
    }
    if (!more.ok()) {
      throw CardError(CardErrorKind::unexpected_status,
                      std::string(what) + ": " + more.status.describe(), more.status);
    }
    if (more.data.empty()) {
      break;
    }
    out.insert(out.end(), more.data.begin(), more.data.end());
  }
  return out;
}

Bytes read_ef(ApduChannel& channel, profile::Fid fid, bool der, std::string_view what) {
  Response r = channel.transmit(Command::read_binary_sfi(sfi_of(fid), 0, kMaxExtendedLe));
  Bytes data;
  if (r.status.status == Status::wrong_length || r.status.status == Status::wrong_p1p2) {
    data = read_short(channel, fid, std::nullopt, what);
  } else if (!r.ok()) {
    throw CardError(CardErrorKind::unexpected_status,
                    std::string(what) + ": " + r.status.describe(), r.status);
  } else {
    data = std::move(r.data);
  }
  if (!der) {
    return data;
  }
  // Whichever way it was read: one whole DER object, or the card is not telling the truth (an
  // empty or cut-short certificate must never pass for one).
  const auto size = der_object_size(data);
  if (!size || *size > data.size()) {
    throw CardError(CardErrorKind::invalid_response,
                    std::string(what) + ": no complete DER object in the EF");
  }
  data.resize(*size);
  return data;
}

}  // namespace

bool select_application(ApduChannel& channel, std::span<const uint8_t> aid, std::string_view what) {
  const Bytes& current = channel.selected_application();
  if (std::equal(current.begin(), current.end(), aid.begin(), aid.end())) {
    return true;
  }
  const Response r = channel.transmit(Command::select_aid(aid));
  if (r.status.status == Status::file_not_found) {
    return false;
  }
  if (!r.ok()) {
    throw CardError(CardErrorKind::unexpected_status,
                    "SELECT " + std::string(what) + ": " + r.status.describe(), r.status);
  }
  return true;
}

Bytes read_whole_ef(ApduChannel& channel, profile::Fid fid, std::string_view what) {
  return read_ef(channel, fid, false, what);
}

Bytes read_der_ef(ApduChannel& channel, profile::Fid fid, std::string_view what) {
  return read_ef(channel, fid, true, what);
}

}  // namespace mk::devices
