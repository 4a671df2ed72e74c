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

// One connection to the card in a reader, inside one transaction for its whole life: the
// kiosk's card operations are not interleaved with anyone else's. Share mode shared, T=1; the
// card is left as it is on release (no reset: other sessions' state is not ours to clear).
class PcscCard final : public Transport {
 public:
  PcscCard(PcscContext& context, const std::string& reader);
  ~PcscCard() override;
  PcscCard(const PcscCard&) = delete;
  PcscCard& operator=(const PcscCard&) = delete;

  Bytes transmit(std::span<const uint8_t> command) override;
  const Bytes& atr() const { return atr_; }
  const std::string& reader() const { return reader_; }

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
