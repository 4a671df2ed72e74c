#pragma once

// The outbox: submissions committed before the user is told "done", then delivered by a
// background sender until the centre acknowledges them. At-least-once sending plus the
// idempotency key (the centre stores a key once) gives an exactly-once effect; see the state
// machine in docs/offline-cache.md.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/secret_bytes.hpp"
#include "offline-cache/connection.hpp"
#include "offline-cache/key_file.hpp"
#include "offline-cache/problem.hpp"
#include "offline-cache/time.hpp"

namespace mk::offline_cache {

// Retry delays: exponential from `base`, doubled per failed attempt, capped at `cap`, with
// "equal jitter" (half the delay fixed, half random) so kiosks that lost the centre together
// do not all come back in the same second.
struct BackoffPolicy {
  Milliseconds base{5'000};
  Milliseconds cap{15 * 60'000};
};

// The delay after the `attempts`-th failed attempt (1 = first failure); `unit_random` in [0, 1).
Milliseconds backoff_delay(const BackoffPolicy& policy, int attempts, double unit_random);

enum class OutboxState { pending, acknowledged, dead };

struct EnqueueResult {
  int64_t id = 0;
  bool created = false;  // false: the idempotency key was already there (a retried "done")
  OutboxState state = OutboxState::pending;
};

// A row handed to the delivery function, with its payload decrypted.
struct OutboxItem {
  int64_t id = 0;
  std::string kind;
  std::string idempotency_key;
  std::string metadata;
  TimePoint created_at;
  int attempts = 0;           // failed attempts before this one
  base::SecretBytes payload;  // wiped when the item dies
};

struct DeliveryResult {
  enum class Outcome { acknowledged, retry_later, rejected_permanently };
  Outcome outcome = Outcome::retry_later;
  std::string error;  // English, for staff; must not hold personal data

  static DeliveryResult acknowledged() { return {Outcome::acknowledged, {}}; }
  static DeliveryResult retry_later(std::string error) {
    return {Outcome::retry_later, std::move(error)};
  }
  static DeliveryResult rejected_permanently(std::string error) {
    return {Outcome::rejected_permanently, std::move(error)};
  }
};

struct DeliveryReport {
  int acknowledged = 0;
  int retried = 0;
  int rejected = 0;                    // moved to dead letters by the centre's answer
  int undecryptable = 0;               // moved to dead letters because the payload did not decrypt
  std::vector<StoreProblem> problems;  // one per retry or dead letter
  int handled() const { return acknowledged + retried + rejected + undecryptable; }
};

struct DeadLetter {
  int64_t id = 0;
  std::string kind;
  std::string idempotency_key;
  std::string metadata;
  TimePoint created_at;
  int attempts = 0;
  std::string reason;
  TimePoint dead_at;
};

class Outbox {
 public:
  using Deliver = std::function<DeliveryResult(const OutboxItem&)>;

  struct Options {
    BackoffPolicy backoff;
    // How long an acknowledged row's tombstone (no payload) keeps its idempotency key.
    Milliseconds tombstone_retention{std::chrono::hours(7 * 24)};
  };

  Outbox(Connection& connection, const KeyFile& key, Clock clock, UnitRandom random,
         Options options);

  // Commits the row (durable when this returns: WAL with synchronous=FULL). The same key again
  // is a no-op returning the existing row. `metadata` is stored in clear and must not hold
  // personal data (a My Number in it is refused); the payload is encrypted with AES-256-GCM.
  EnqueueResult enqueue(std::string_view kind, std::string_view idempotency_key,
                        std::span<const uint8_t> personal_payload, std::string_view metadata = {});
  EnqueueResult enqueue(std::string_view kind, std::string_view idempotency_key,
                        const base::SecretBytes& personal_payload, std::string_view metadata = {}) {
    return enqueue(kind, idempotency_key, personal_payload.bytes(), metadata);
  }

  // Hands up to `limit` due rows, oldest first, to `deliver`, one at a time, and records each
  // answer in its own transaction. `deliver` runs without the store's lock held. One call at a
  // time (a second caller waits). A throwing `deliver` counts as retry_later.
  DeliveryReport deliver_due(TimePoint now, const Deliver& deliver, size_t limit = 16);

  int64_t pending_count();
  int64_t dead_letter_count();
  // Age of the oldest pending row at `now`; nullopt when none is pending.
  std::optional<Milliseconds> oldest_pending_age(TimePoint now);
  // When the next pending row becomes due; nullopt when none is pending.
  std::optional<TimePoint> next_due_at();
  std::vector<DeadLetter> dead_letters();
  // Staff send a dead letter again (issue 12: the centre refused it, and the cause was mended —
  // a record corrected at the counter, a certificate's hold lifted): it is pending again under
  // its own id, due now, its attempts counted from zero, and the sender is woken. Under
  // `new_idempotency_key`: the centre remembers its answer to the old key (the refusal) and did
  // nothing for it, so only a new key is asked anew; the payload is sealed again for it. False
  // when there is no such dead letter; StoreError(decrypt_failed) when its payload does not open
  // (it cannot be sent at all). One transaction.
  bool requeue_dead_letter(int64_t id, std::string_view new_idempotency_key);
  std::optional<OutboxState> state_of(std::string_view idempotency_key);

  // Called (from the enqueueing thread) after each new row: the background sender's wake-up.
  void set_enqueue_listener(std::function<void()> listener);

 private:
  struct Row;
  void move_to_dead_letter(const Row& row, TimePoint now, const std::string& reason);

  Connection& connection_;
  const KeyFile& key_;
  Clock clock_;
  UnitRandom random_;
  Options options_;
  std::mutex deliver_mutex_;
  std::mutex listener_mutex_;
  std::function<void()> listener_;
};

// The AAD of an outbox payload: binds the ciphertext to its row (id, kind, key).
std::vector<uint8_t> outbox_aad(int64_t id, std::string_view kind,
                                std::string_view idempotency_key);

}  // namespace mk::offline_cache
