#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "devices/apdu/response.hpp"

namespace mk::devices {

// Why a card operation could not finish. The layers above switch on `kind` to pick the sentence
// for the person; `what()` is for the log (never holds a PIN or personal data).
enum class CardErrorKind {
  card_removed,       // the card left the reader during the operation: nothing was spent
  reader_removed,     // the reader itself went away
  no_service,         // pcscd is not running (yet)
  no_reader,          // no reader (or not the one asked for)
  no_card,            // a reader, but no card in it
  timeout,            // the card or the reader did not answer in time
  invalid_response,   // the card answered something malformed (a hostile or broken card)
  unexpected_status,  // a well-formed answer with a status the operation cannot go on from
  wrong_card,         // not the card (or application) the operation needs
  pin_format,         // the typed PIN fails the format check: nothing was sent
  pin_blocked,        // the PIN is blocked: nothing was sent
  refused,            // the kiosk refused to send the command (e.g. it would expose the My Number)
  transport,          // another PC/SC failure
};

const char* to_string(CardErrorKind kind);

class CardError : public std::runtime_error {
 public:
  CardError(CardErrorKind kind, const std::string& what,
            std::optional<StatusWord> status = std::nullopt)
      : std::runtime_error(what), kind_(kind), status_(status) {}
  CardErrorKind kind() const { return kind_; }
  const std::optional<StatusWord>& status() const { return status_; }
  // The card is not there to answer (taken off, never placed, or its reader gone).
  bool card_gone() const {
    return kind_ == CardErrorKind::card_removed || kind_ == CardErrorKind::no_card ||
           kind_ == CardErrorKind::reader_removed;
  }
  // Worth trying again after the person acts (re-inserts, waits): not a property of the card.
  bool retryable() const {
    return kind_ == CardErrorKind::card_removed || kind_ == CardErrorKind::no_service ||
           kind_ == CardErrorKind::no_card || kind_ == CardErrorKind::timeout ||
           kind_ == CardErrorKind::reader_removed;
  }

 private:
  CardErrorKind kind_;
  std::optional<StatusWord> status_;
};

}  // namespace mk::devices
