#include "offline-cache/appointments.hpp"

#include "offline-cache/crypto.hpp"
#include "offline-cache/sensitive_guard.hpp"

namespace mk::offline_cache {
namespace {

// Binds the personal fields to the appointment's number, kind and slot: a ciphertext copied to
// another row does not decrypt.
std::vector<uint8_t> appointment_aad(std::string_view number, std::string_view kind,
                                     int64_t slot_start, int64_t slot_end) {
  crypto::Encoder encoder;
  encoder.add("mk-appointment-v1").add(number).add(kind).add(slot_start).add(slot_end);
  const auto bytes = encoder.bytes();
  return {bytes.begin(), bytes.end()};
}

}  // namespace

Appointments::Appointments(Connection& connection, const KeyFile& key, Clock clock)
    : connection_(connection), key_(key), clock_(std::move(clock)) {}

void Appointments::upsert_locked(const Appointment& appointment) {
  if (appointment.number.empty() || appointment.kind.empty()) {
    throw StoreError(StoreErrorKind::invalid_argument, "an appointment needs a number and a kind");
  }
  if (appointment.slot_end < appointment.slot_start) {
    throw StoreError(StoreErrorKind::invalid_argument,
                     "appointment " + appointment.number + " ends before it starts");
  }
  for (const auto* text : {&appointment.number, &appointment.kind, &appointment.holder_reference}) {
    if (const auto where = find_my_number(*text)) {
      throw StoreError(StoreErrorKind::sensitive_data,
                       "an appointment field holds " + *where + "; refused");
    }
  }
  const int64_t start = to_millis(appointment.slot_start);
  const int64_t end = to_millis(appointment.slot_end);
  const auto aad = appointment_aad(appointment.number, appointment.kind, start, end);
  const base::SecretBytes personal(appointment.holder_reference);
  const auto sealed = crypto::seal(key_.bytes(), aad, personal.bytes());
  auto upsert = connection_.db.prepare(
      "INSERT INTO appointments (number, kind, slot_start, slot_end, checked_in_at, updated_at, "
      "nonce, personal) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
      "ON CONFLICT (number) DO UPDATE SET kind = excluded.kind, slot_start = excluded.slot_start, "
      "slot_end = excluded.slot_end, "
      "checked_in_at = coalesce(appointments.checked_in_at, excluded.checked_in_at), "
      "updated_at = excluded.updated_at, nonce = excluded.nonce, personal = excluded.personal");
  upsert.bind(1, appointment.number).bind(2, appointment.kind).bind(3, start).bind(4, end);
  if (appointment.checked_in_at) {
    upsert.bind(5, to_millis(*appointment.checked_in_at));
  } else {
    upsert.bind_null(5);
  }
  upsert.bind(6, to_millis(clock_()))
      .bind(7, std::span<const uint8_t>(sealed.nonce))
      .bind(8, std::span<const uint8_t>(sealed.ciphertext));
  upsert.run();
}

void Appointments::upsert(const Appointment& appointment) {
  upsert_all(std::span<const Appointment>(&appointment, 1));
}

void Appointments::upsert_all(std::span<const Appointment> appointments) {
  std::lock_guard lock(connection_.mutex);
  base::sqlite::Transaction transaction(connection_.db);
  for (const auto& appointment : appointments) {
    upsert_locked(appointment);
  }
  transaction.commit();
}

std::optional<Appointment> Appointments::find(std::string_view number) {
  std::lock_guard lock(connection_.mutex);
  auto select = connection_.db.prepare(
      "SELECT number, kind, slot_start, slot_end, checked_in_at, nonce, personal "
      "FROM appointments WHERE number = ?");
  select.bind(1, number);
  if (!select.step()) {
    return std::nullopt;
  }
  Appointment appointment;
  appointment.number = select.column_text(0);
  appointment.kind = select.column_text(1);
  const int64_t start = select.column_int(2);
  const int64_t end = select.column_int(3);
  appointment.slot_start = from_millis(start);
  appointment.slot_end = from_millis(end);
  if (const auto checked_in = select.column_optional_int(4)) {
    appointment.checked_in_at = from_millis(*checked_in);
  }
  const auto personal = crypto::open(
      key_.bytes(), select.column_blob(5),
      appointment_aad(appointment.number, appointment.kind, start, end), select.column_blob(6));
  appointment.holder_reference = std::string(personal.reveal());
  return appointment;
}

bool Appointments::mark_checked_in(std::string_view number, TimePoint at) {
  std::lock_guard lock(connection_.mutex);
  auto update = connection_.db.prepare(
      "UPDATE appointments SET checked_in_at = ? WHERE number = ? AND checked_in_at IS NULL");
  update.bind(1, to_millis(at)).bind(2, number).run();
  return connection_.db.changes() == 1;
}

int64_t Appointments::remove_ended_before(TimePoint horizon) {
  std::lock_guard lock(connection_.mutex);
  auto remove = connection_.db.prepare("DELETE FROM appointments WHERE slot_end < ?");
  remove.bind(1, to_millis(horizon)).run();
  return connection_.db.changes();
}

int64_t Appointments::count() {
  std::lock_guard lock(connection_.mutex);
  return connection_.db.query_int("SELECT count(*) FROM appointments");
}

}  // namespace mk::offline_cache
