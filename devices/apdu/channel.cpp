#include "devices/apdu/channel.hpp"

#include <utility>

namespace mk::devices {

ApduChannel::ApduChannel(Transport& transport, Tracer tracer)
    : transport_(transport), tracer_(std::move(tracer)) {}

Response ApduChannel::exchange(const Command& command) {
  Bytes encoded = command.encode();
  if (tracer_) {
    tracer_("> " + command.trace());
  }
  ++apdu_count_;
  Bytes raw;
  try {
    raw = transport_.transmit(encoded);
  } catch (...) {
    if (command.secret) {
      base::wipe(encoded);
    }
    throw;
  }
  if (command.secret) {
    base::wipe(encoded);  // the PIN's copy in the encoded APDU
  }
  auto response = Response::parse(raw);
  if (!response) {
    throw CardError(
        CardErrorKind::invalid_response,
        "the card answered " + std::to_string(raw.size()) + " byte(s), fewer than a status word");
  }
  if (tracer_) {
    tracer_("< " +
            (response->data.empty() ? std::string()
                                    : "[" + std::to_string(response->data.size()) + "] ") +
            response->status.describe());
  }
  return std::move(*response);
}

Response ApduChannel::transmit(const Command& command) {
  if (auto refusal = guard_.check(command)) {
    throw CardError(CardErrorKind::refused, "refused to send: " + *refusal);
  }
  Response response = exchange(command);
  if (response.status.status == Status::wrong_le && command.le) {
    Command again = command;
    again.le = response.status.length == 0 ? 256 : response.status.length;
    response = exchange(again);
  }
  // T=0-style chaining: collect the rest with GET RESPONSE. Bounded, so a hostile card that
  // keeps answering 61xx cannot hold the kiosk.
  for (int rounds = 0; response.status.status == Status::more_data; ++rounds) {
    if (rounds >= 64) {
      throw CardError(CardErrorKind::invalid_response, "the card kept asking for GET RESPONSE");
    }
    Response more = exchange(Command::get_response(response.status.length));
    response.data.insert(response.data.end(), more.data.begin(), more.data.end());
    response.status = more.status;
  }
  if (response.ok()) {
    guard_.on_success(command);
  } else if (command.ins == 0xA4) {
    guard_.on_failed_select(command);
  }
  return response;
}

Response ApduChannel::transmit_ok(const Command& command, std::string_view what) {
  Response response = transmit(command);
  if (!response.ok()) {
    throw CardError(CardErrorKind::unexpected_status,
                    std::string(what) + ": " + response.status.describe(), response.status);
  }
  return response;
}

}  // namespace mk::devices
