// The card side of the issuer channel: SCP03 secure messaging and the ISD's INSTALL / DELETE
// (docs/issuer-channel.md, docs/virtual-cards.md).
#include "devices/sim/issuer_channel.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace mk::devices::sim {

namespace {
constexpr uint8_t kInsExternalAuthenticate = 0x82;
constexpr uint8_t kInsInstall = 0xE6;
constexpr uint8_t kInsDelete = 0xE4;

// The LV fields of INSTALL data, in order; nullopt when they do not cover the data exactly.
std::optional<std::vector<Bytes>> split_lv(std::span<const uint8_t> data) {
  std::vector<Bytes> out;
  size_t at = 0;
  while (at < data.size()) {
    const size_t len = data[at++];
    if (at + len > data.size()) {
      return std::nullopt;
    }
    out.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(at),
                     data.begin() + static_cast<std::ptrdiff_t>(at + len));
    at += len;
  }
  return out;
}
}  // namespace

uint16_t IssuerChannel::initialize_update(const Command& a, const IssuedCard& card, Bytes& out) {
  close();  // a new INITIALIZE UPDATE always starts over
  if (a.p1 != 0x00 && a.p1 != scp03::kKeyVersion) {
    return sw::kReferenceNotFound;
  }
  if (a.p2 != 0x00) {
    return sw::kBadP1P2;
  }
  if (a.data.size() != 8) {
    return sw::kWrongLength;
  }
  channel_.emplace();
  out = channel_->initialize_update(card.issuer().keys, card.issuer().div_data, a.data);
  return sw::kOk;
}

uint16_t IssuerChannel::secured(const Command& a, IssuedCard& card) {
  const uint8_t header[4] = {a.cla, a.ins, a.p1, a.p2};
  if (!channel_) {
    return sw::kSecurityNotSatisfied;  // an issuer command outside a channel
  }
  if (!channel_->authenticated()) {
    if (a.ins != kInsExternalAuthenticate || !channel_->external_authenticate(header, a.data)) {
      close();
      return sw::kSecurityNotSatisfied;
    }
    if (a.p1 != scp03::kSecurityLevel || a.p2 != 0x00) {  // profile v1 knows one level only
      close();
      return sw::kBadP1P2;
    }
    return sw::kOk;  // the channel is open; R-MACs start with the next command
  }
  auto plain_data = channel_->unwrap(header, a.data, a.extended);
  if (!plain_data) {  // wrong C-MAC (replayed, altered) or bad padding: nothing happens
    close();
    return sw::kSecurityNotSatisfied;
  }
  rmac_pending_ = true;
  Command plain = a;
  plain.data = std::move(*plain_data);
  if (card.isd_selected()) {
    switch (a.ins) {
      case kInsInstall:
        return install(plain, card);
      case kInsDelete:
        return remove_instance(plain, card);
      default:
        return sw::kInsUnknown;
    }
  }
  return card.application_command(plain);
}

void IssuerChannel::append_rmac(Bytes& out, uint16_t status) const {
  // GP Amendment D §6.2.5: 9000 and warnings (62xx, 63xx) are protected; an error status word
  // goes back alone, without data or R-MAC (the engine has dropped the data already).
  const auto sw1 = static_cast<uint8_t>(status >> 8);
  const bool protected_status = status == 0x9000 || sw1 == 0x62 || sw1 == 0x63;
  if (rmac_pending_ && channel_ && protected_status) {
    const Bytes mac = channel_->rmac(out, status);
    out.insert(out.end(), mac.begin(), mac.end());
  }
}

uint16_t IssuerChannel::install(const Command& a, IssuedCard& card) {
  const IssuerSpec& is = card.issuer();
  if (a.p1 != 0x0C || a.p2 != 0x00) {  // [for install and make selectable] only
    return sw::kBadP1P2;
  }
  // LV(load file AID) LV(module AID) LV(instance AID) LV(privileges) LV(parameters) LV(token)
  const auto lv = split_lv(a.data);
  if (!lv || lv->size() != 6) {
    return sw::kWrongData;
  }
  const auto& f = *lv;
  if (f[0] != is.package_aid || f[1] != is.package_aid) {
    return sw::kReferenceNotFound;
  }
  if (f[2] != is.instance_aid || f[3].empty() || f[3].size() > 3 || f[4].size() < 2 ||
      f[4][0] != 0xC9 || f[4][1] + 2u != f[4].size()) {
    return sw::kWrongData;
  }
  if (card.has_application(is.instance_aid)) {
    return sw::kConditionsNotSatisfied;
  }
  card.add_application(is.make_instance());
  instance_state_ = InstanceState::installed;
  card.notify();
  return sw::kOk;
}

uint16_t IssuerChannel::remove_instance(const Command& a, IssuedCard& card) {
  const IssuerSpec& is = card.issuer();
  if (a.p1 != 0x00 || a.p2 != 0x00) {
    return sw::kBadP1P2;
  }
  if (a.data.size() < 2 || a.data[0] != 0x4F || a.data[1] + 2u != a.data.size()) {
    return sw::kWrongData;
  }
  const std::span<const uint8_t> aid(a.data.begin() + 2, a.data.end());
  if (!std::equal(aid.begin(), aid.end(), is.instance_aid.begin(), is.instance_aid.end()) ||
      !card.has_application(aid)) {
    return sw::kReferenceNotFound;
  }
  card.remove_application(aid);
  instance_state_ = InstanceState::deleted;
  card.notify();
  return sw::kOk;
}

}  // namespace mk::devices::sim
