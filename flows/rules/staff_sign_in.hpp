#pragma once

// Staff sign-in (issue 12): the rules the centre, the kiosk's copy of the verifiers and the sign-in
// flow share.

namespace mk::flows {

// The wrong PINs in a row that lock a staff member: at the centre, and on a kiosk that checked
// them against its copy while the centre was away.
inline constexpr int kStaffWrongPinsToLock = 5;

// A staff ID and a staff PIN are 4 to 8 digits, typed on the kiosk's pad.
inline constexpr int kStaffIdMin = 4;
inline constexpr int kStaffIdMax = 8;
inline constexpr int kStaffPinMin = 4;
inline constexpr int kStaffPinMax = 8;

}  // namespace mk::flows
