#include "devices/sim/card_engine.hpp"

#include <algorithm>
#include <utility>

namespace mk::devices::sim {

namespace {
constexpr uint8_t kClaIso = 0x00;
constexpr uint8_t kClaProprietary = 0x80;
constexpr uint8_t kClaSecure = 0x84;
constexpr uint8_t kInsSelect = 0xA4;
constexpr uint8_t kInsReadBinary = 0xB0;
constexpr uint8_t kInsVerify = 0x20;
constexpr uint8_t kInsSign = 0x2A;
// GlobalPlatform and the issuer commands of docs/issuer-channel.md.
constexpr uint8_t kInsInitializeUpdate = 0x50;
constexpr uint8_t kInsExternalAuthenticate = 0x82;
constexpr uint8_t kInsInstall = 0xE6;
constexpr uint8_t kInsDelete = 0xE4;
constexpr uint8_t kInsUpdateBinary = 0xD6;
constexpr uint8_t kInsChangeReferenceData = 0x24;
constexpr uint8_t kInsResetRetryCounter = 0x2C;
constexpr size_t kMaxUpdateBytes = 200;
constexpr size_t kPinDigits = 4;

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

uint8_t sfi_of(uint16_t fid) {
  return static_cast<uint8_t>(fid & 0x1F);
}
}  // namespace

std::optional<Apdu> parse_apdu(std::span<const uint8_t> b) {
  if (b.size() < 4) {
    return std::nullopt;
  }
  Apdu a;
  a.cla = b[0];
  a.ins = b[1];
  a.p1 = b[2];
  a.p2 = b[3];
  const size_t n = b.size();
  if (n == 4) {
    return a;
  }
  if (n == 5) {  // case 2 short
    a.le = b[4] == 0 ? 256 : b[4];
    return a;
  }
  if (b[4] != 0) {  // short case 3 or 4
    const size_t lc = b[4];
    if (n == 5 + lc) {
      a.data.assign(b.begin() + 5, b.end());
      return a;
    }
    if (n == 6 + lc) {
      a.data.assign(b.begin() + 5, b.end() - 1);
      a.le = b[n - 1] == 0 ? 256 : b[n - 1];
      return a;
    }
    return std::nullopt;
  }
  // Extended: 00 hh ll ...
  if (n < 7) {
    return std::nullopt;
  }
  a.extended = true;
  const size_t x = static_cast<size_t>(b[5]) << 8 | b[6];
  if (n == 7) {  // case 2 extended
    a.le = x == 0 ? 65536 : x;
    return a;
  }
  if (x == 0) {
    return std::nullopt;
  }
  if (n == 7 + x) {
    a.data.assign(b.begin() + 7, b.end());
    return a;
  }
  if (n == 9 + x) {
    a.data.assign(b.begin() + 7, b.begin() + 7 + static_cast<std::ptrdiff_t>(x));
    const size_t le = static_cast<size_t>(b[n - 2]) << 8 | b[n - 1];
    a.le = le == 0 ? 65536 : le;
    return a;
  }
  return std::nullopt;
}

void append_ber_length(Bytes& out, size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<uint8_t>(length));
  } else if (length < 0x100) {
    out.push_back(0x81);
    out.push_back(static_cast<uint8_t>(length));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<uint8_t>(length >> 8));
    out.push_back(static_cast<uint8_t>(length & 0xFF));
  }
}

