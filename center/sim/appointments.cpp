// Appointments at the centre simulator (appointments.hpp).
#include "center/sim/appointments.hpp"

#include "center/sim/formats.hpp"
#include "center/sim/relying_party.hpp"
#include "center/sim/simulator_state.hpp"

namespace mk::center::sim {

using base::sqlite::Statement;

void seed_appointments(SimulatorState& centre) {
  // The after-hours PIN unlock appointments move with the calendar: today and tomorrow
  // (JST), 18:00-18:30, for sato-ichiro (his license PIN is blocked).
  const std::string holder = centre.ref_of("sato-ichiro");
  const auto put = [&](const char* number, Clock::time_point day) {
    const std::string d = jst_date(day);
    Statement(centre.db,
              "INSERT INTO appointments(number, kind, slot_start, slot_end, holder_ref, status) "
              "VALUES(?,?,?,?,?,'booked') ON CONFLICT(number) DO UPDATE SET "
              "slot_start=excluded.slot_start, slot_end=excluded.slot_end, status='booked', "
              "checked_in_at=NULL, terminal=NULL")
        .bind(1, std::string(number))
        .bind(2, std::string("pin_unlock"))
        .bind(3, d + "T18:00:00+09:00")
        .bind(4, d + "T18:30:00+09:00")
        .bind(5, holder)
        .run();
  };
  put(CenterSimulator::kTodayAppointment, centre.now());
  put(CenterSimulator::kTomorrowAppointment, centre.now() + std::chrono::hours(24));
}

api::Appointment appointment(SimulatorState& centre, const std::string& number) {
  Statement s(centre.db,
              "SELECT kind, slot_start, slot_end, holder_ref, status FROM appointments WHERE "
              "number=?");
  s.bind(1, number);
  if (!s.step()) {
    fail(404, api::code::kAppointmentNotFound, "no appointment with this number");
  }
  return {number,           s.column_text(0), s.column_text(1),
          s.column_text(2), s.column_text(3), s.column_text(4)};
}

Reply check_in(SimulatorState& centre, const httplib::Request& req, const std::string& terminal) {
  api::Appointment a = appointment(centre, req.matches[1]);
  if (a.slot_start.substr(0, 10) != centre.today()) {
    fail(409, api::code::kAppointmentNotToday, "the appointment is not for today");
  }
  if (a.status == "checked_in") {
    fail(409, api::code::kAppointmentCheckedIn, "the appointment was already used");
  }
  Statement(centre.db,
            "UPDATE appointments SET status='checked_in', checked_in_at=?, terminal=? WHERE "
            "number=?")
      .bind(1, rfc3339_jst(centre.now()))
      .bind(2, terminal)
      .bind(3, a.number)
      .run();
  a.status = "checked_in";
  return json_reply(a);
}

}  // namespace mk::center::sim
