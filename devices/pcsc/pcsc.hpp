#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "devices/apdu/bytes.hpp"
#include "devices/apdu/card_error.hpp"
#include "devices/apdu/channel.hpp"

namespace mk::devices {

// A PC/SC resource manager context (pcsc-lite). Throws CardError(no_service) when pcscd is not
// running.
class PcscContext {
 public:
  PcscContext();
  ~PcscContext();
  PcscContext(const PcscContext&) = delete;
  PcscContext& operator=(const PcscContext&) = delete;

  long handle() const { return context_; }

 private:
  long context_ = 0;
};

struct ReaderState {
  std::string name;
  bool card_present = false;
  Bytes atr;
};

// Every reader and whether it holds a card, without connecting to any card.
std::vector<ReaderState> list_readers(PcscContext& context);

// Maps a PC/SC result to a CardError (removed card vs reader vs service vs timeout).
[[noreturn]] void throw_pcsc_error(long rv, const std::string& what);

// One connection to the card in a reader, in a transaction from the start: the kiosk's card
// operations are not interleaved with anyone else's. Share mode shared, T=1; by default the card
// is left as it is on release (other sessions' state is not ours to clear).
//
// pcscd powers a card off soon (a few hundred ms) after its last connection closes, which ends
// every secure channel and verified PIN on it: a connection kept between two operations keeps
// them (end_transaction, then begin_transaction for the next operation).
class PcscCard final : public Transport {
 public:
  PcscCard(PcscContext& context, const std::string& reader);
  ~PcscCard() override;
  PcscCard(const PcscCard&) = delete;
  PcscCard& operator=(const PcscCard&) = delete;

  Bytes transmit(std::span<const uint8_t> command) override;
  const Bytes& atr() const { return atr_; }
  const std::string& reader() const { return reader_; }

  // Lets others at the card between two operations; the connection stays.
  void end_transaction() noexcept;
  // The next operation on a connection kept. Throws CardError(card_removed) when the card was
  // taken off, or reset by someone else, since: it is not the card (or state) the flow had.
  void begin_transaction();

 private:
  // True when the card left the reader (checked for up to a second after a failed exchange).
  bool card_gone() const;

  long card_ = 0;
  unsigned long protocol_ = 0;
  bool in_transaction_ = false;
  std::string reader_;
  Bytes atr_;
};

}  // namespace mk::devices
