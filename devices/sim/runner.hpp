#pragma once

// Runs one virtual card attached to pcscd's vpcd reader driver over TCP, with fault injection.
// Used by `mynacard sim` and by the small `mynacard-sim` executable in this folder.

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "devices/sim/card_engine.hpp"
#include "devices/sim/fixture.hpp"

namespace mk::devices::sim {

struct FaultOptions {
  int remove_at_apdu = 0;             // 1-based command APDU count; 0: never
  bool remove_before_answer = false;  // close before answering APDU N (else right after)
  int reinsert_after_ms = -1;         // after a removal: reconnect after this long; <0: never
  int delay_ms = 0;                   // delay every answer
  int garbage_at_apdu = 0;            // answer APDU N with garbage; 0: never
  bool garbage_truncated = false;     // garbage: false -> a 1-byte answer, true -> SW1 only of the
                                      // real answer with its data cut in half
};

struct SimOptions {
  std::string card = "mynumber";  // "mynumber" | "dl"
  std::filesystem::path fixture;
  std::filesystem::path state_file;  // empty: no persistence
  std::filesystem::path pki_cache;   // empty: PkiCache::default_dir()
  std::string host = "127.0.0.1";
  int port = 35963;
  FaultOptions faults;
  // The card's "today" (a fixture's "today" dates): the simulated world's pinned day when it has
  // one, else today in Japan.
  std::optional<Date> today;
  bool tcp_nodelay = true;   // our answers go out at once (one send() per answer anyway)
  bool tcp_quickack = true;  // ACK the reader's length bytes at once (see docs/virtual-cards.md)
  bool trace = false;        // one line per APDU on stderr, with timings
  const std::atomic<bool>* stop = nullptr;
  // Called with the card once it is built (tests use it to inspect the APDU log); runs on the
  // runner's thread.
  std::function<void(CardEngine&)> on_card;
};

// Builds the card from the fixture (and state file) and serves vpcd until *stop becomes true.
// Returns 0 on a clean stop, 2 on a setup error (message on stderr).
int run_virtual_card(const SimOptions& options);

// Builds the card without attaching it (for tests and tools). Applies the state file.
std::unique_ptr<CardEngine> build_virtual_card(const SimOptions& options);

}  // namespace mk::devices::sim
