#pragma once

// The card operations of flows/card_ops.hpp, carried out with devices/ on a worker thread (so a
// slow card never blocks the screen). It tracks the card a flow is working with: when that card
// leaves the reader mid-flow, the flow hears Event::removed() — a pulled card is never reported as
// a wrong PIN.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "base/worker.hpp"
#include "devices/pcsc/reader_manager.hpp"
#include "flows/engine/effect.hpp"
#include "kiosk/runtime/flow_runtime.hpp"

namespace mk::kiosk {

class CardService {
 public:
  // `license_ca_pem`: the licence authority CA(s) a record's signature must chain to.
  CardService(devices::ReaderManager& readers, std::filesystem::path license_ca_pem);
  ~CardService();  // stop()

  // Stops the worker after the job in hand and drops what is queued: nothing is posted to a
  // flow runtime after this returns. Call it before the runtime goes away.
  void stop();
  CardService(const CardService&) = delete;
  CardService& operator=(const CardService&) = delete;

  // FlowServices::card
  void submit(flows::CardRequest request, Post post);
  // FlowServices::release_card: the flow is done with the card.
  void release();
  // A person's session begins: every card on a reader now was left there before it (by someone
  // else, or by this person in an earlier session) and is never used in this session; it counts
  // again only once it has been taken off and placed again.
  void begin_session();
  // How many readers hold a card now (any thread): the session is not over while one does.
  int cards_on_readers();
  // Wire to the ReaderManager's event sink (any thread).
  void on_reader_event(const devices::ReaderEvent& event);

 private:
  struct Job {
    flows::CardRequest request;
    Post post;
    uint64_t probe_seq = 0;  // a probe's place among the probes asked (0: not a probe)
  };
  // A probe the flow has asked again since: its answer must not reach the flow (the flow moved
  // on, and a second "card placed" would move it again, e.g. out of the record's verification).
  bool superseded(const Job& job) const;
  void run(Job& job);
  // "mynumber", "dl" or "unknown": what the card in `reader` is (by SELECT). Throws CardError.
  std::string identify(const std::string& reader);
  // Readers holding a card: the manager's events, and its list for what no event has told yet.
  // Under mutex_.
  std::set<std::string> readers_with_a_card_locked() const;

  devices::ReaderManager& readers_;
  std::filesystem::path license_ca_pem_;

  std::mutex mutex_;
  // Readers holding a card, from the manager's events (they come before its readers() list
  // changes, so a probe decides on this, under the same lock as it parks).
  std::set<std::string> cards_in_;
  uint64_t insertions_ =
      0;  // card_inserted events seen: a probe that looked before one looks again
  std::set<std::string> left_behind_;  // readers whose card was there before the session began
  std::optional<Job> waiting_probe_;   // a probe waiting for a card to be placed
  std::string active_reader_;          // the reader of the card the flow works with
  Post active_post_;                   // where a removal of that card is told
  // Held while a removal is told (outside mutex_, from the reader thread): stop() takes it, so
  // that a tell under way has finished when stop() returns, and none starts after.
  std::mutex telling_;
  bool stopped_ = false;  // under telling_
  std::atomic<uint64_t> latest_probe_{0};
  base::Worker<Job> worker_;  // last: its thread uses what comes before
};

}  // namespace mk::kiosk
