#pragma once

// A staff PIN checked against the verifiers the kiosk cached from its centre (CenterSync keeps
// them), for when the centre cannot be reached (issue 12): the answer a centre would give to
// center_ops::kStaffSignIn, with checked_by "kiosk". Wrong PINs typed here are counted in the
// store, and the fifth in a row locks the member on this kiosk until the centre signs them in.

#include <string>

#include "base/secret_bytes.hpp"
#include "flows/engine/event.hpp"
#include "offline-cache/staff_verifiers.hpp"

namespace mk::kiosk {

class CachedStaffCheck {
 public:
  explicit CachedStaffCheck(offline_cache::StaffVerifiers& staff) : staff_(staff) {}

  // ok (staff_id, role, checked_by "kiosk"), staff_sign_in_refused, staff_locked, or unavailable
  // when there is no copy to check against (never fetched, or sealed with another store key).
  // Slow on purpose (Argon2id): call it on a worker thread.
  flows::Event check(const std::string& staff_id, const base::SecretBytes& pin);
  // The centre itself signed this member in: the count here starts again.
  void signed_in_at_center(const std::string& staff_id);

 private:
  offline_cache::StaffVerifiers& staff_;
};

}  // namespace mk::kiosk
