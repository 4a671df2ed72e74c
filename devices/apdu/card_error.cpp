#include "devices/apdu/card_error.hpp"

namespace mk::devices {

const char* to_string(CardErrorKind kind) {
  switch (kind) {
    case CardErrorKind::card_removed:
      return "card_removed";
    case CardErrorKind::reader_removed:
      return "reader_removed";
    case CardErrorKind::no_service:
      return "no_service";
    case CardErrorKind::no_reader:
      return "no_reader";
    case CardErrorKind::no_card:
      return "no_card";
    case CardErrorKind::timeout:
      return "timeout";
    case CardErrorKind::invalid_response:
      return "invalid_response";
    case CardErrorKind::unexpected_status:
      return "unexpected_status";
    case CardErrorKind::wrong_card:
      return "wrong_card";
    case CardErrorKind::pin_format:
      return "pin_format";
    case CardErrorKind::pin_blocked:
      return "pin_blocked";
    case CardErrorKind::refused:
      return "refused";
    case CardErrorKind::transport:
      return "transport";
  }
  return "transport";
}

}  // namespace mk::devices
