#include "offline-cache/audit_log.hpp"

#include <algorithm>
#include <cstring>

#include "offline-cache/sensitive_guard.hpp"

namespace mk::offline_cache {
namespace {

crypto::Sha256 to_hash(const std::vector<uint8_t>& bytes) {
  crypto::Sha256 hash{};
  if (bytes.size() == hash.size()) {
    std::copy(bytes.begin(), bytes.end(), hash.begin());
  }
  return hash;  // a wrong-sized stored hash reads as zeros and fails the comparison
}

void check_entry(const AuditEntry& entry) {
  if (entry.actor.empty() || entry.action.empty()) {
    throw StoreError(StoreErrorKind::invalid_argument, "an audit row needs an actor and an action");
  }
  const std::string_view fields[] = {entry.actor, entry.action, entry.result, entry.terminal,
                                     entry.detail};
  const char* names[] = {"actor", "action", "result", "terminal", "detail"};
  for (size_t i = 0; i < std::size(fields); ++i) {
    if (const auto where = find_my_number(fields[i])) {
      throw StoreError(StoreErrorKind::sensitive_data,
                       std::string("audit ") + names[i] + " holds " + *where +
                           "; the audit log takes no personal data");
    }
    for (const auto secret : entry.must_not_contain) {
      if (!secret.empty() && fields[i].find(secret) != std::string_view::npos) {
        throw StoreError(StoreErrorKind::sensitive_data,
                         std::string("audit ") + names[i] +
                             " holds a value the caller marked sensitive; refused");
      }
    }
  }
}

}  // namespace

AuditLog::AuditLog(Connection& connection, Clock clock)
    : connection_(connection), clock_(std::move(clock)) {}

crypto::Sha256 AuditLog::genesis_hash() {
  static constexpr std::string_view kGenesis = "MynaKiosk audit log genesis v1";
  return crypto::sha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(kGenesis.data()), kGenesis.size()));
}

crypto::Sha256 AuditLog::row_hash(const crypto::Sha256& prev_hash, int64_t seq, int64_t at,
                                  std::string_view actor, std::string_view action,
                                  std::string_view result, std::string_view terminal,
                                  std::string_view detail) {
  crypto::Encoder encoder;
  encoder.add(std::span<const uint8_t>(prev_hash))
      .add("mk-audit-v1")
      .add(seq)
      .add(at)
      .add(actor)
      .add(action)
      .add(result)
      .add(terminal)
      .add(detail);
  return crypto::sha256(encoder.bytes());
}

AuditLog::Mark AuditLog::read_mark(std::string_view name) {
  auto select = connection_.db.prepare("SELECT seq, hash FROM audit_meta WHERE name = ?");
  select.bind(1, name);
  if (!select.step()) {
    throw StoreError(StoreErrorKind::corrupt,
                     "audit.db has no '" + std::string(name) + "' mark in audit_meta");
  }
  return {select.column_int(0), to_hash(select.column_blob(1))};
}

void AuditLog::write_mark(std::string_view name, const Mark& mark) {
  auto update = connection_.db.prepare("UPDATE audit_meta SET seq = ?, hash = ? WHERE name = ?");
  update.bind(1, mark.seq).bind(2, std::span<const uint8_t>(mark.hash)).bind(3, name).run();
}

