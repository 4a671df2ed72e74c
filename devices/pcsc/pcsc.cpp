#include "devices/pcsc/pcsc.hpp"

#include <chrono>
#include <thread>

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>
#include <fmt/format.h>

namespace mk::devices {

void throw_pcsc_error(long rv, const std::string& what) {
  const std::string message =
      fmt::format("{}: {} (0x{:08X})", what, pcsc_stringify_error(rv), static_cast<uint32_t>(rv));
  switch (rv) {
    case SCARD_W_REMOVED_CARD:
    case SCARD_E_NO_SMARTCARD:
    case SCARD_W_RESET_CARD:  // reset by someone else: every PIN state is gone; start again
    case SCARD_W_UNPOWERED_CARD:
      throw CardError(CardErrorKind::card_removed, message);
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
      throw CardError(CardErrorKind::no_service, message);
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE:
      throw CardError(CardErrorKind::reader_removed, message);
    case SCARD_E_NO_READERS_AVAILABLE:
      throw CardError(CardErrorKind::no_reader, message);
    case SCARD_E_TIMEOUT:
      throw CardError(CardErrorKind::timeout, message);
    case SCARD_W_UNRESPONSIVE_CARD:
    case SCARD_W_UNSUPPORTED_CARD:
      throw CardError(CardErrorKind::invalid_response, message);
    default:
      throw CardError(CardErrorKind::transport, message);
  }
}

PcscContext::PcscContext() {
  SCARDCONTEXT context = 0;
  const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context);
  if (rv != SCARD_S_SUCCESS) {
    throw_pcsc_error(rv, "connecting to pcscd");
  }
  context_ = context;
}

PcscContext::~PcscContext() {
  SCardReleaseContext(context_);
}

std::vector<ReaderState> list_readers(PcscContext& context) {
  DWORD size = 0;
  LONG rv = SCardListReaders(context.handle(), nullptr, nullptr, &size);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) {
    return {};
  }
  if (rv != SCARD_S_SUCCESS) {
    throw_pcsc_error(rv, "listing readers");
  }
  std::string names(size, '\0');
  rv = SCardListReaders(context.handle(), nullptr, names.data(), &size);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) {
    return {};
  }
  if (rv != SCARD_S_SUCCESS) {
    throw_pcsc_error(rv, "listing readers");
  }
  std::vector<ReaderState> readers;
  std::vector<SCARD_READERSTATE> states;
  for (size_t pos = 0; pos < names.size() && names[pos] != '\0';) {
    const std::string name(names.c_str() + pos);
    readers.push_back({name, false, {}});
    pos += name.size() + 1;
  }
  states.resize(readers.size());
  for (size_t i = 0; i < readers.size(); ++i) {
    states[i] = SCARD_READERSTATE{};
    states[i].szReader = readers[i].name.c_str();
    states[i].dwCurrentState = SCARD_STATE_UNAWARE;
  }
  rv = SCardGetStatusChange(context.handle(), 0, states.data(), static_cast<DWORD>(states.size()));
  if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
    throw_pcsc_error(rv, "reading reader states");
  }
  for (size_t i = 0; i < readers.size(); ++i) {
    readers[i].card_present = (states[i].dwEventState & SCARD_STATE_PRESENT) != 0;
    if (readers[i].card_present) {
      readers[i].atr.assign(states[i].rgbAtr, states[i].rgbAtr + states[i].cbAtr);
    }
  }
  return readers;
}

PcscCard::PcscCard(PcscContext& context, const std::string& reader) : reader_(reader) {
  SCARDHANDLE card = 0;
  DWORD protocol = 0;
  LONG rv = SCardConnect(context.handle(), reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1,
                         &card, &protocol);
  if (rv != SCARD_S_SUCCESS) {
    throw_pcsc_error(rv, "connecting to the card in \"" + reader + "\"");
  }
  card_ = card;
  protocol_ = protocol;
  rv = SCardBeginTransaction(card_);
  if (rv != SCARD_S_SUCCESS) {
    SCardDisconnect(card_, SCARD_LEAVE_CARD);
    throw_pcsc_error(rv, "starting a transaction");
  }
  in_transaction_ = true;
  DWORD reader_length = 0;
  DWORD state = 0;
  BYTE atr[MAX_ATR_SIZE];
  DWORD atr_length = sizeof atr;
  if (SCardStatus(card_, nullptr, &reader_length, &state, &protocol, atr, &atr_length) ==
      SCARD_S_SUCCESS) {
    atr_.assign(atr, atr + atr_length);
  }
}

PcscCard::~PcscCard() {
  end_transaction();
  SCardDisconnect(card_, SCARD_LEAVE_CARD);
}

void PcscCard::end_transaction() noexcept {
  if (in_transaction_) {
    SCardEndTransaction(card_, SCARD_LEAVE_CARD);
    in_transaction_ = false;
  }
}

void PcscCard::begin_transaction() {
  if (in_transaction_) {
    return;
  }
  const LONG rv = SCardBeginTransaction(card_);
  if (rv != SCARD_S_SUCCESS) {
    throw_pcsc_error(rv, "starting a transaction on the card kept connected");
  }
  in_transaction_ = true;
}

bool PcscCard::card_gone() const {
  // pcscd polls some readers (vpcd among them) about every 400 ms: watch for up to a second.
  for (int i = 0; i < 25; ++i) {
    DWORD state = 0;
    DWORD protocol = 0;
    DWORD reader_length = 0;
    BYTE atr[MAX_ATR_SIZE];
    DWORD atr_length = sizeof atr;
    const LONG status =
        SCardStatus(card_, nullptr, &reader_length, &state, &protocol, atr, &atr_length);
    if (status == SCARD_W_REMOVED_CARD || status == SCARD_E_NO_SMARTCARD ||
        status == SCARD_W_RESET_CARD ||
        (status == SCARD_S_SUCCESS && (state & SCARD_PRESENT) == 0)) {
      return true;
    }
    if (status != SCARD_S_SUCCESS) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
  }
  return false;
}

Bytes PcscCard::transmit(std::span<const uint8_t> command) {
  Bytes response(65538);  // the largest extended-length answer plus SW1 SW2
  DWORD length = static_cast<DWORD>(response.size());
  const LONG rv =
      SCardTransmit(card_, SCARD_PCI_T1, command.data(), static_cast<DWORD>(command.size()),
                    nullptr, response.data(), &length);
  // A card pulled mid-APDU surfaces as a communication error, or (vpcd) as an empty answer,
  // often before pcscd has noticed the removal. Tell it apart from a broken card: a pulled card
  // must never look like a broken one, let alone like a wrong PIN.
  if (rv != SCARD_S_SUCCESS) {
    if (card_gone()) {
      throw_pcsc_error(SCARD_W_REMOVED_CARD, "sending an APDU");
    }
    throw_pcsc_error(rv, "sending an APDU");
  }
  if (length < 2 && card_gone()) {
    throw_pcsc_error(SCARD_W_REMOVED_CARD, "sending an APDU");
  }
  response.resize(length);
  return response;
}

}  // namespace mk::devices
