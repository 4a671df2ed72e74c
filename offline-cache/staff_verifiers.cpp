#include "offline-cache/staff_verifiers.hpp"

#include <map>

#include "offline-cache/crypto.hpp"
#include "offline-cache/store_error.hpp"

namespace mk::offline_cache {
namespace {

// Binds a sealed verifier to its member and role: a ciphertext copied to another row does not
// decrypt.
std::vector<uint8_t> staff_aad(std::string_view staff_id, std::string_view role) {
  crypto::Encoder encoder;
  encoder.add("mk-staff-verifier-v1").add(staff_id).add(role);
  const auto bytes = encoder.bytes();
  return {bytes.begin(), bytes.end()};
}

}  // namespace

StaffVerifiers::StaffVerifiers(Connection& connection, const KeyFile& key)
    : connection_(connection), key_(key) {}

bool StaffVerifiers::replace_all(std::span<const StaffVerifier> staff) {
  std::lock_guard lock(connection_.mutex);
  // What is cached now: written again only when the centre's list changed, counts kept.
  struct Cached {
    std::string role;
    std::string verifier;  // "" when it does not open (sealed with another key)
    int64_t wrong_pins = 0;
  };
  std::map<std::string, Cached> cached;
  {
    auto select = connection_.db.prepare(
        "SELECT staff_id, role, nonce, sealed, wrong_pins FROM staff_verifiers");
    while (select.step()) {
      Cached c{select.column_text(1), "", select.column_int(4)};
      std::string id = select.column_text(0);
      try {
        c.verifier = std::string(crypto::open(key_.bytes(), select.column_blob(2),
                                              staff_aad(id, c.role), select.column_blob(3))
                                     .reveal());
      } catch (const StoreError&) {
        // Sealed with another key: written anew below.
      }
      cached.emplace(std::move(id), std::move(c));
    }
  }
  bool same = cached.size() == staff.size();
  for (const auto& s : staff) {
    const auto it = cached.find(s.staff_id);
    same = same && it != cached.end() && it->second.role == s.role &&
           it->second.verifier == s.verifier;
  }
  if (same) {
    return false;
  }
  base::sqlite::Transaction transaction(connection_.db);
  connection_.db.exec("DELETE FROM staff_verifiers");
  auto insert = connection_.db.prepare(
      "INSERT INTO staff_verifiers (staff_id, role, nonce, sealed, wrong_pins) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const auto& s : staff) {
    if (s.staff_id.empty() || s.role.empty() || s.verifier.empty()) {
      throw StoreError(StoreErrorKind::invalid_argument,
                       "a staff verifier needs an ID, a role and a verifier");
    }
    const base::SecretBytes verifier(s.verifier);
    const auto sealed = crypto::seal(key_.bytes(), staff_aad(s.staff_id, s.role), verifier.bytes());
    const auto it = cached.find(s.staff_id);
    insert.bind(1, s.staff_id)
        .bind(2, s.role)
        .bind(3, std::span<const uint8_t>(sealed.nonce))
        .bind(4, std::span<const uint8_t>(sealed.ciphertext))
        .bind(5, it != cached.end() ? it->second.wrong_pins : 0);
    insert.run();
    insert.reset();
  }
  transaction.commit();
  return true;
}

std::optional<CachedStaff> StaffVerifiers::find(std::string_view staff_id) {
  std::lock_guard lock(connection_.mutex);
  auto select = connection_.db.prepare(
      "SELECT role, nonce, sealed, wrong_pins FROM staff_verifiers WHERE staff_id = ?");
  select.bind(1, staff_id);
  if (!select.step()) {
    return std::nullopt;
  }
  CachedStaff staff;
  staff.role = select.column_text(0);
  staff.verifier = crypto::open(key_.bytes(), select.column_blob(1),
                                staff_aad(staff_id, staff.role), select.column_blob(2));
  staff.wrong_pins = select.column_int(3);
  return staff;
}

int64_t StaffVerifiers::count_wrong_pin(std::string_view staff_id) {
  std::lock_guard lock(connection_.mutex);
  auto update = connection_.db.prepare(
      "UPDATE staff_verifiers SET wrong_pins = wrong_pins + 1 WHERE staff_id = ?");
  update.bind(1, staff_id).run();
  auto select = connection_.db.prepare("SELECT wrong_pins FROM staff_verifiers WHERE staff_id = ?");
  select.bind(1, staff_id);
  return select.step() ? select.column_int(0) : 0;
}

void StaffVerifiers::clear_wrong_pins(std::string_view staff_id) {
  std::lock_guard lock(connection_.mutex);
  auto update =
      connection_.db.prepare("UPDATE staff_verifiers SET wrong_pins = 0 WHERE staff_id = ?");
  update.bind(1, staff_id).run();
}

int64_t StaffVerifiers::count() {
  std::lock_guard lock(connection_.mutex);
  return connection_.db.query_int("SELECT count(*) FROM staff_verifiers");
}

}  // namespace mk::offline_cache
