#pragma once

// What a virtual card holds (docs/virtual-cards.md): its DFs, EFs, PIN files and key files with
// their access conditions and the GlobalPlatform side an issuer reaches (status words:
// devices/apdu/status_words.hpp). CardEngine answers APDUs from a CardSpec;
// cards.cpp builds the My Number card's and the driver's license's.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "devices/apdu/bytes.hpp"
#include "devices/apdu/status_words.hpp"
#include "devices/sim/scp03.hpp"

namespace mk::devices::sim {

struct PinSpec {
  std::string id;  // unique on the card, e.g. "jpki.auth"; names the PIN in the state file
  uint16_t fid = 0;
  std::string value;  // empty: no PIN set yet (VERIFY with data answers 6A88)
  int max_tries = 3;
  int initial_tries = -1;  // tries left on a fresh card; -1: max_tries
  bool written = false;    // value set by the issuer (kept in the state file)
};

struct EfSpec {
  uint16_t fid = 0;
  Bytes content;
  size_t size = 0;                     // >= content.size(); the rest reads as FF
  std::vector<std::string> read_pins;  // all of these must be verified (empty: free)
  bool written = false;                // content written by the issuer (kept in the state file)
};

// Signs a DigestInfo with PKCS#1 v1.5 type-1 padding; returns the 256-byte signature.
using Signer = std::function<Bytes(std::span<const uint8_t> digest_info)>;

struct KeySpec {
  uint16_t fid = 0;
  std::string pin;  // the PIN that must be verified
  Signer sign;
};

struct DfSpec {
  Bytes aid;  // empty for the MF
  std::vector<EfSpec> efs;
  std::vector<PinSpec> pins;
  std::vector<KeySpec> keys;
};

struct PinState {
  int tries_left = 0;
  bool verified = false;
};

// The GlobalPlatform side of a card (docs/issuer-channel.md): the ISD and the one application
// it can install, both reachable through SCP03 with the card's static keys.
struct IssuerSpec {
  Bytes isd_aid;
  scp03::StaticKeys keys;  // the card's diversified static keys
  Bytes div_data;          // 10 bytes, the start of the INITIALIZE UPDATE answer
  Bytes package_aid;       // the load file and module AID INSTALL must name
  Bytes instance_aid;
  std::function<DfSpec()> make_instance;  // a fresh, empty instance
};

// Whether the issuer's application is as the CardSpec built it, or was installed or deleted
// since (what the state file keeps).
enum class InstanceState { as_built, installed, deleted };

struct CardSpec {
  Bytes atr;
  DfSpec mf;
  std::vector<DfSpec> dfs;
  bool select_clears_pins = true;  // My Number card: selecting an AP logs every PIN out
  // Commands outside the secure channel that the card refuses with 6982 (CLA 84 INS xx).
  std::vector<uint8_t> secure_only_ins;
  std::optional<IssuerSpec> issuer;  // adds the ISD (a DF with no files) and the issuer channel
};

// Helpers for building file contents.
void append_ber_length(Bytes& out, size_t length);
void append_tlv(Bytes& out, std::span<const uint8_t> tag, std::span<const uint8_t> value);
void append_tlv(Bytes& out, uint8_t tag, std::span<const uint8_t> value);
Bytes ascii(std::string_view s);

}  // namespace mk::devices::sim
