#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "base/job_queue.hpp"
#include "devices/apdu/channel.hpp"
#include "devices/pcsc/pcsc.hpp"

namespace mk::devices {

// What the reader thread reports. The kiosk turns these into flow events.
struct ReaderEvent {
  enum class Kind {
    service_up,    // pcscd reachable (at start, and again after it was lost)
    service_lost,  // pcscd went away; the manager keeps trying to reconnect
    reader_added,
    reader_removed,
    card_inserted,  // atr holds the card's ATR
    card_removed,
  };
  Kind kind;
  std::string reader;
  Bytes atr;
};
const char* to_string(ReaderEvent::Kind kind);

// Owns every PC/SC call of the kiosk on one thread: watches readers and cards with
// SCardGetStatusChange (including \\?PnP?\Notification for readers coming and going), survives
// pcscd restarting (SCARD_E_NO_SERVICE → reconnect with backoff), and runs card operations one at
// a time, each inside one transaction. A person typing a PIN never holds the card: the operation
// is queued only once the PIN is in hand. The card a flow works with stays connected between its
// operations (keep_connected), so that pcscd does not power it off while the flow waits for the
// centre: an issuer channel opened in one operation is used in the next.
class ReaderManager {
 public:
  using EventSink = std::function<void(const ReaderEvent&)>;
  // An operation gets the channel to the card (in a transaction) and the card's ATR.
  using Operation = std::function<void(ApduChannel& channel, const Bytes& atr)>;

  struct Options {
    std::chrono::milliseconds reconnect_delay{200};      // first retry; doubles up to 2 s
    std::chrono::milliseconds operation_timeout{20000};  // the caller stops waiting after this
    ApduChannel::Tracer tracer;
  };

  ReaderManager(EventSink sink, Options options);
  explicit ReaderManager(EventSink sink) : ReaderManager(std::move(sink), Options{}) {}
  ~ReaderManager();
  ReaderManager(const ReaderManager&) = delete;
  ReaderManager& operator=(const ReaderManager&) = delete;

  enum class Afterwards {
    disconnect,      // the card is left as it is; pcscd powers it off soon
    keep_connected,  // until let_go(), the card leaves the reader, or pcscd goes away
  };

  // Runs `operation` on the reader thread against the card in `reader` and waits for it at most
  // operation_timeout. Throws the operation's CardError (card_removed when the card left, never a
  // PIN error in its place; also when a card kept connected was taken off or reset since), or
  // CardError(timeout) when it did not finish in time. An operation on a card kept connected
  // uses that connection, whatever `afterwards` says.
  void run_and_wait(const std::string& reader, const Operation& operation,
                    Afterwards afterwards = Afterwards::disconnect);

  // Ends every connection kept, leaving the cards as they are: pcscd powers them off within a
  // few hundred ms, which ends what was verified or opened on them. (Not a reset: a reset that
  // met the card being taken off left vpcd's reader blind to the next card for over 10 s.)
  // Returns at once; the operations run after it connect afresh.
  void let_go();

  // The readers as last seen by the thread.
  std::vector<ReaderState> readers() const;
  bool service_up() const { return service_up_.load(); }

 private:
  struct Job {
    std::string reader;
    Operation operation;  // none: let_go()
    Afterwards afterwards = Afterwards::disconnect;
    std::promise<void> done;
  };

  // Queues `job` and wakes the thread (once: run_and_wait wakes it again while it waits).
  std::future<void> run(Job job);
  void run_job(PcscContext& context, Job& job);
  void thread_main(const std::stop_token& stop);
  // Returns false when the service was lost.
  bool watch(PcscContext& context, const std::stop_token& stop);
  void run_jobs(PcscContext& context);
  void emit(const ReaderEvent& event);
  // SCardCancel: the thread's wait ends (lost when it comes before the wait begins).
  void wake();

  void fail_queued(CardErrorKind kind, const char* why);

  EventSink sink_;
  Options options_;
  base::JobQueue<Job> jobs_;  // served by the thread between its waits for reader events
  mutable std::mutex mutex_;  // guards readers_
  std::vector<ReaderState> readers_;
  std::map<std::string, std::unique_ptr<PcscCard>> kept_;  // reader thread only
  std::atomic<bool> service_up_{false};
  std::atomic<long> context_{0};      // for SCardCancel from other threads
  std::promise<void> ended_;          // kept when thread_main has returned
  std::atomic<bool> waiting_{false};  // the thread is in (or about to enter) its wait
  std::jthread thread_;
};

}  // namespace mk::devices
