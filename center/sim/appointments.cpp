// Appointments at the centre simulator (appointments.hpp).
#include "center/sim/appointments.hpp"

#include "center/sim/face_match.hpp"
#include "center/sim/formats.hpp"
#include "center/sim/holder_records.hpp"
#include "center/sim/holders.hpp"
#include "center/sim/relying_party.hpp"
#include "center/sim/simulator_state.hpp"
#include "center/sim/submissions.hpp"
#include "flows/rules/pin_unlock.hpp"

namespace mk::center::sim {

using base::sqlite::Statement;

namespace {

// The appointment `number` names, with what the table keeps beside it.
struct Booking {
  api::Appointment a;
  std::string terminal;  // where it was checked in; "" before
  int64_t failed_checks = 0;
};

Booking booking(SimulatorState& centre, const std::string& number) {
  Statement s(centre.db,
              "SELECT kind, slot_start, slot_end, holder_ref, status, coalesce(terminal, ''), "
              "failed_checks FROM appointments WHERE number=?");
  s.bind(1, number);
  if (!s.step()) {
    fail(404, api::code::kAppointmentNotFound, "no appointment with this number");
  }
  return {{number, s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3),
           s.column_text(4)},
          s.column_text(5),
          s.column_int(6)};
}

void set_status(SimulatorState& centre, const std::string& number, const char* status) {
  Statement(centre.db, "UPDATE appointments SET status=? WHERE number=?")
      .bind(1, std::string(status))
      .bind(2, number)
      .run();
}

// What an appointment in hand at `terminal` must be for the next step: today, in its slot, not
// used, not locked, and (from the identity check on) checked in at this kiosk.
void require_usable(SimulatorState& centre, const Booking& b, const std::string& terminal,
                    bool checked_in) {
  const auto& a = b.a;
  if (a.status == "unlocked") {
    fail(409, api::code::kAppointmentUsed, "the appointment's unlock is done");
  }
  if (a.status == "locked") {
    fail(409, api::code::kAppointmentLocked, "too many failed identity checks: staff reopen it");
  }
  switch (flows::appointment_timing(a.slot_start, a.slot_end, rfc3339_jst(centre.now()))) {
    case flows::AppointmentTiming::open:
      break;
    case flows::AppointmentTiming::early:
    case flows::AppointmentTiming::late:
      fail(409, api::code::kAppointmentOutsideWindow, "the appointment's slot is not now");
    case flows::AppointmentTiming::other_day:
    case flows::AppointmentTiming::invalid:
      fail(409, api::code::kAppointmentNotToday, "the appointment is not for today");
  }
  if (a.status != "booked" && b.terminal != terminal) {
    fail(409, api::code::kAppointmentCheckedIn, "the appointment is checked in at another kiosk");
  }
  if (checked_in && a.status == "booked") {
    fail(409, api::code::kAppointmentNotCheckedIn, "check the appointment in first");
  }
}

// A failed identity check, counted — the refusal is an answer, not an exception, so that the
// count is kept (a handler's exception rolls its writes back). The last allowed failure locks it.
Reply failed_check(SimulatorState& centre, const Booking& b, const char* code,
                   const std::string& why) {
  const int64_t failed = b.failed_checks + 1;
  const bool lock = failed >= flows::kUnlockIdentityAttempts;
  // A failed check also ends an earlier success: only the last check of the slot counts.
  Statement(centre.db, "UPDATE appointments SET failed_checks=?, status=? WHERE number=?")
      .bind(1, failed)
      .bind(2, std::string(lock ? "locked" : "checked_in"))
      .bind(3, b.a.number)
      .run();
  if (lock) {
    return error_reply({409, api::code::kAppointmentLocked,
                        why + "; that was the last identity check this appointment allows", false});
  }
  return error_reply({422, code, why, false});
}

}  // namespace

void seed_appointments(SimulatorState& centre) {
  // The after-hours PIN unlock appointments move with the calendar: today and tomorrow
  // (JST), 18:00-18:30, for sato-ichiro (his license PIN is blocked), and today's of kato-misaki
  // (someone else's appointment, for the tests of a card that is not the holder's).
  const auto put = [&](const char* number, Clock::time_point day, const char* person) {
    const std::string holder = centre.ref_of(person);
    const std::string d = jst_date(day);
    Statement(centre.db,
              "INSERT INTO appointments(number, kind, slot_start, slot_end, holder_ref, status) "
              "VALUES(?,?,?,?,?,'booked') ON CONFLICT(number) DO UPDATE SET "
              "slot_start=excluded.slot_start, slot_end=excluded.slot_end, status='booked', "
              "checked_in_at=NULL, terminal=NULL, failed_checks=0")
        .bind(1, std::string(number))
        .bind(2, std::string("pin_unlock"))
        .bind(3, d + "T18:00:00+09:00")
        .bind(4, d + "T18:30:00+09:00")
        .bind(5, holder)
        .run();
  };
  put(CenterSimulator::kTodayAppointment, centre.now(), "sato-ichiro");
  put(CenterSimulator::kTomorrowAppointment, centre.now() + std::chrono::hours(24), "sato-ichiro");
  put(CenterSimulator::kOtherHolderAppointment, centre.now(), "kato-misaki");
}

