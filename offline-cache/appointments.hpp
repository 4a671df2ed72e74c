#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "offline-cache/connection.hpp"
#include "offline-cache/key_file.hpp"
#include "offline-cache/time.hpp"

namespace mk::offline_cache {

// An after-hours appointment (PIN unlock and the like) fetched from the centre, cached so a
// holder can check in while the centre is unreachable. Never holds a PIN or a My Number.
struct Appointment {
  std::string number;  // the appointment number the holder types or scans
  std::string kind;    // e.g. "pin-unlock"
  TimePoint slot_start;
  TimePoint slot_end;
  std::string holder_reference;  // personal: encrypted at rest
  std::optional<TimePoint> checked_in_at;
};

class Appointments {
 public:
  Appointments(Connection& connection, const KeyFile& key, Clock clock);

  // Inserts or replaces the centre's view of an appointment. A local check-in is kept: the
  // centre may not have heard of it yet. A My Number in holder_reference is refused.
  void upsert(const Appointment& appointment);
  void upsert_all(std::span<const Appointment> appointments);  // one transaction
  // Throws StoreError(decrypt_failed) when the personal fields do not decrypt.
  std::optional<Appointment> find(std::string_view number);
  // False when there is no such appointment or it is already checked in.
  bool mark_checked_in(std::string_view number, TimePoint at);
  // Removes appointments whose slot ended before `horizon`; returns how many.
  int64_t remove_ended_before(TimePoint horizon);
  int64_t count();

 private:
  void upsert_locked(const Appointment& appointment);

  Connection& connection_;
  const KeyFile& key_;
  Clock clock_;
};

}  // namespace mk::offline_cache