void append_tlv(Bytes& out, std::span<const uint8_t> tag, std::span<const uint8_t> value) {
  out.insert(out.end(), tag.begin(), tag.end());
  append_ber_length(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

void append_tlv(Bytes& out, uint8_t tag, std::span<const uint8_t> value) {
  const uint8_t t[1] = {tag};
  append_tlv(out, t, value);
}

Bytes ascii(std::string_view s) {
  return {s.begin(), s.end()};
}

CardEngine::CardEngine(CardSpec spec) : spec_(std::move(spec)) {
  auto add = [this](const DfSpec& df) {
    for (const auto& p : df.pins) {
      pins_[p.id] = PinState{p.initial_tries < 0 ? p.max_tries : p.initial_tries, false};
    }
  };
  add(spec_.mf);
  for (const auto& df : spec_.dfs) {
    add(df);
  }
  if (spec_.issuer) {
    DfSpec isd;
    isd.aid = spec_.issuer->isd_aid;
    spec_.dfs.push_back(std::move(isd));
  }
}

void CardEngine::reset() {
  sel_ = Selection{};
  close_channel();
  for (auto& [id, state] : pins_) {
    state.verified = false;
  }
}

bool CardEngine::touched(std::span<const uint8_t> df_aid, uint16_t fid) const {
  return std::any_of(log_.begin(), log_.end(), [&](const LogEntry& e) {
    return e.ef == fid &&
           std::equal(e.df_aid.begin(), e.df_aid.end(), df_aid.begin(), df_aid.end());
  });
}

std::map<std::string, int> CardEngine::pin_tries() const {
  std::map<std::string, int> out;
  for (const auto& [id, state] : pins_) {
    out[id] = state.tries_left;
  }
  return out;
}

void CardEngine::set_pin_tries(const std::string& id, int tries) {
  auto it = pins_.find(id);
  if (it != pins_.end()) {
    it->second.tries_left = tries;
    it->second.verified = false;
  }
}

std::map<std::string, std::string> CardEngine::pin_values() const {
  std::map<std::string, std::string> out;
  for (const auto& df : spec_.dfs) {
    for (const auto& p : df.pins) {
      if (p.written) {
        out[p.id] = p.value;
      }
    }
  }
  return out;
}

void CardEngine::set_pin_value(const std::string& id, const std::string& value) {
  for (auto& df : spec_.dfs) {
    for (auto& p : df.pins) {
      if (p.id == id) {
        p.value = value;
        p.written = true;
      }
    }
  }
}

std::optional<PinState> CardEngine::pin_state(const std::string& id) const {
  auto it = pins_.find(id);
  if (it == pins_.end()) {
    return std::nullopt;
  }
  return it->second;
}

DfSpec& CardEngine::current_df() {
  return sel_.df < 0 ? spec_.mf : spec_.dfs[static_cast<size_t>(sel_.df)];
}

Bytes CardEngine::transmit(std::span<const uint8_t> command) {
  LogEntry entry;
  entry.command.assign(command.begin(), command.end());
  entry.df_aid = current_df().aid;
  last_ef_ = 0;
  rmac_pending_ = false;
  Bytes out;
  uint16_t status = sw::kWrongLength;
  if (auto apdu = parse_apdu(command)) {
    status = handle(*apdu, out);
    if (status != sw::kOk) {
      out.clear();
    }
  }
  if (rmac_pending_ && channel_) {  // a command of the open channel: R-MAC before SW1 SW2
    const Bytes mac = channel_->rmac(out, status);
    out.insert(out.end(), mac.begin(), mac.end());
  }
  out.push_back(static_cast<uint8_t>(status >> 8));
  out.push_back(static_cast<uint8_t>(status & 0xFF));
  entry.ef = last_ef_;
  entry.response = out;
  log_.push_back(std::move(entry));
  return out;
}

uint16_t CardEngine::handle(const Apdu& a, Bytes& out) {
  if (a.cla == kClaIso) {
    switch (a.ins) {
      case kInsSelect:
        if (a.p1 == 0x04) {
          close_channel();  // a SELECT by AID ends the channel of the selected application
        }
        return select(a);
      case kInsReadBinary:
        return read_binary(a, out);
      case kInsVerify:
        return verify(a);
      default:
        return sw::kInsUnknown;
    }
  }
  if (a.cla == kClaProprietary) {
    if (a.ins == kInsInitializeUpdate && in_issuer_application()) {
      return initialize_update(a, out);
    }
    return a.ins == kInsSign ? sign(a, out) : sw::kInsUnknown;
  }
  if (a.cla == kClaSecure && in_issuer_application()) {
    return secured(a);
  }
  if (a.cla == kClaSecure) {
    const auto& s = spec_.secure_only_ins;
    return std::find(s.begin(), s.end(), a.ins) != s.end() ? sw::kSecurityNotSatisfied
                                                           : sw::kInsUnknown;
  }
  return sw::kClaUnknown;
}

uint16_t CardEngine::select(const Apdu& a) {
  if (a.p2 != 0x0C && a.p2 != 0x00) {
    return sw::kBadP1P2;
  }
  if (a.p1 == 0x04) {  // DF by AID
    if (a.data.empty()) {
      return sw::kWrongLength;
    }
    for (size_t i = 0; i < spec_.dfs.size(); ++i) {
      if (spec_.dfs[i].aid == a.data) {
        sel_ = Selection{static_cast<int>(i), Selection::Kind::none, 0};
        if (spec_.select_clears_pins) {
          for (auto& [id, state] : pins_) {
            state.verified = false;
          }
        }
        return sw::kOk;
      }
    }
    return sw::kNotFound;
  }
  if (a.p1 == 0x00 || a.p1 == 0x02) {  // MF, or EF by FID under the current DF
    if (a.p1 == 0x00 && a.data.empty()) {
      sel_ = Selection{};
      return sw::kOk;
    }
    if (a.data.size() != 2) {
      return sw::kWrongLength;
    }
    const uint16_t fid = static_cast<uint16_t>(a.data[0] << 8 | a.data[1]);
    if (fid == 0x3F00) {
      if (a.p1 != 0x00) {
        return sw::kNotFound;
      }
      sel_ = Selection{};
      return sw::kOk;
    }
    last_ef_ = fid;
    const DfSpec& df = current_df();
    for (size_t i = 0; i < df.efs.size(); ++i) {
      if (df.efs[i].fid == fid) {
        sel_.kind = Selection::Kind::ef;
        sel_.index = i;
        return sw::kOk;
      }
    }
    for (size_t i = 0; i < df.pins.size(); ++i) {
      if (df.pins[i].fid == fid) {
        sel_.kind = Selection::Kind::pin;
        sel_.index = i;
        return sw::kOk;
      }
    }
    for (size_t i = 0; i < df.keys.size(); ++i) {
      if (df.keys[i].fid == fid) {
        sel_.kind = Selection::Kind::key;
        sel_.index = i;
        return sw::kOk;
      }
    }
    return sw::kNotFound;
  }
  return sw::kBadP1P2;
}

bool CardEngine::pins_verified(const std::vector<std::string>& ids) const {
  return std::all_of(ids.begin(), ids.end(), [this](const std::string& id) {
    auto it = pins_.find(id);
    return it != pins_.end() && it->second.verified;
  });
}

uint16_t CardEngine::read_binary(const Apdu& a, Bytes& out) {
  if (!a.le || !a.data.empty()) {
    return sw::kWrongLength;
  }
  size_t offset = 0;
  const EfSpec* ef = nullptr;
  DfSpec& df = current_df();
  if ((a.p1 & 0x80) != 0) {
    if ((a.p1 & 0x60) != 0) {
      return sw::kBadP1P2;
    }
    const uint8_t sfi = a.p1 & 0x1F;
    offset = a.p2;
    for (size_t i = 0; i < df.efs.size(); ++i) {
      if (sfi_of(df.efs[i].fid) == sfi) {
        sel_.kind = Selection::Kind::ef;
        sel_.index = i;
        ef = &df.efs[i];
        break;
      }
    }
    if (ef == nullptr) {
      return sw::kNotFound;
    }
  } else {
    offset = static_cast<size_t>(a.p1) << 8 | a.p2;
    if (sel_.kind != Selection::Kind::ef) {
      return sw::kNoCurrentEf;
    }
    ef = &df.efs[sel_.index];
  }
  last_ef_ = ef->fid;
  if (!pins_verified(ef->read_pins)) {
    return sw::kSecurityNotSatisfied;
  }
  const size_t size = std::max(ef->size, ef->content.size());
  if (offset >= size) {
    return sw::kOffsetBeyondEf;
  }
  const size_t n = std::min(*a.le, size - offset);
  out.reserve(n + 2);
  for (size_t i = offset; i < offset + n; ++i) {
    out.push_back(i < ef->content.size() ? ef->content[i] : 0xFF);
  }
  return sw::kOk;
}

const PinSpec* CardEngine::find_pin_by_sfi(uint8_t sfi, const DfSpec** owner) const {
  const DfSpec* dfs[2] = {sel_.df < 0 ? &spec_.mf : &spec_.dfs[static_cast<size_t>(sel_.df)],
                          &spec_.mf};
  for (const DfSpec* df : dfs) {
    for (const auto& p : df->pins) {
      if (sfi_of(p.fid) == sfi) {
        *owner = df;
        return &p;
      }
    }
  }
  return nullptr;
}

uint16_t CardEngine::verify(const Apdu& a) {
  if (a.p1 != 0x00 || (a.p2 & 0xE0) != 0x80) {
    return sw::kBadP1P2;
  }
  const PinSpec* pin = nullptr;
  const uint8_t sfi = a.p2 & 0x1F;
  if (sfi == 0) {
    if (sel_.kind != Selection::Kind::pin) {
      return sw::kNoCurrentEf;
    }
    pin = &current_df().pins[sel_.index];
  } else {
    const DfSpec* owner = nullptr;
    pin = find_pin_by_sfi(sfi, &owner);
    if (pin == nullptr) {
      return sw::kNotFound;
    }
  }
  last_ef_ = pin->fid;
  PinState& state = pins_[pin->id];
  if (a.data.empty()) {  // how many tries are left; costs nothing
    return static_cast<uint16_t>(sw::kWrongPinBase | state.tries_left);
  }
  if (state.tries_left <= 0) {
    return sw::kBlocked;
  }
  if (pin->value.empty()) {  // no PIN set yet (an application the issuer has not finished)
    return sw::kReferenceNotFound;
  }
  const std::string given(a.data.begin(), a.data.end());
  if (given == pin->value) {
    const bool changed = state.tries_left != pin->max_tries;
    state.tries_left = pin->max_tries;
    state.verified = true;
    if (changed && on_change_) {
      on_change_();
    }
    return sw::kOk;
  }
  state.verified = false;
  --state.tries_left;
  if (on_change_) {
    on_change_();
  }
  return static_cast<uint16_t>(sw::kWrongPinBase | state.tries_left);
}

uint16_t CardEngine::sign(const Apdu& a, Bytes& out) {
  if (a.p1 != 0x00 || (a.p2 & 0xE0) != 0x80) {
    return sw::kBadP1P2;
  }
  DfSpec& df = current_df();
  const KeySpec* key = nullptr;
  const uint8_t sfi = a.p2 & 0x1F;
  if (sfi == 0) {
    if (sel_.kind != Selection::Kind::key) {
      return sw::kNoCurrentEf;
    }
    key = &df.keys[sel_.index];
  } else {
    for (const auto& k : df.keys) {
      if (sfi_of(k.fid) == sfi) {
        key = &k;
      }
    }
    if (key == nullptr) {
      return sw::kNotFound;
    }
  }
  last_ef_ = key->fid;
  // PKCS#1 v1.5 type 1 needs at least 11 bytes of padding in a 256-byte block.
  if (a.data.empty() || a.data.size() > 256 - 11) {
    return sw::kWrongLength;
  }
  if (!pins_verified({key->pin})) {
    return sw::kSecurityNotSatisfied;
  }
  out = key->sign(a.data);
  return out.empty() ? sw::kConditionsNotSatisfied : sw::kOk;
}

// ---- The issuer channel (docs/issuer-channel.md) ----

std::optional<size_t> CardEngine::df_index(std::span<const uint8_t> aid) const {
  for (size_t i = 0; i < spec_.dfs.size(); ++i) {
    if (std::equal(aid.begin(), aid.end(), spec_.dfs[i].aid.begin(), spec_.dfs[i].aid.end())) {
      return i;
    }
  }
  return std::nullopt;
}

bool CardEngine::in_issuer_application() const {
  if (!spec_.issuer || sel_.df < 0) {
    return false;
  }
  const Bytes& aid = spec_.dfs[static_cast<size_t>(sel_.df)].aid;
  return aid == spec_.issuer->isd_aid || aid == spec_.issuer->instance_aid;
}

bool CardEngine::in_isd() const {
  return spec_.issuer && sel_.df >= 0 &&
         spec_.dfs[static_cast<size_t>(sel_.df)].aid == spec_.issuer->isd_aid;
}

void CardEngine::notify() const {
  if (on_change_) {
    on_change_();
  }
}

uint16_t CardEngine::initialize_update(const Apdu& a, Bytes& out) {
  close_channel();  // a new INITIALIZE UPDATE always starts over
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
  out = channel_->initialize_update(spec_.issuer->keys, spec_.issuer->div_data, a.data);
  return sw::kOk;
}

uint16_t CardEngine::secured(const Apdu& a) {
  const uint8_t header[4] = {a.cla, a.ins, a.p1, a.p2};
  if (!channel_) {
    return sw::kSecurityNotSatisfied;  // an issuer command outside a channel
  }
  if (!channel_->authenticated()) {
    if (a.ins != kInsExternalAuthenticate || !channel_->external_authenticate(header, a.data)) {
      close_channel();
      return sw::kSecurityNotSatisfied;
    }
    if (a.p1 != scp03::kSecurityLevel || a.p2 != 0x00) {  // profile v1 knows one level only
      close_channel();
      return sw::kBadP1P2;
    }
    return sw::kOk;  // the channel is open; R-MACs start with the next command
  }
  auto plain_data = channel_->unwrap(header, a.data, a.extended);
  if (!plain_data) {  // wrong C-MAC (replayed, altered) or bad padding: nothing happens
    close_channel();
    return sw::kSecurityNotSatisfied;
  }
  rmac_pending_ = true;
  Apdu plain = a;
  plain.data = std::move(*plain_data);
  if (in_isd()) {
    switch (a.ins) {
      case kInsInstall:
        return install(plain);
      case kInsDelete:
        return remove_instance(plain);
      default:
        return sw::kInsUnknown;
    }
  }
  return application_command(plain);
}

uint16_t CardEngine::install(const Apdu& a) {
  const IssuerSpec& is = *spec_.issuer;
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
  if (df_index(is.instance_aid)) {
    return sw::kConditionsNotSatisfied;
  }
  DfSpec df = is.make_instance();
  for (const auto& p : df.pins) {
    pins_[p.id] = PinState{p.initial_tries < 0 ? p.max_tries : p.initial_tries, false};
  }
  spec_.dfs.push_back(std::move(df));  // after the ISD: the selection's index stays
  instance_state_ = InstanceState::installed;
  notify();
  return sw::kOk;
}

uint16_t CardEngine::remove_instance(const Apdu& a) {
  const IssuerSpec& is = *spec_.issuer;
  if (a.p1 != 0x00 || a.p2 != 0x00) {
    return sw::kBadP1P2;
  }
  if (a.data.size() < 2 || a.data[0] != 0x4F || a.data[1] + 2u != a.data.size()) {
    return sw::kWrongData;
  }
  const std::span<const uint8_t> aid(a.data.begin() + 2, a.data.end());
  const auto index = df_index(aid);
  if (!std::equal(aid.begin(), aid.end(), is.instance_aid.begin(), is.instance_aid.end()) ||
      !index) {
    return sw::kReferenceNotFound;
  }
  for (const auto& p : spec_.dfs[*index].pins) {
    pins_.erase(p.id);
  }
  spec_.dfs.erase(spec_.dfs.begin() + static_cast<std::ptrdiff_t>(*index));
  sel_.df = static_cast<int>(*df_index(is.isd_aid));  // the ISD is still selected
  instance_state_ = InstanceState::deleted;
  notify();
  return sw::kOk;
}

uint16_t CardEngine::application_command(const Apdu& a) {
  switch (a.ins) {
    case kInsSelect: {
      if (a.p1 != 0x02 || a.p2 != 0x0C) {
        return sw::kBadP1P2;
      }
      if (a.data.size() != 2) {
        return sw::kWrongLength;
      }
      Apdu plain = a;
      plain.cla = kClaIso;
      return select(plain);
    }
    case kInsUpdateBinary:
      return update_binary(a);
    case kInsChangeReferenceData:
    case kInsResetRetryCounter:
      return set_pin(a);
    default:
      return sw::kInsUnknown;
  }
}

uint16_t CardEngine::update_binary(const Apdu& a) {
  if ((a.p1 & 0x80) != 0) {
    return sw::kBadP1P2;  // 15-bit offsets only
  }
  if (a.data.empty() || a.data.size() > kMaxUpdateBytes) {
    return sw::kWrongLength;
  }
  if (sel_.kind != Selection::Kind::ef) {
    return sw::kNoCurrentEf;
  }
  EfSpec& ef = current_df().efs[sel_.index];
  last_ef_ = ef.fid;
  const size_t offset = static_cast<size_t>(a.p1) << 8 | a.p2;
  if (offset + a.data.size() > std::max(ef.size, ef.content.size())) {
    return sw::kOffsetBeyondEf;
  }
  if (ef.content.size() < offset + a.data.size()) {
    ef.content.resize(offset + a.data.size(), 0xFF);
  }
  std::copy(a.data.begin(), a.data.end(), ef.content.begin() + static_cast<std::ptrdiff_t>(offset));
  ef.written = true;
  notify();
  return sw::kOk;
}

uint16_t CardEngine::set_pin(const Apdu& a) {
  const uint8_t p1 = a.ins == kInsChangeReferenceData ? 0x01 : 0x02;  // new value only
  if (a.p1 != p1 || (a.p2 & 0xE0) != 0x80) {
    return sw::kBadP1P2;
  }
  PinSpec* pin = nullptr;
  for (auto& p : current_df().pins) {
    if (sfi_of(p.fid) == (a.p2 & 0x1F)) {
      pin = &p;
    }
  }
  if (pin == nullptr) {
    return sw::kReferenceNotFound;
  }
  last_ef_ = pin->fid;
  if (a.data.size() != kPinDigits ||
      !std::all_of(a.data.begin(), a.data.end(), [](uint8_t c) { return c >= '0' && c <= '9'; })) {
    return sw::kWrongData;
  }
  pin->value.assign(a.data.begin(), a.data.end());
  pin->written = true;
  pins_[pin->id] = PinState{pin->max_tries, false};
  notify();
  return sw::kOk;
}

}  // namespace mk::devices::sim
