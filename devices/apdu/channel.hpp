#pragma once

#include <functional>
#include <span>
#include <string_view>

#include "devices/apdu/bytes.hpp"
#include "devices/apdu/card_error.hpp"
#include "devices/apdu/command.hpp"
#include "devices/apdu/my_number_guard.hpp"
#include "devices/apdu/response.hpp"

namespace mk::devices {

// Sends encoded APDUs to one card: PC/SC inside a transaction, or a test double. Throws
// CardError for transport failures (card removed, reader gone, timeout).
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Bytes transmit(std::span<const uint8_t> command) = 0;
};

// The one path every card command takes: the My Number guard, tracing (PINs as **), 61xx GET
// RESPONSE chaining, 6Cxx resend with the right Le, and an APDU count for benchmarks.
class ApduChannel {
 public:
  using Tracer = std::function<void(std::string_view line)>;

  explicit ApduChannel(Transport& transport, Tracer tracer = {});

  // Returns the card's final answer (after GET RESPONSE / resend). Throws CardError:
  // refused (the guard), invalid_response (fewer than 2 bytes), or the transport's errors.
  Response transmit(const Command& command);
  // transmit(), and anything but 9000 becomes CardError(unexpected_status).
  Response transmit_ok(const Command& command, std::string_view what);

  size_t apdu_count() const { return apdu_count_; }
  // Selecting an application clears PIN verification on the card; the card layer calls this to
  // learn which application is selected (e.g. to skip a redundant SELECT).
  const Bytes& selected_application() const { return guard_.selected_application(); }

 private:
  Response exchange(const Command& command);

  Transport& transport_;
  Tracer tracer_;
  MyNumberGuard guard_;
  size_t apdu_count_ = 0;
};

}  // namespace mk::devices