int64_t AuditLog::append_locked(const AuditEntry& entry, Mark& head) {
  const int64_t seq = head.seq + 1;
  const int64_t at = to_millis(entry.at.value_or(clock_()));
  const auto hash = row_hash(head.hash, seq, at, entry.actor, entry.action, entry.result,
                             entry.terminal, entry.detail);
  auto insert = connection_.db.prepare(
      "INSERT INTO audit_log (seq, at, actor, action, result, terminal, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, seq)
      .bind(2, at)
      .bind(3, entry.actor)
      .bind(4, entry.action)
      .bind(5, entry.result)
      .bind(6, entry.terminal)
      .bind(7, entry.detail)
      .bind(8, std::span<const uint8_t>(head.hash))
      .bind(9, std::span<const uint8_t>(hash));
  insert.run();
  head = {seq, hash};
  return seq;
}

int64_t AuditLog::append(const AuditEntry& entry) {
  return append_batch(std::span<const AuditEntry>(&entry, 1));
}

int64_t AuditLog::append_batch(std::span<const AuditEntry> entries) {
  for (const auto& entry : entries) {
    check_entry(entry);
  }
  std::lock_guard lock(connection_.mutex);
  base::sqlite::Transaction transaction(connection_.db);
  Mark head = read_mark("head");
  for (const auto& entry : entries) {
    append_locked(entry, head);
  }
  write_mark("head", head);
  connection_.point("audit.append.before_commit");
  transaction.commit();
  connection_.point("audit.append.after_commit");
  return head.seq;
}

AuditVerifyResult AuditLog::walk(const Mark& start, std::optional<int64_t> stop_after) {
  AuditVerifyResult result;
  result.verified_through = start.seq;
  const Mark head = read_mark("head");
  auto select = connection_.db.prepare(
      "SELECT seq, at, actor, action, result, terminal, detail, prev_hash, hash FROM audit_log "
      "WHERE seq > ? AND seq <= ? ORDER BY seq");
  select.bind(1, start.seq).bind(2, stop_after.value_or(INT64_MAX));
  int64_t expected_seq = start.seq + 1;
  crypto::Sha256 expected_prev = start.hash;
  const auto fail = [&](int64_t seq, std::string problem) {
    result.ok = false;
    result.first_bad_seq = seq;
    result.problem = std::move(problem);
    return result;
  };
  while (select.step()) {
    const int64_t seq = select.column_int(0);
    if (seq > head.seq) {
      return fail(seq, "row " + std::to_string(seq) + " is past the recorded head " +
                           std::to_string(head.seq) + " (a row was added outside the log)");
    }
    if (seq != expected_seq) {
      return fail(expected_seq, "row " + std::to_string(expected_seq) + " is missing");
    }
    if (to_hash(select.column_blob(7)) != expected_prev) {
      return fail(seq, "row " + std::to_string(seq) +
                           " does not follow the row before it (removed or reordered rows)");
    }
    const auto hash = row_hash(expected_prev, seq, select.column_int(1), select.column_text(2),
                               select.column_text(3), select.column_text(4), select.column_text(5),
                               select.column_text(6));
    if (hash != to_hash(select.column_blob(8))) {
      return fail(seq, "row " + std::to_string(seq) + " was changed (its hash does not match)");
    }
    expected_prev = hash;
    ++expected_seq;
    ++result.rows_checked;
    result.verified_through = seq;
  }
  const int64_t last = expected_seq - 1;
  const int64_t end = std::min(head.seq, stop_after.value_or(head.seq));
  if (last < end) {
    return fail(last + 1, "rows " + std::to_string(last + 1) + " to " + std::to_string(end) +
                              " are missing (the log was cut short)");
  }
  if (last == head.seq && expected_prev != head.hash) {
    return fail(last, "the last row does not match the recorded head");
  }
  return result;
}

AuditVerifyResult AuditLog::verify() {
  std::lock_guard lock(connection_.mutex);
  const Mark verified = read_mark("verified");
  const Mark anchor = read_mark("anchor");
  const Mark start = verified.seq >= anchor.seq ? verified : anchor;
  auto result = walk(start, std::nullopt);
  if (result.ok && result.verified_through > verified.seq) {
    auto select = connection_.db.prepare("SELECT hash FROM audit_log WHERE seq = ?");
    select.bind(1, result.verified_through);
    if (select.step()) {
      write_mark("verified", {result.verified_through, to_hash(select.column_blob(0))});
    }
  }
  return result;
}

AuditVerifyResult AuditLog::verify_all() {
  std::lock_guard lock(connection_.mutex);
  return walk(read_mark("anchor"), std::nullopt);
}

AuditVerifyResult AuditLog::verify_not_uploaded() {
  std::lock_guard lock(connection_.mutex);
  const Mark anchor = read_mark("anchor");
  Mark start = read_mark("uploaded");
  if (start.seq <= anchor.seq) {
    start = anchor;
  } else {
    // The uploaded row's own stored hash: it verified before it went.
    auto select = connection_.db.prepare("SELECT hash FROM audit_log WHERE seq = ?");
    select.bind(1, start.seq);
    if (select.step()) {
      start.hash = to_hash(select.column_blob(0));
    }
  }
  return walk(start, std::nullopt);
}

std::vector<AuditRow> AuditLog::batch_for_upload(int64_t after_seq, size_t limit) {
  std::lock_guard lock(connection_.mutex);
  auto select = connection_.db.prepare(
      "SELECT seq, at, actor, action, result, terminal, detail, prev_hash, hash FROM audit_log "
      "WHERE seq > ? ORDER BY seq LIMIT ?");
  select.bind(1, after_seq).bind(2, static_cast<int64_t>(limit));
  std::vector<AuditRow> rows;
  while (select.step()) {
    AuditRow row;
    row.seq = select.column_int(0);
    row.at = from_millis(select.column_int(1));
    row.actor = select.column_text(2);
    row.action = select.column_text(3);
    row.result = select.column_text(4);
    row.terminal = select.column_text(5);
    row.detail = select.column_text(6);
    row.prev_hash = to_hash(select.column_blob(7));
    row.hash = to_hash(select.column_blob(8));
    rows.push_back(std::move(row));
  }
  return rows;
}

void AuditLog::mark_uploaded(int64_t through_seq) {
  std::lock_guard lock(connection_.mutex);
  base::sqlite::Transaction transaction(connection_.db);
  const Mark head = read_mark("head");
  const Mark uploaded = read_mark("uploaded");
  if (through_seq > head.seq) {
    throw StoreError(StoreErrorKind::invalid_argument,
                     "cannot mark audit rows uploaded through " + std::to_string(through_seq) +
                         ": the log ends at " + std::to_string(head.seq));
  }
  if (through_seq > uploaded.seq) {
    auto select = connection_.db.prepare("SELECT hash FROM audit_log WHERE seq = ?");
    select.bind(1, through_seq);
    write_mark("uploaded",
               {through_seq, select.step() ? to_hash(select.column_blob(0)) : uploaded.hash});
  }
  transaction.commit();
}

AuditCheckpoint AuditLog::uploaded_checkpoint() {
  std::lock_guard lock(connection_.mutex);
  const Mark uploaded = read_mark("uploaded");
  return {uploaded.seq, uploaded.hash};
}

int64_t AuditLog::start_new_chain(const std::optional<AuditCheckpoint>& from,
                                  const AuditEntry& restart) {
  check_entry(restart);
  std::lock_guard lock(connection_.mutex);
  base::sqlite::Transaction transaction(connection_.db);
  if (read_mark("head").seq != 0 || connection_.db.query_int("SELECT count(*) FROM audit_log")) {
    throw StoreError(StoreErrorKind::invalid_argument,
                     "a new audit chain can only start in an empty log");
  }
  Mark start{0, genesis_hash()};
  if (from) {
    start = {from->seq, from->hash};
  }
  for (const char* name : {"anchor", "verified", "uploaded"}) {
    write_mark(name, start);
  }
  Mark head = start;
  append_locked(restart, head);
  write_mark("head", head);
  transaction.commit();
  return head.seq;
}

int64_t AuditLog::uploaded_through() {
  std::lock_guard lock(connection_.mutex);
  return read_mark("uploaded").seq;
}

int64_t AuditLog::prune_uploaded_before(TimePoint horizon) {
  std::lock_guard lock(connection_.mutex);
  base::sqlite::Transaction transaction(connection_.db);
  const Mark anchor = read_mark("anchor");
  const Mark uploaded = read_mark("uploaded");
  // The contiguous prefix of uploaded rows older than the horizon.
  auto select = connection_.db.prepare(
      "SELECT seq, at, hash FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq");
  select.bind(1, anchor.seq).bind(2, uploaded.seq);
  Mark last = anchor;
  while (select.step() && select.column_int(1) < to_millis(horizon)) {
    last = {select.column_int(0), to_hash(select.column_blob(2))};
  }
  if (last.seq == anchor.seq) {
    return 0;
  }
  // Evidence is not thrown away unchecked: the rows to go must verify first.
  const auto check = walk(anchor, last.seq);
  if (!check.ok) {
    return 0;
  }
  auto remove = connection_.db.prepare("DELETE FROM audit_log WHERE seq <= ?");
  remove.bind(1, last.seq).run();
  const int64_t removed = connection_.db.changes();
  write_mark("anchor", last);
  if (read_mark("verified").seq < last.seq) {
    write_mark("verified", last);
  }
  transaction.commit();
  return removed;
}

int64_t AuditLog::head_seq() {
  std::lock_guard lock(connection_.mutex);
  return read_mark("head").seq;
}

int64_t AuditLog::row_count() {
  std::lock_guard lock(connection_.mutex);
  return connection_.db.query_int("SELECT count(*) FROM audit_log");
}

std::string AuditLog::integrity_check() {
  std::lock_guard lock(connection_.mutex);
  auto select = connection_.db.prepare("PRAGMA integrity_check");
  std::string result;
  while (select.step()) {
    if (!result.empty()) {
      result += "\n";
    }
    result += select.column_text(0);
  }
  return result;
}

}  // namespace mk::offline_cache
