#pragma once

// Staff at the kiosk (issue 12, docs/center-api.md "Staff"): a staff member signs in with their
// staff ID and PIN, checked by the centre (POST /v1/staff/sign-in), and the kiosk keeps the
// centre's Argon2id verifiers (GET /v1/staff/verifiers) to check a PIN itself while the centre is
// out of reach. The PIN travels only in the sign-in request's body; no answer holds it.

#include <optional>
#include <string>
#include <vector>

#include "base/secret_bytes.hpp"
#include "center/api/wire_codec.hpp"

namespace mk::center::api {

// A staff ID: 4 to 8 digits, as typed on the kiosk's pad.
bool is_staff_id(const std::string& id);

struct StaffSignInRequest {
  std::string staff_id;
  // 4 to 8 digits. Wiped when the request dies; the JSON text of it is wiped by its writer.
  base::SecretBytes pin;
};

// Who signed in. role: "staff" (assisted procedures) or "supervisor" (also overrides).
struct StaffMember {
  std::string staff_id;
  std::string role;
};

// One staff member's verifier: what crypto_pwhash_str made of their PIN (base/pin_verifier.hpp).
// Only staff who may sign in are listed: a locked or retired one is not.
struct StaffVerifier {
  std::string staff_id;
  std::string role;
  std::string verifier;
};
struct StaffVerifiers {
  std::vector<StaffVerifier> staff;
};

// A person at a kiosk asks for staff (POST /v1/staff/calls): which screen they are on (a screen
// id, "read_back.enter_pin": where they are stuck, nothing of them).
struct StaffCallRequest {
  std::string screen;
};
// POST /v1/staff/calls/{call_id}/answer: a staff member signed in at that kiosk.
struct StaffCallAnswer {
  std::string staff_id;
};
// A call as the centre keeps it; answered_at and staff_id are "" until it is answered.
struct StaffCall {
  std::string call_id;
  std::string screen;
  std::string raised_at;  // RFC 3339
  std::string answered_at;
  std::string staff_id;
};

MK_CENTER_API_JSON(StaffCallRequest)
MK_CENTER_API_JSON(StaffCallAnswer)
MK_CENTER_API_JSON(StaffCall)
MK_CENTER_API_JSON(StaffSignInRequest)
MK_CENTER_API_JSON(StaffMember)
MK_CENTER_API_JSON(StaffVerifier)
MK_CENTER_API_JSON(StaffVerifiers)

}  // namespace mk::center::api
