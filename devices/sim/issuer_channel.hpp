#pragma once

// The GlobalPlatform side of a virtual card (docs/issuer-channel.md): INITIALIZE UPDATE and
// EXTERNAL AUTHENTICATE open an SCP03 channel to the selected application (the ISD or the
// issuer's application); every later command in it is unwrapped (C-MAC, C-DECRYPTION) and its
// answer gets an R-MAC. The ISD's INSTALL and DELETE of the one application are decided here; the
// application's own commands go back to the card's file system (IssuedCard).

#include <cstdint>
#include <optional>
#include <span>

#include "devices/apdu/command.hpp"
#include "devices/sim/card_spec.hpp"
#include "devices/sim/scp03.hpp"

namespace mk::devices::sim {

// What the issuer's unwrapped commands may do to the card (CardEngine implements it).
class IssuedCard {
 public:
  virtual const IssuerSpec& issuer() const = 0;
  virtual bool isd_selected() const = 0;
  virtual bool has_application(std::span<const uint8_t> aid) const = 0;
  // INSTALL: the DF and fresh counters for its PINs, placed after the ISD.
  virtual void add_application(DfSpec df) = 0;
  // DELETE: the DF and its PINs go; the ISD stays selected.
  virtual void remove_application(std::span<const uint8_t> aid) = 0;
  // A command of the issuer's application (SELECT EF, UPDATE BINARY, CHANGE REFERENCE DATA,
  // RESET RETRY COUNTER), its data deciphered.
  virtual uint16_t application_command(const Command& plain) = 0;
  // Lets the runner save the state (a PIN, a file or the installed applications changed).
  virtual void notify() const = 0;

 protected:
  ~IssuedCard() = default;
};

class IssuerChannel {
 public:
  // CLA 80 INS 50 in the ISD or the issuer's application: starts a new channel.
  uint16_t initialize_update(const Command& command, const IssuedCard& card, Bytes& out);
  // CLA 84 in the ISD or the issuer's application: EXTERNAL AUTHENTICATE, then the wrapped
  // commands of the open channel.
  uint16_t secured(const Command& command, IssuedCard& card);

  // A SELECT by AID, a reset or a refused command ends the channel.
  void close() { channel_.reset(); }
  // Called before each command: only the answer to a command of the open channel gets an R-MAC.
  void begin_command() { rmac_pending_ = false; }
  // Appends the R-MAC (before SW1 SW2) when the command was one of the open channel and the
  // status is 9000 or a warning (GP Amendment D §6.2.5: never on an error status).
  void append_rmac(Bytes& out, uint16_t status) const;

  InstanceState instance_state() const { return instance_state_; }
  void set_instance_state(InstanceState s) { instance_state_ = s; }

 private:
  uint16_t install(const Command& plain, IssuedCard& card);
  uint16_t remove_instance(const Command& plain, IssuedCard& card);

  std::optional<scp03::CardChannel> channel_;  // of the selected application
  bool rmac_pending_ = false;                  // the answer gets an R-MAC
  InstanceState instance_state_ = InstanceState::as_built;
};

}  // namespace mk::devices::sim
