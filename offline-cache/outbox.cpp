#include "offline-cache/outbox.hpp"

#include <algorithm>
#include <cmath>

#include "offline-cache/crypto.hpp"
#include "offline-cache/sensitive_guard.hpp"

namespace mk::offline_cache {
namespace {

constexpr size_t kMaxErrorLength = 500;

// Error text from the centre client is kept for staff; keep it short and never let a My Number
// through even if a server echoed one.
std::string clean_error(std::string error) {
  if (error.size() > kMaxErrorLength) {
    error.resize(kMaxErrorLength);
  }
  if (find_my_number(error)) {
    return "[error text withheld: it contained a number shaped like a My Number]";
  }
  return error;
}

OutboxState state_from(std::string_view text) {
  return text == "acknowledged" ? OutboxState::acknowledged : OutboxState::pending;
}

}  // namespace

Milliseconds backoff_delay(const BackoffPolicy& policy, int attempts, double unit_random) {
  const int exponent = std::clamp(attempts - 1, 0, 40);
  const double full =
      std::min(static_cast<double>(policy.cap.count()),
               static_cast<double>(policy.base.count()) * std::ldexp(1.0, exponent));
  const double jitter = std::clamp(unit_random, 0.0, 1.0);
  return Milliseconds(static_cast<int64_t>(full / 2 + jitter * full / 2));
}

std::vector<uint8_t> outbox_aad(int64_t id, std::string_view kind,
                                std::string_view idempotency_key) {
  crypto::Encoder encoder;
  encoder.add("mk-outbox-v1").add(id).add(kind).add(idempotency_key);
  const auto bytes = encoder.bytes();
  return {bytes.begin(), bytes.end()};
}

struct Outbox::Row {
  int64_t id = 0;
  std::string kind;
  std::string key;
  std::string metadata;
  int64_t created_at = 0;
  int attempts = 0;
  std::vector<uint8_t> nonce;
  std::vector<uint8_t> ciphertext;
};

Outbox::Outbox(Connection& connection, const KeyFile& key, Clock clock, UnitRandom random,
               Options options)
    : connection_(connection),
      key_(key),
      clock_(std::move(clock)),
      random_(std::move(random)),
      options_(options) {}

EnqueueResult Outbox::enqueue(std::string_view kind, std::string_view idempotency_key,
                              std::span<const uint8_t> personal_payload,
                              std::string_view metadata) {
  if (kind.empty() || idempotency_key.empty()) {
    throw StoreError(StoreErrorKind::invalid_argument,
                     "an outbox row needs a kind and an idempotency key");
  }
  if (const auto where = find_my_number(metadata)) {
    throw StoreError(StoreErrorKind::sensitive_data,
                     "outbox metadata (kept in clear) holds " + *where + "; refused");
  }
  EnqueueResult result;
  {
    std::lock_guard lock(connection_.mutex);
    auto& db = connection_.db;
    base::sqlite::Transaction transaction(db);
    auto existing = db.prepare("SELECT id, state FROM outbox WHERE idempotency_key = ?");
    existing.bind(1, idempotency_key);
    if (existing.step()) {
      return {existing.column_int(0), false, state_from(existing.column_text(1))};
    }
    auto dead = db.prepare("SELECT id FROM dead_letter WHERE idempotency_key = ?");
    dead.bind(1, idempotency_key);
    if (dead.step()) {
      return {dead.column_int(0), false, OutboxState::dead};
    }
    const int64_t now = to_millis(clock_());
    // Insert first to learn the id the AAD binds, then store the ciphertext; one transaction.
    // The placeholder satisfies the "pending rows have a payload" CHECK.
    auto insert = db.prepare(
        "INSERT INTO outbox (kind, idempotency_key, metadata, created_at, next_attempt_at, "
        "nonce, ciphertext) VALUES (?, ?, ?, ?, ?, x'', x'')");
    insert.bind(1, kind).bind(2, idempotency_key).bind(3, metadata).bind(4, now).bind(5, now);
    insert.run();
    result.id = db.last_insert_rowid();
    const auto aad = outbox_aad(result.id, kind, idempotency_key);
    const auto sealed = crypto::seal(key_.bytes(), aad, personal_payload);
    auto update = db.prepare("UPDATE outbox SET nonce = ?, ciphertext = ? WHERE id = ?");
    update.bind(1, std::span<const uint8_t>(sealed.nonce))
        .bind(2, std::span<const uint8_t>(sealed.ciphertext))
        .bind(3, result.id);
    update.run();
    connection_.point("outbox.enqueue.before_commit");
    transaction.commit();
    connection_.point("outbox.enqueue.after_commit");
    result.created = true;
  }
  // Called under the lock so that a sender that cleared its listener (stop) is never called.
  std::lock_guard lock(listener_mutex_);
  if (listener_) {
    listener_();
  }
  return result;
}

void Outbox::move_to_dead_letter(const Row& row, TimePoint now, const std::string& reason) {
  std::lock_guard lock(connection_.mutex);
  auto& db = connection_.db;
  base::sqlite::Transaction transaction(db);
  auto insert = db.prepare(
      "INSERT OR REPLACE INTO dead_letter (id, kind, idempotency_key, metadata, created_at, "
      "attempts, reason, dead_at, nonce, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, row.id)
      .bind(2, row.kind)
      .bind(3, row.key)
      .bind(4, row.metadata)
      .bind(5, row.created_at)
      .bind(6, row.attempts)
      .bind(7, reason)
      .bind(8, to_millis(now))
      .bind(9, std::span<const uint8_t>(row.nonce))
      .bind(10, std::span<const uint8_t>(row.ciphertext));
  insert.run();
  auto remove = db.prepare("DELETE FROM outbox WHERE id = ?");
  remove.bind(1, row.id).run();
  connection_.point("outbox.dead.before_commit");
  transaction.commit();
  connection_.point("outbox.dead.after_commit");
}

DeliveryReport Outbox::deliver_due(TimePoint now, const Deliver& deliver, size_t limit) {
  std::lock_guard delivering(deliver_mutex_);
  DeliveryReport report;
  std::vector<Row> rows;
  {
    std::lock_guard lock(connection_.mutex);
    auto select = connection_.db.prepare(
        "SELECT id, kind, idempotency_key, metadata, created_at, attempts, nonce, ciphertext "
        "FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
        "ORDER BY next_attempt_at, id LIMIT ?");
    select.bind(1, to_millis(now)).bind(2, static_cast<int64_t>(limit));
    while (select.step()) {
      Row row;
      row.id = select.column_int(0);
      row.kind = select.column_text(1);
      row.key = select.column_text(2);
      row.metadata = select.column_text(3);
      row.created_at = select.column_int(4);
      row.attempts = static_cast<int>(select.column_int(5));
      row.nonce = select.column_blob(6);
      row.ciphertext = select.column_blob(7);
      rows.push_back(std::move(row));
    }
  }
  for (const auto& row : rows) {
    OutboxItem item;
    item.id = row.id;
    item.kind = row.kind;
    item.idempotency_key = row.key;
    item.metadata = row.metadata;
    item.created_at = from_millis(row.created_at);
    item.attempts = row.attempts;
    try {
      item.payload = crypto::open(key_.bytes(), row.nonce, outbox_aad(row.id, row.kind, row.key),
                                  row.ciphertext);
    } catch (const StoreError& error) {
      // Never sent, never dropped: kept (still encrypted) for staff.
      const std::string reason = std::string("payload did not decrypt: ") + error.what();
      move_to_dead_letter(row, now, reason);
      ++report.undecryptable;
      report.problems.push_back({problem_code::kUndecryptable, true,
                                 "outbox row " + std::to_string(row.id) + " (" + row.kind +
                                     "): " + reason + "; moved to dead letters"});
      continue;
    }
    DeliveryResult result;
    try {
      result = deliver(item);
    } catch (const std::exception& error) {
      result = DeliveryResult::retry_later(std::string("delivery threw: ") + error.what());
    } catch (...) {
      result = DeliveryResult::retry_later("delivery threw a non-standard exception");
    }
    item.payload.clear();
    switch (result.outcome) {
      case DeliveryResult::Outcome::acknowledged: {
        // The payload goes in the same transaction that records the acknowledgement; the
        // tombstone keeps the key so a late retry of the same "done" stays a no-op.
        std::lock_guard lock(connection_.mutex);
        auto& db = connection_.db;
        base::sqlite::Transaction transaction(db);
        auto update = db.prepare(
            "UPDATE outbox SET state = 'acknowledged', acknowledged_at = ?, nonce = NULL, "
            "ciphertext = NULL, last_error = NULL WHERE id = ? AND state = 'pending'");
        update.bind(1, to_millis(now)).bind(2, row.id).run();
        connection_.point("outbox.ack.before_commit");
        transaction.commit();
        connection_.point("outbox.ack.after_commit");
        ++report.acknowledged;
        break;
      }
      case DeliveryResult::Outcome::retry_later: {
        const int attempts = row.attempts + 1;
        const auto delay = backoff_delay(options_.backoff, attempts, random_());
        const std::string error = clean_error(result.error);
        std::lock_guard lock(connection_.mutex);
        auto update = connection_.db.prepare(
            "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? "
            "WHERE id = ? AND state = 'pending'");
        update.bind(1, attempts).bind(2, to_millis(now + delay)).bind(3, error).bind(4, row.id);
        update.run();
        ++report.retried;
        report.problems.push_back({problem_code::kOutboxRetry, false,
                                   "outbox row " + std::to_string(row.id) + " (" + row.kind +
                                       "): attempt " + std::to_string(attempts) +
                                       " failed: " + error});
        break;
      }
      case DeliveryResult::Outcome::rejected_permanently: {
        Row rejected = row;
        rejected.attempts = row.attempts + 1;
        const std::string reason = "rejected by the centre: " + clean_error(result.error);
        move_to_dead_letter(rejected, now, reason);
        ++report.rejected;
        report.problems.push_back({problem_code::kDeadLetter, true,
                                   "outbox row " + std::to_string(row.id) + " (" + row.kind +
                                       "): " + reason + "; moved to dead letters"});
        break;
      }
    }
  }
  if (report.acknowledged > 0) {
    std::lock_guard lock(connection_.mutex);
    auto prune = connection_.db.prepare(
        "DELETE FROM outbox WHERE state = 'acknowledged' AND acknowledged_at < ?");
    prune.bind(1, to_millis(now - options_.tombstone_retention)).run();
  }
  return report;
}

int64_t Outbox::pending_count() {
  std::lock_guard lock(connection_.mutex);
  return connection_.db.query_int("SELECT count(*) FROM outbox WHERE state = 'pending'");
}

int64_t Outbox::dead_letter_count() {
  std::lock_guard lock(connection_.mutex);
  return connection_.db.query_int("SELECT count(*) FROM dead_letter");
}

std::optional<Milliseconds> Outbox::oldest_pending_age(TimePoint now) {
  std::lock_guard lock(connection_.mutex);
  auto select =
      connection_.db.prepare("SELECT min(created_at) FROM outbox WHERE state = 'pending'");
  if (!select.step() || select.is_null(0)) {
    return std::nullopt;
  }
  return Milliseconds(std::max<int64_t>(0, to_millis(now) - select.column_int(0)));
}

std::optional<TimePoint> Outbox::next_due_at() {
  std::lock_guard lock(connection_.mutex);
  auto select =
      connection_.db.prepare("SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'");
  if (!select.step() || select.is_null(0)) {
    return std::nullopt;
  }
  return from_millis(select.column_int(0));
}

std::vector<DeadLetter> Outbox::dead_letters() {
  std::lock_guard lock(connection_.mutex);
  auto select = connection_.db.prepare(
      "SELECT id, kind, idempotency_key, metadata, created_at, attempts, reason, dead_at "
      "FROM dead_letter ORDER BY id");
  std::vector<DeadLetter> letters;
  while (select.step()) {
    DeadLetter letter;
    letter.id = select.column_int(0);
    letter.kind = select.column_text(1);
    letter.idempotency_key = select.column_text(2);
    letter.metadata = select.column_text(3);
    letter.created_at = from_millis(select.column_int(4));
    letter.attempts = static_cast<int>(select.column_int(5));
    letter.reason = select.column_text(6);
    letter.dead_at = from_millis(select.column_int(7));
    letters.push_back(std::move(letter));
  }
  return letters;
}

bool Outbox::requeue_dead_letter(int64_t id, std::string_view new_idempotency_key) {
  if (new_idempotency_key.empty()) {
    throw StoreError(StoreErrorKind::invalid_argument, "a dead letter needs a new idempotency key");
  }
  {
    std::lock_guard lock(connection_.mutex);
    auto& db = connection_.db;
    base::sqlite::Transaction transaction(db);
    auto select = db.prepare(
        "SELECT kind, idempotency_key, metadata, created_at, reason, nonce, ciphertext "
        "FROM dead_letter WHERE id = ?");
    select.bind(1, id);
    if (!select.step()) {
      return false;
    }
    const std::string kind = select.column_text(0);
    const base::SecretBytes payload =
        crypto::open(key_.bytes(), select.column_blob(5),
                     outbox_aad(id, kind, select.column_text(1)), select.column_blob(6));
    const auto sealed =
        crypto::seal(key_.bytes(), outbox_aad(id, kind, new_idempotency_key), payload.bytes());
    auto insert = db.prepare(
        "INSERT INTO outbox (id, kind, idempotency_key, metadata, created_at, attempts, "
        "next_attempt_at, last_error, state, nonce, ciphertext) "
        "VALUES (?, ?, ?, ?, ?, 0, ?, ?, 'pending', ?, ?)");
    insert.bind(1, id)
        .bind(2, kind)
        .bind(3, new_idempotency_key)
        .bind(4, select.column_text(2))
        .bind(5, select.column_int(3))
        .bind(6, to_millis(clock_()))
        .bind(7, "sent again by staff after: " + select.column_text(4))
        .bind(8, std::span<const uint8_t>(sealed.nonce))
        .bind(9, std::span<const uint8_t>(sealed.ciphertext));
    insert.run();
    auto remove = db.prepare("DELETE FROM dead_letter WHERE id = ?");
    remove.bind(1, id).run();
    transaction.commit();
  }
  std::lock_guard lock(listener_mutex_);
  if (listener_) {
    listener_();
  }
  return true;
}

std::optional<OutboxState> Outbox::state_of(std::string_view idempotency_key) {
  std::lock_guard lock(connection_.mutex);
  auto select = connection_.db.prepare("SELECT state FROM outbox WHERE idempotency_key = ?");
  select.bind(1, idempotency_key);
  if (select.step()) {
    return state_from(select.column_text(0));
  }
  auto dead = connection_.db.prepare("SELECT 1 FROM dead_letter WHERE idempotency_key = ?");
  dead.bind(1, idempotency_key);
  if (dead.step()) {
    return OutboxState::dead;
  }
  return std::nullopt;
}

void Outbox::set_enqueue_listener(std::function<void()> listener) {
  std::lock_guard lock(listener_mutex_);
  listener_ = std::move(listener);
}

}  // namespace mk::offline_cache
