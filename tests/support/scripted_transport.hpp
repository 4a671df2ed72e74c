#pragma once

// A Transport for unit tests: answers from a script (or a function) and records every command
// sent, so a test can assert exactly what reached the "card".
#include <deque>
#include <functional>
#include <stdexcept>
#include <vector>

#include "base/hex.hpp"
#include "devices/apdu/bytes.hpp"
#include "devices/apdu/card_error.hpp"
#include "devices/apdu/channel.hpp"

namespace mk::test {

class ScriptedTransport final : public devices::Transport {
 public:
  using Responder = std::function<devices::Bytes(const devices::Bytes& command)>;

  explicit ScriptedTransport(Responder responder = {}) : responder_(std::move(responder)) {}

  // Queues answers given as hex ("9000", "6A82", "0102039000"); used before the responder.
  void then(const std::string& hex) { queue_.push_back(*base::from_hex_dump(hex)); }
  // After `n` more commands, every transmit throws CardError(card_removed).
  void remove_card_after(size_t n) { remove_after_ = sent.size() + n; }

  devices::Bytes transmit(std::span<const uint8_t> command) override {
    if (remove_after_ && sent.size() >= *remove_after_) {
      throw devices::CardError(devices::CardErrorKind::card_removed, "card removed (scripted)");
    }
    sent.emplace_back(command.begin(), command.end());
    if (!queue_.empty()) {
      devices::Bytes answer = queue_.front();
      queue_.pop_front();
      return answer;
    }
    if (responder_) {
      return responder_(sent.back());
    }
    throw std::logic_error("ScriptedTransport: no answer scripted for " +
                           base::to_hex(sent.back()));
  }

  std::vector<devices::Bytes> sent;

 private:
  Responder responder_;
  std::deque<devices::Bytes> queue_;
  std::optional<size_t> remove_after_;
};

}  // namespace mk::test