api::Appointment appointment(SimulatorState& centre, const std::string& number) {
  return booking(centre, number).a;
}

Reply check_in(SimulatorState& centre, const httplib::Request& req, const std::string& terminal) {
  Booking b = booking(centre, req.matches[1]);
  require_usable(centre, b, terminal, false);
  if (b.a.status == "booked") {
    // Checked in again at the same kiosk (a card pulled, the person starting over) is no
    // second use: what counts is the one unlock and the identity checks.
    Statement(centre.db,
              "UPDATE appointments SET status='checked_in', checked_in_at=?, terminal=? WHERE "
              "number=?")
        .bind(1, rfc3339_jst(centre.now()))
        .bind(2, terminal)
        .bind(3, b.a.number)
        .run();
    b.a.status = "checked_in";
  }
  return json_reply(b.a);
}

Reply identify(SimulatorState& centre, const httplib::Request& req, const std::string& terminal) {
  Booking b = booking(centre, req.matches[1]);
  require_usable(centre, b, terminal, true);
  const auto q = api::parse_body<api::AppointmentIdentityRequest>(req.body);
  // A challenge this centre gave and has not seen used: else a new one, nothing counted (it may
  // have expired while the person retook the photo).
  if (!challenge_open(centre, q.challenge)) {
    fail(422, api::code::kSignatureInvalid, "the challenge is unknown, used or expired");
  }
  // The card first: its signature, then that it holds the appointment holder's licence. Only then
  // is the photo even decoded — biometrics is never the only factor, and nobody without the card
  // and its PIN gets the centre to look at a picture.
  const RelyingPartyOptions o = relying_party_options(centre, "jpki-auth-ca.pem");
  try {
    check_authentication(q.challenge, q.signature, q.certificate, o);
  } catch (const RelyingPartyError& e) {
    take_challenge(centre, q.challenge);
    if (e.code() == api::code::kSignatureInvalid) {
      return failed_check(centre, b, api::code::kSignatureInvalid, e.what());
    }
    fail(422, e.code().c_str(), e.what());  // expired, revoked: the municipality's, no attempt
  }
  if (card_id_of_certificate(q.certificate) != q.card_id) {
    fail(422, api::code::kCertificateHolderMismatch, "the certificate is not the named card's");
  }
  // The certificate proves the card; the holder's licence record is on exactly one card.
  if (record_card_of(centre, b.a.holder_ref) != q.card_id) {
    take_challenge(centre, q.challenge);
    return failed_check(centre, b, api::code::kAppointmentHolderMismatch,
                        "this card does not hold the appointment holder's licence");
  }
  const Holder& h = centre.holder(b.a.holder_ref);
  const FaceComparison face = compare_faces(h.person.centre_face, q.photo);
  if (!face.live_found) {
    // Nothing counted and the challenge kept: the same signed challenge with a new photo.
    fail(422, api::code::kFaceNotFound, "no face in the photo (no attempt counted)");
  }
  take_challenge(centre, q.challenge);
  if (!face.reference_found) {
    fail(500, api::code::kInternal, "the centre has no usable licence photo of this holder");
  }
  if (!face.same_person) {
    return failed_check(centre, b, api::code::kFaceMismatch, "the face is not the licence photo's");
  }
  set_status(centre, b.a.number, "verified");
  b.a.status = "verified";
  return json_reply(b.a);
}

std::optional<std::string> verified_unlock(SimulatorState& centre, const std::string& holder_ref,
                                           const std::string& terminal) {
  Statement s(centre.db,
              "SELECT number, slot_start, slot_end FROM appointments WHERE holder_ref=? AND "
              "kind='pin_unlock' AND status='verified' AND terminal=?");
  s.bind(1, holder_ref).bind(2, terminal);
  while (s.step()) {
    if (flows::appointment_timing(s.column_text(1), s.column_text(2), rfc3339_jst(centre.now())) ==
        flows::AppointmentTiming::open) {
      return s.column_text(0);
    }
  }
  return std::nullopt;
}

void mark_unlocked(SimulatorState& centre, const std::string& number) {
  set_status(centre, number, "unlocked");
}

}  // namespace mk::center::sim
