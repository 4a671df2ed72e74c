#include "kiosk/runtime/cached_staff_check.hpp"

#include "base/pin_verifier.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/staff_sign_in.hpp"
#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

namespace ops = flows::center_ops;

flows::Event CachedStaffCheck::check(const std::string& staff_id, const base::SecretBytes& pin) {
  auto log = logger("staff");
  try {
    if (staff_.count() == 0) {
      log->warn(
          "staff sign-in: the centre is out of reach and this kiosk has no copy of its "
          "staff verifiers yet");
      return flows::Event::center(ops::kStaffSignIn, ops::kUnavailable);
    }
    const auto member = staff_.find(staff_id);
    if (!member) {
      base::pin_matches_nobody(pin);  // as long as a wrong PIN takes
      return flows::Event::center(ops::kStaffSignIn, "staff_sign_in_refused");
    }
    if (member->wrong_pins >= flows::kStaffWrongPinsToLock) {
      return flows::Event::center(ops::kStaffSignIn, "staff_locked");
    }
    if (base::pin_matches(member->verifier.reveal(), pin)) {
      staff_.clear_wrong_pins(staff_id);
      return flows::Event::center(
          ops::kStaffSignIn, "ok",
          {{"staff_id", staff_id}, {"role", member->role}, {"checked_by", "kiosk"}});
    }
    const int64_t wrong = staff_.count_wrong_pin(staff_id);
    return flows::Event::center(ops::kStaffSignIn, wrong >= flows::kStaffWrongPinsToLock
                                                       ? "staff_locked"
                                                       : "staff_sign_in_refused");
  } catch (const std::exception& e) {
    // A copy sealed with another key, a store that cannot be read: as if there were none.
    log->error("staff sign-in: the kiosk's copy of the staff verifiers cannot be used: {}",
               e.what());
    return flows::Event::center(ops::kStaffSignIn, ops::kUnavailable);
  }
}

void CachedStaffCheck::signed_in_at_center(const std::string& staff_id) {
  try {
    staff_.clear_wrong_pins(staff_id);
  } catch (const std::exception& e) {
    logger("staff")->warn("staff sign-in: the count of wrong PINs was not cleared: {}", e.what());
  }
}

}  // namespace mk::kiosk
