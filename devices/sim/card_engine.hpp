#pragma once

// An ISO 7816-4 card model for the virtual cards: dedicated files selected by AID, elementary
// files by FID, READ BINARY, VERIFY and COMPUTE DIGITAL SIGNATURE, with per-EF access conditions
// and PIN retry counters. The status words are those of ../shared/card-profile.md §1. Every
// command and answer is kept in a log so tests can prove what a client did (and did not) send.
// With an IssuerSpec the card also has a GlobalPlatform ISD and the issuer channel of
// docs/issuer-channel.md (SCP03, INSTALL / DELETE of one application, UPDATE BINARY, CHANGE
// REFERENCE DATA, RESET RETRY COUNTER in that application).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "devices/apdu/bytes.hpp"
#include "devices/sim/scp03.hpp"

namespace mk::devices::sim {

// Status words the cards answer with.
namespace sw {
inline constexpr uint16_t kOk = 0x9000;
inline constexpr uint16_t kWrongPinBase = 0x63C0;  // | tries left
inline constexpr uint16_t kBlocked = 0x6984;
inline constexpr uint16_t kSecurityNotSatisfied = 0x6982;
inline constexpr uint16_t kConditionsNotSatisfied = 0x6985;
inline constexpr uint16_t kWrongData = 0x6A80;
inline constexpr uint16_t kNotFound = 0x6A82;
inline constexpr uint16_t kReferenceNotFound = 0x6A88;
inline constexpr uint16_t kBadP1P2 = 0x6A86;
inline constexpr uint16_t kNoCurrentEf = 0x6986;
inline constexpr uint16_t kOffsetBeyondEf = 0x6B00;
inline constexpr uint16_t kWrongLength = 0x6700;
inline constexpr uint16_t kInsUnknown = 0x6D00;
inline constexpr uint16_t kClaUnknown = 0x6E00;
}  // namespace sw

// The interface the vpcd link (and tests) drive.
class VirtualCard {
 public:
  virtual ~VirtualCard() = default;
  virtual Bytes atr() const = 0;
  virtual Bytes transmit(std::span<const uint8_t> apdu) = 0;
  virtual void reset() = 0;      // warm reset: selection and verified PINs cleared
  virtual void power_off() = 0;  // same as reset for a contact card model
};

// A command APDU split into its parts (short and extended forms).
struct Apdu {
  uint8_t cla = 0, ins = 0, p1 = 0, p2 = 0;
  Bytes data;
  std::optional<size_t> le;  // absent: no Le; 256 / 65536 for 00 / 0000
  bool extended = false;
};
// nullopt when the bytes are not a well-formed APDU (the card answers 6700).
std::optional<Apdu> parse_apdu(std::span<const uint8_t> bytes);

struct LogEntry {
  Bytes command;
  Bytes response;
  Bytes df_aid;     // the DF current when the command arrived (empty: MF)
  uint16_t ef = 0;  // the EF the command acted on, 0 when none
};

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

class CardEngine : public VirtualCard {
 public:
  explicit CardEngine(CardSpec spec);

  Bytes atr() const override { return spec_.atr; }
  Bytes transmit(std::span<const uint8_t> apdu) override;
  void reset() override;
  void power_off() override { reset(); }

  const std::vector<LogEntry>& log() const { return log_; }
  void clear_log() { log_.clear(); }
  // True when any logged command touched that EF under that DF (empty aid: MF).
  bool touched(std::span<const uint8_t> df_aid, uint16_t fid) const;

  // PIN counters by id, for the state file; set_tries also unverifies.
  std::map<std::string, int> pin_tries() const;
  void set_pin_tries(const std::string& id, int tries);
  std::optional<PinState> pin_state(const std::string& id) const;

  // PIN values set by the issuer, by id; set_pin_value restores one (from the state file).
  std::map<std::string, std::string> pin_values() const;
  void set_pin_value(const std::string& id, const std::string& value);

  // The card as it is now (EFs marked `written` were written by the issuer).
  const CardSpec& spec() const { return spec_; }
  InstanceState instance_state() const { return instance_state_; }
  void set_instance_state(InstanceState s) { instance_state_ = s; }

  // Called after every change of a retry counter, a PIN, a file or the installed applications, so
  // the runner can save the state (before the card answers).
  void on_state_change(std::function<void()> callback) { on_change_ = std::move(callback); }

 private:
  struct Selection {
    int df = -1;  // -1: MF, else index into spec_.dfs
    enum class Kind { none, ef, pin, key } kind = Kind::none;
    size_t index = 0;
  };
  uint16_t handle(const Apdu& apdu, Bytes& out);
  uint16_t select(const Apdu& apdu);
  uint16_t read_binary(const Apdu& apdu, Bytes& out);
  uint16_t verify(const Apdu& apdu);
  uint16_t sign(const Apdu& apdu, Bytes& out);
  // The issuer channel.
  bool in_issuer_application() const;
  bool in_isd() const;
  void close_channel() { channel_.reset(); }
  void notify() const;
  uint16_t initialize_update(const Apdu& apdu, Bytes& out);
  uint16_t secured(const Apdu& apdu);
  uint16_t install(const Apdu& plain);
  uint16_t remove_instance(const Apdu& plain);
  uint16_t application_command(const Apdu& plain);
  uint16_t update_binary(const Apdu& plain);
  uint16_t set_pin(const Apdu& plain);
  std::optional<size_t> df_index(std::span<const uint8_t> aid) const;
  DfSpec& current_df();
  const PinSpec* find_pin_by_sfi(uint8_t sfi, const DfSpec** owner) const;
  bool pins_verified(const std::vector<std::string>& ids) const;

  CardSpec spec_;
  Selection sel_;
  std::map<std::string, PinState> pins_;
  std::vector<LogEntry> log_;
  uint16_t last_ef_ = 0;
  std::function<void()> on_change_;
  std::optional<scp03::CardChannel> channel_;  // of the selected application
  bool rmac_pending_ = false;                  // the answer gets an R-MAC
  InstanceState instance_state_ = InstanceState::as_built;
};

// Helpers for building file contents.
void append_ber_length(Bytes& out, size_t length);
void append_tlv(Bytes& out, std::span<const uint8_t> tag, std::span<const uint8_t> value);
void append_tlv(Bytes& out, uint8_t tag, std::span<const uint8_t> value);
Bytes ascii(std::string_view s);

}  // namespace mk::devices::sim
