// The ISO 7816-4 side of a virtual card: selection, READ BINARY, VERIFY, COMPUTE DIGITAL
// SIGNATURE, and the files and PINs the issuer channel writes (card_engine.hpp).
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
constexpr uint8_t kInsInitializeUpdate = 0x50;  // GlobalPlatform: opens the issuer channel
// The issuer application's commands (docs/issuer-channel.md), only inside the channel.
constexpr uint8_t kInsUpdateBinary = 0xD6;
constexpr uint8_t kInsChangeReferenceData = 0x24;
constexpr uint8_t kInsResetRetryCounter = 0x2C;
constexpr size_t kMaxUpdateBytes = 200;
constexpr size_t kPinDigits = 4;

uint8_t sfi_of(uint16_t fid) {
  return static_cast<uint8_t>(fid & 0x1F);
}
}  // namespace

CardEngine::CardEngine(CardSpec spec) : spec_(std::move(spec)) {
  add_pin_states(spec_.mf);
  for (const auto& df : spec_.dfs) {
    add_pin_states(df);
  }
  if (spec_.issuer) {
    DfSpec isd;
    isd.aid = spec_.issuer->isd_aid;
    spec_.dfs.push_back(std::move(isd));
  }
}

void CardEngine::add_pin_states(const DfSpec& df) {
  for (const auto& p : df.pins) {
    pins_[p.id] = PinState{p.initial_tries < 0 ? p.max_tries : p.initial_tries, false};
  }
}

void CardEngine::reset() {
  sel_ = Selection{};
  issuer_channel_.close();
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
  issuer_channel_.begin_command();
  Bytes out;
  uint16_t status = sw::kWrongLength;
  if (auto apdu = Command::decode(command)) {
    status = handle(*apdu, out);
    if (status != sw::kOk) {
      out.clear();
    }
  }
  issuer_channel_.append_rmac(out, status);
  out.push_back(static_cast<uint8_t>(status >> 8));
  out.push_back(static_cast<uint8_t>(status & 0xFF));
  entry.ef = last_ef_;
  entry.response = out;
  log_.push_back(std::move(entry));
  return out;
}

uint16_t CardEngine::handle(const Command& a, Bytes& out) {
  if (a.cla == kClaIso) {
    switch (a.ins) {
      case kInsSelect:
        if (a.p1 == 0x04) {
          issuer_channel_.close();  // a SELECT by AID ends the channel of the selected application
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
      return issuer_channel_.initialize_update(a, *this, out);
    }
    return a.ins == kInsSign ? sign(a, out) : sw::kInsUnknown;
  }
  if (a.cla == kClaSecure && in_issuer_application()) {
    return issuer_channel_.secured(a, *this);
  }
  if (a.cla == kClaSecure) {
    const auto& s = spec_.secure_only_ins;
    return std::find(s.begin(), s.end(), a.ins) != s.end() ? sw::kSecurityNotSatisfied
                                                           : sw::kInsUnknown;
  }
  return sw::kClaUnknown;
}

uint16_t CardEngine::select(const Command& a) {
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

uint16_t CardEngine::read_binary(const Command& a, Bytes& out) {
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

uint16_t CardEngine::verify(const Command& a) {
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

uint16_t CardEngine::sign(const Command& a, Bytes& out) {
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

// ---- What the issuer channel reaches (docs/issuer-channel.md) ----

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

bool CardEngine::isd_selected() const {
  return spec_.issuer && sel_.df >= 0 &&
         spec_.dfs[static_cast<size_t>(sel_.df)].aid == spec_.issuer->isd_aid;
}

bool CardEngine::has_application(std::span<const uint8_t> aid) const {
  return df_index(aid).has_value();
}

void CardEngine::notify() const {
  if (on_change_) {
    on_change_();
  }
}

void CardEngine::add_application(DfSpec df) {
  add_pin_states(df);
  spec_.dfs.push_back(std::move(df));  // after the ISD: the selection's index stays
}

void CardEngine::remove_application(std::span<const uint8_t> aid) {
  const size_t index = *df_index(aid);
  for (const auto& p : spec_.dfs[index].pins) {
    pins_.erase(p.id);
  }
  spec_.dfs.erase(spec_.dfs.begin() + static_cast<std::ptrdiff_t>(index));
  sel_.df = static_cast<int>(*df_index(spec_.issuer->isd_aid));  // the ISD is still selected
}

uint16_t CardEngine::application_command(const Command& a) {
  switch (a.ins) {
    case kInsSelect: {
      if (a.p1 != 0x02 || a.p2 != 0x0C) {
        return sw::kBadP1P2;
      }
      if (a.data.size() != 2) {
        return sw::kWrongLength;
      }
      Command plain = a;
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

uint16_t CardEngine::update_binary(const Command& a) {
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

uint16_t CardEngine::set_pin(const Command& a) {
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
