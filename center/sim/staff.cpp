// Staff at the centre simulator (staff.hpp).
#include "center/sim/staff.hpp"

#include "base/pin_verifier.hpp"
#include "center/sim/center_simulator.hpp"
#include "center/sim/formats.hpp"
#include "center/sim/simulator_state.hpp"

namespace mk::center::sim {

namespace {

using base::sqlite::Statement;

// The fifth wrong PIN in a row locks a member (issue 12).
constexpr int64_t kWrongPinsToLock = 5;

struct TestStaff {
  const char* id;
  const char* role;
  const char* verifier;  // of the PIN docs/center-sim.md gives
};

// Made once with base::make_pin_verifier (libsodium's interactive limits): the simulator, like a
// centre, never holds the PINs.
constexpr TestStaff kTestStaff[] = {
    {CenterSimulator::kStaffMember, "staff",
     "$argon2id$v=19$m=65536,t=2,p=1$hgMmQr3dMw5XeWq6E4Lrgw$"
     "lKnqBQN80I+wnC0lGFT10jOFEU3c5wWMzVhnW4dyI5U"},
    {CenterSimulator::kSupervisor, "supervisor",
     "$argon2id$v=19$m=65536,t=2,p=1$+KWLKIilbTUvD52an82N+Q$"
     "Wuw8o9yy6wtV2ZAkmAQM0Y4dIY6Wp8cN2dhfDfWEiMM"},
    {CenterSimulator::kStaffToLock, "staff",
     "$argon2id$v=19$m=65536,t=2,p=1$ewaLeQSWewx+B3JH8l+10g$"
     "E0AYTTOLGWnZoB+NES9+PpqGWfO8uY29pXW91GNIUXc"},
};

Reply refused() {
  return error_reply(
      {401, api::code::kStaffSignInRefused, "no staff member has this ID and PIN", false});
}

Reply locked() {
  return error_reply({423, api::code::kStaffLocked,
                      "this staff member is locked after too many wrong PINs; a supervisor at "
                      "the centre reopens it",
                      false});
}

}  // namespace

void seed_staff(SimulatorState& centre) {
  for (const TestStaff& s : kTestStaff) {
    Statement(centre.db,
              "INSERT OR IGNORE INTO staff(staff_id, role, verifier, wrong_pins) VALUES(?,?,?,0)")
        .bind(1, s.id)
        .bind(2, s.role)
        .bind(3, s.verifier)
        .run();
  }
}

Reply staff_sign_in(SimulatorState& centre, const httplib::Request& req) {
  api::Json j = api::parse_json(req.body);
  base::wipe(std::span<char>(const_cast<std::string&>(req.body)));
  const auto wipe_json = [&j] {
    if (j.is_object() && j.contains("pin") && j["pin"].is_string()) {
      base::wipe(std::span<char>(j["pin"].get_ref<std::string&>()));
    }
  };
  api::StaffSignInRequest q;
  try {
    q = j.get<api::StaffSignInRequest>();
  } catch (...) {
    wipe_json();
    throw;
  }
  wipe_json();
  Statement s(centre.db,
              "SELECT role, verifier, wrong_pins, locked_at FROM staff WHERE staff_id=?");
  s.bind(1, q.staff_id);
  if (!s.step()) {
    base::pin_matches_nobody(q.pin);  // as long as a wrong PIN takes
    return refused();
  }
  const std::string role = s.column_text(0);
  const std::string verifier = s.column_text(1);
  const int64_t wrong = s.column_int(2);
  if (!s.is_null(3)) {
    return locked();
  }
  if (base::pin_matches(verifier, q.pin)) {
    Statement(centre.db, "UPDATE staff SET wrong_pins=0 WHERE staff_id=?")
        .bind(1, q.staff_id)
        .run();
    return json_reply(api::StaffMember{q.staff_id, role});
  }
  // The count is written with the answer (an answer, not a thrown failure: the router keeps the
  // writes of an answer and rolls back those of a failure).
  const bool now_locked = wrong + 1 >= kWrongPinsToLock;
  Statement update(centre.db, "UPDATE staff SET wrong_pins=?, locked_at=? WHERE staff_id=?");
  update.bind(1, wrong + 1);
  if (now_locked) {
    update.bind(2, rfc3339_jst(centre.now()));
  } else {
    update.bind_null(2);
  }
  update.bind(3, q.staff_id).run();
  return now_locked ? locked() : refused();
}

Reply staff_verifiers(SimulatorState& centre) {
  api::StaffVerifiers out;
  Statement s(
      centre.db,
      "SELECT staff_id, role, verifier FROM staff WHERE locked_at IS NULL ORDER BY staff_id");
  while (s.step()) {
    out.staff.push_back({s.column_text(0), s.column_text(1), s.column_text(2)});
  }
  return json_reply(out);
}

Reply raise_staff_call(SimulatorState& centre, const httplib::Request& req,
                       const std::string& terminal) {
  const auto q = api::parse_body<api::StaffCallRequest>(req.body);
  api::StaffCall call{"C" + random_hex(8), q.screen, rfc3339_jst(centre.now()), "", ""};
  Statement(centre.db,
            "INSERT INTO staff_calls(call_id, terminal, screen, raised_at) VALUES(?,?,?,?)")
      .bind(1, call.call_id)
      .bind(2, terminal)
      .bind(3, call.screen)
      .bind(4, call.raised_at)
      .run();
  return json_reply(call);
}

std::vector<api::StaffCall> staff_calls(SimulatorState& centre, const std::string& terminal) {
  std::vector<api::StaffCall> calls;
  Statement s(centre.db,
              "SELECT call_id, screen, raised_at, coalesce(answered_at, ''), "
              "coalesce(staff_id, '') FROM staff_calls WHERE terminal=? ORDER BY raised_at, rowid");
  s.bind(1, terminal);
  while (s.step()) {
    calls.push_back(
        {s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4)});
  }
  return calls;
}

Reply answer_staff_call(SimulatorState& centre, const httplib::Request& req,
                        const std::string& terminal) {
  const std::string id = req.matches[1];
  const auto q = api::parse_body<api::StaffCallAnswer>(req.body);
  Statement(centre.db,
            "UPDATE staff_calls SET answered_at=?, staff_id=? "
            "WHERE call_id=? AND terminal=? AND answered_at IS NULL")
      .bind(1, rfc3339_jst(centre.now()))
      .bind(2, q.staff_id)
      .bind(3, id)
      .bind(4, terminal)
      .run();
  for (auto& call : staff_calls(centre, terminal)) {
    if (call.call_id == id) {
      return json_reply(call);
    }
  }
  fail(404, api::code::kCallNotFound, "no call with this id from this kiosk");
}

}  // namespace mk::center::sim
