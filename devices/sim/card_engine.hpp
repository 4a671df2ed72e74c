#pragma once

// An ISO 7816-4 card model for the virtual cards: dedicated files selected by AID, elementary
// files by FID, READ BINARY, VERIFY and COMPUTE DIGITAL SIGNATURE, with per-EF access conditions
// and PIN retry counters. The status words are those of ../shared/card-profile.md §1. Every
// command and answer is kept in a log so tests can prove what a client did (and did not) send.
// Commands are parsed by devices/apdu's Command::decode, the code the kiosk's own APDUs go through.
// With an IssuerSpec the card also has a GlobalPlatform ISD and the issuer channel of
// docs/issuer-channel.md (issuer_channel.hpp); the application's UPDATE BINARY, CHANGE REFERENCE
// DATA and RESET RETRY COUNTER, reachable only through it, act on the files here.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "devices/apdu/bytes.hpp"
#include "devices/apdu/command.hpp"
#include "devices/sim/card_spec.hpp"
#include "devices/sim/issuer_channel.hpp"

namespace mk::devices::sim {

// The interface the vpcd link (and tests) drive.
class VirtualCard {
 public:
  virtual ~VirtualCard() = default;
  virtual Bytes atr() const = 0;
  virtual Bytes transmit(std::span<const uint8_t> apdu) = 0;
  virtual void reset() = 0;      // warm reset: selection and verified PINs cleared
  virtual void power_off() = 0;  // same as reset for a contact card model
};

struct LogEntry {
  Bytes command;
  Bytes response;
  Bytes df_aid;     // the DF current when the command arrived (empty: MF)
  uint16_t ef = 0;  // the EF the command acted on, 0 when none
};

class CardEngine : public VirtualCard, private IssuedCard {
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
  InstanceState instance_state() const { return issuer_channel_.instance_state(); }
  void set_instance_state(InstanceState s) { issuer_channel_.set_instance_state(s); }

  // Called after every change of a retry counter, a PIN, a file or the installed applications, so
  // the runner can save the state (before the card answers).
  void on_state_change(std::function<void()> callback) { on_change_ = std::move(callback); }

 private:
  struct Selection {
    int df = -1;  // -1: MF, else index into spec_.dfs
    enum class Kind { none, ef, pin, key } kind = Kind::none;
    size_t index = 0;
  };
  uint16_t handle(const Command& apdu, Bytes& out);
  uint16_t select(const Command& apdu);
  uint16_t read_binary(const Command& apdu, Bytes& out);
  uint16_t verify(const Command& apdu);
  uint16_t sign(const Command& apdu, Bytes& out);
  uint16_t update_binary(const Command& plain);
  uint16_t set_pin(const Command& plain);
  bool in_issuer_application() const;
  void add_pin_states(const DfSpec& df);
  std::optional<size_t> df_index(std::span<const uint8_t> aid) const;
  DfSpec& current_df();
  const PinSpec* find_pin_by_sfi(uint8_t sfi, const DfSpec** owner) const;
  bool pins_verified(const std::vector<std::string>& ids) const;

  // IssuedCard: what the issuer channel may do to this card.
  const IssuerSpec& issuer() const override { return *spec_.issuer; }
  bool isd_selected() const override;
  bool has_application(std::span<const uint8_t> aid) const override;
  void add_application(DfSpec df) override;
  void remove_application(std::span<const uint8_t> aid) override;
  uint16_t application_command(const Command& plain) override;
  void notify() const override;

  CardSpec spec_;
  Selection sel_;
  std::map<std::string, PinState> pins_;
  std::vector<LogEntry> log_;
  uint16_t last_ef_ = 0;
  std::function<void()> on_change_;
  IssuerChannel issuer_channel_;
};

}  // namespace mk::devices::sim
