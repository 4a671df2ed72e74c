#pragma once

// A virtual card served on its own thread, for tests, benchmarks and demos that attach cards to
// pcscd from inside their own process, and a wait for pcscd to see a card come or go.

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "devices/sim/runner.hpp"

namespace mk::devices::sim {

// Runs run_virtual_card(options) on a thread from construction to destruction (the card is
// "inserted" while the object lives). `options.stop` and `options.on_card` are set here.
class BackgroundCard {
 public:
  explicit BackgroundCard(SimOptions options);
  ~BackgroundCard();
  BackgroundCard(const BackgroundCard&) = delete;
  BackgroundCard& operator=(const BackgroundCard&) = delete;

  // The card once built (its APDU log tells what clients sent); null before that. Read it only
  // while no client is talking to the card.
  CardEngine* engine() const { return engine_.load(); }

 private:
  SimOptions options_;
  std::atomic<bool> stop_{false};
  std::atomic<CardEngine*> engine_{nullptr};
  std::thread thread_;
};

// Waits until pcscd reports a card in `reader` present (or absent). pcscd notices a virtual card
// coming or going only at its next poll of the reader (about every 400 ms), so a test starting a
// new card must first wait for the previous one to be gone. False after `limit`.
bool wait_for_reader(const std::string& reader, bool present,
                     std::chrono::milliseconds limit = std::chrono::seconds(15));

}  // namespace mk::devices::sim
