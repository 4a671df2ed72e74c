// The centre simulator's issuer sessions (issuer_sessions.hpp).
#include "center/sim/issuer_sessions.hpp"

#include <algorithm>

#include "center/issuer/master_keys.hpp"
#include "center/sim/appointments.hpp"
#include "center/sim/formats.hpp"
#include "center/sim/holder_records.hpp"
#include "center/sim/renewals.hpp"
#include "center/sim/sealing.hpp"
#include "center/sim/simulator_state.hpp"
#include "devices/sim/cards.hpp"

namespace mk::center::sim {

namespace dsim = devices::sim;
using api::Bytes;
using api::Json;
using base::sqlite::Statement;

namespace {

const char* state_name(IssuerSessionState::State s) {
  switch (s) {
    case IssuerSessionState::State::awaiting_open:
      return "awaiting_open";
    case IssuerSessionState::State::awaiting_answers:
      return "awaiting_answers";
    case IssuerSessionState::State::done:
      return "done";
    case IssuerSessionState::State::failed:
      return "failed";
  }
  return "?";
}

api::PhaseStart phase_start(IssuerSessionState& s) {
  api::PhaseStart p;
  p.phase = s.phases[s.current];
  p.aid = p.phase == api::PhaseName::isd
              ? Bytes(issuer::card::kIsdAid.begin(), issuer::card::kIsdAid.end())
              : Bytes(issuer::card::kLicenseApAid.begin(), issuer::card::kLicenseApAid.end());
  s.host_challenge = issuer::Scp03Host::random_host_challenge();
  p.host_challenge = s.host_challenge;
  p.select = issuer::select_command(p.aid);
  p.initialize_update = issuer::Scp03Host::initialize_update_command(s.host_challenge);
  s.state = IssuerSessionState::State::awaiting_open;
  return p;
}

void save_session(SimulatorState& centre, const IssuerSessionState& s) {
  Statement(centre.db,
            "INSERT INTO issuer_sessions(id, terminal, holder_ref, operation, state, phase, "
            "created_at, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?7) ON CONFLICT(id) DO UPDATE "
            "SET state=?5, phase=?6, updated_at=?7")
      .bind(1, s.id)
      .bind(2, s.terminal)
      .bind(3, s.holder_ref)
      .bind(4, std::string(api::to_string(s.operation)))
      .bind(5, std::string(state_name(s.state)))
      .bind(6, std::string(api::to_string(s.phases[std::min(s.current, s.phases.size() - 1)])))
      .bind(7, rfc3339_jst(centre.now()))
      .run();
}

// The licence image of a record, as the issuer writes it (EF02, EF03 signed, EF04).
issuer::LicenseImage license_image(SimulatorState& centre, const dsim::LicenseApRecord& r,
                                   const dsim::Person& p) {
  const Bytes wef02 = dsim::license_ap_wef02(r);
  const Bytes wef04 = dsim::license_ap_wef04(p);
  const Bytes wef03 = dsim::license_ap_wef03(wef02, wef04, centre.authority);
  return issuer::LicenseImage{wef02, wef03, wef04};
}

IssuerSessionState& session(SimulatorState& centre, const httplib::Request& req,
                            const std::string& terminal) {
  const auto it = centre.sessions.find(req.matches[1]);
  if (it == centre.sessions.end() || it->second.terminal != terminal) {
    fail(404, api::code::kSessionNotFound, "no issuer session with this id for this kiosk");
  }
  IssuerSessionState& s = it->second;
  if (s.state == IssuerSessionState::State::done || s.state == IssuerSessionState::State::failed ||
      std::string(api::to_string(s.phases[s.current])) != req.matches[2].str()) {
    fail(409, api::code::kSessionState, "the session is not at this phase");
  }
  return s;
}

void finish(SimulatorState& centre, IssuerSessionState& s, const std::string& terminal) {
  HolderState st = holder_state(centre, s.holder_ref);
  const std::string at = rfc3339_jst(centre.now());
  switch (s.operation) {
    case api::IssuerOperation::record: {
      st.recorded = true;
      if (!s.card_id.empty()) {  // the record now lives on this card (R-LOST)
        Statement(centre.db,
                  "INSERT INTO record_cards(holder_ref, card_id) VALUES(?,?) "
                  "ON CONFLICT(holder_ref) DO UPDATE SET card_id=excluded.card_id")
            .bind(1, s.holder_ref)
            .bind(2, s.card_id)
            .run();
      } else {  // written on a card that could not be named: no earlier card keeps the record
        Statement(centre.db, "DELETE FROM record_cards WHERE holder_ref=?")
            .bind(1, s.holder_ref)
            .run();
      }
      const api::HoldingForm before = st.form;
      if (s.holding_form) {
        st.form = *s.holding_form;
      } else if (st.form == api::HoldingForm::conventional_only) {
        st.form = api::HoldingForm::both;
      }
      if (st.form == api::HoldingForm::myna_only && before != api::HoldingForm::myna_only) {
        // Recorded and handed the conventional licence back in one step.
        log_form_change(centre, s.holder_ref, "return_conventional", st.form, terminal, at);
      }
      break;
    }
    case api::IssuerOperation::erase:
      st.recorded = false;
      st.form = api::HoldingForm::conventional_only;
      forget_record(centre, s.holder_ref);
      break;
    case api::IssuerOperation::reset_pin:
      mark_unlocked(centre, s.appointment);  // one unlock per appointment
      break;
    case api::IssuerOperation::rewrite:
      Statement(centre.db,
                "INSERT INTO renewals(holder_ref, new_expiry, at) VALUES(?,?,?) "
                "ON CONFLICT(holder_ref) DO UPDATE SET new_expiry=excluded.new_expiry, "
                "at=excluded.at")
          .bind(1, s.holder_ref)
          .bind(2, s.new_expiry)
          .bind(3, at)
          .run();
      break;
  }
  if (!s.sealed_pin.empty()) {
    Statement(
        centre.db,
        "INSERT INTO license_pins(holder_ref, sealed, set_at) VALUES(?,?,?) "
        "ON CONFLICT(holder_ref) DO UPDATE SET sealed=excluded.sealed, set_at=excluded.set_at")
        .bind(1, s.holder_ref)
        .bind(2, s.sealed_pin)
        .bind(3, at)
        .run();
  }
  set_holder_state(centre, s.holder_ref, st);
  s.state = IssuerSessionState::State::done;
  s.image.reset();
  s.sealed_pin.clear();
  save_session(centre, s);
}

}  // namespace

Reply create_session(SimulatorState& centre, const httplib::Request& req,
                     const std::string& terminal) {
  // The body carries the new PIN: parse it, then wipe the parsed copy and the raw body (httplib
  // owns a non-const Request and hands it out as const) before anything else happens.
  Json j = api::parse_json(req.body);
  base::wipe(std::span<char>(const_cast<std::string&>(req.body)));
  const auto wipe_json = [&j] {
    if (j.is_object() && j.contains("new_pin") && j["new_pin"].is_string()) {
      auto& pin = j["new_pin"].get_ref<std::string&>();
      base::wipe(std::span<char>(pin));
    }
  };
  api::IssuerSessionRequest q;
  try {
    q = j.get<api::IssuerSessionRequest>();
  } catch (...) {
    wipe_json();
    throw;
  }
  wipe_json();
  const Holder& h = centre.holder(q.holder_ref);
  const HolderState st = holder_state(centre, h.ref);
  IssuerSessionState s;
  s.id = "S" + random_hex(12);
  s.terminal = terminal;
  s.holder_ref = h.ref;
  s.operation = q.operation;
  s.holding_form = q.holding_form;
  s.card_id = q.card_id;
  switch (q.operation) {
    case api::IssuerOperation::record: {
      // R-VIA: away from home neither a new Myna licence nor a replaced card is recorded.
      if (!centre.at_home(h.person)) {
        fail(422, api::code::kNotEligible, "recording is done at the home prefecture's centre");
      }
      // One card holds the licence: a second recording is only for a card that replaced a
      // lost one (R-LOST), and the kiosk says so — or the same card's write again (resume: its
      // 免許AP is there; the last answer of an earlier session may have been lost).
      if (st.recorded && !q.replace_card && !q.resume) {
        fail(422, api::code::kNotEligible, "the license is already recorded on a card");
      }
      if (st.recorded && q.replace_card && !q.card_id.empty() &&
          record_card_of(centre, h.ref) == q.card_id) {
        fail(422, api::code::kNotEligible, "this card already holds the record");
      }
      s.phases = q.resume ? std::vector{api::PhaseName::license_ap}
                          : std::vector{api::PhaseName::isd, api::PhaseName::license_ap};
      // The recording date is the day of this recording (a replacement card's too), not the
      // date an earlier card was written.
      auto r = current_record(centre, h);
      r.recording_date = centre.today_date();
      s.image = license_image(centre, r, h.person);
      break;
    }
    case api::IssuerOperation::erase:
      if (!st.recorded) {
        fail(422, api::code::kNotEligible, "no license data is recorded for this holder");
      }
      if (!centre.at_home(h.person)) {
        fail(422, api::code::kNotEligible, "erasing is done at the home prefecture's centre");
      }
      require_record_card(centre, h.ref, q.card_id);
      s.phases = {api::PhaseName::isd};
      break;
    case api::IssuerOperation::reset_pin:
      if (!st.recorded) {
        fail(422, api::code::kNotEligible, "no license data is recorded for this holder");
      }
      require_record_card(centre, h.ref, q.card_id);
      // R-LIC-PIN-LOCK: unlocked at the centre of the prefecture the holder lives in, and here
      // only by an appointment whose identity check passed at this kiosk just now.
      if (!centre.at_home(h.person)) {
        fail(422, api::code::kNotEligible, "a PIN is unlocked at the home prefecture's centre");
      }
      if (auto number = verified_unlock(centre, h.ref, terminal)) {
        s.appointment = std::move(*number);
      } else {
        fail(422, api::code::kNotEligible,
             "no PIN unlock appointment of this holder passed its identity check here");
      }
      s.phases = {api::PhaseName::license_ap};
      break;
    case api::IssuerOperation::rewrite: {
      // R-RENEW-REWRITE: the renewed record on the same card, in the renewal period, and away
      // from home only for a 経由申請-eligible holder (R-VIA).
      if (st.recorded) {
        require_record_card(centre, h.ref, q.card_id);  // never a lost card (R-LOST)
      }
      const RenewalFacts f = renewal_facts(centre, h);
      if (const std::string why = rewrite_refusal(centre, h, st, f); !why.empty()) {
        fail(422, api::code::kNotEligible, why);
      }
      s.phases = {api::PhaseName::license_ap};
      auto r = current_record(centre, h);
      r.expiry = f.new_expiry;
      r.color = band_after_renewal(f.category);  // a first licence's 新規 band turns blue
      r.recording_date = centre.today_date();
      s.image = license_image(centre, r, h.person);
      s.new_expiry = iso(f.new_expiry);
      break;
    }
  }
  if (q.new_pin) {
    s.sealed_pin = seal(centre.seal_key(), q.new_pin->bytes());
    q.new_pin->clear();
  }
  api::IssuerSession out{s.id, s.operation, phase_start(s)};
  save_session(centre, s);
  const std::string id = s.id;
  centre.sessions.insert_or_assign(id, std::move(s));
  return json_reply(out);
}

Reply open_phase(SimulatorState& centre, const httplib::Request& req, const std::string& terminal) {
  const auto q = api::parse_body<api::PhaseOpenRequest>(req.body);
  IssuerSessionState& s = session(centre, req, terminal);
  if (s.state != IssuerSessionState::State::awaiting_open) {
    fail(409, api::code::kSessionState, "this phase is already open");
  }
  Bytes answer = q.init_update_answer;
  if (answer.size() == issuer::scp03::kInitializeUpdateAnswerSize + 2) {
    if (answer[answer.size() - 2] != 0x90 || answer.back() != 0x00) {
      fail(400, api::code::kBadRequest, "init_update_answer: the card did not answer 9000");
    }
    answer.resize(answer.size() - 2);
  }
  if (answer.size() != issuer::scp03::kInitializeUpdateAnswerSize) {
    fail(400, api::code::kBadRequest, "init_update_answer: not 29 bytes (+ 9000)");
  }
  try {
    s.host = std::make_unique<issuer::Scp03Host>(centre.master, s.host_challenge, answer);
  } catch (const issuer::IssuerError& e) {
    s.state = IssuerSessionState::State::failed;
    save_session(centre, s);
    fail(422, api::code::kCardCryptogramInvalid, e.what());
  }
  api::PhaseCommands out;
  out.phase = s.phases[s.current];
  base::SecretBytes pin;
  if (!s.sealed_pin.empty()) {
    pin = unseal(centre.seal_key(), s.sealed_pin);
  }
  switch (s.operation) {
    case api::IssuerOperation::record: {
      const issuer::LicenseWritePlan plan(*s.image, std::move(pin));
      out.commands = out.phase == api::PhaseName::isd ? plan.isd_commands(*s.host)
                                                      : plan.license_ap_commands(*s.host);
      break;
    }
    case api::IssuerOperation::erase:
      out.commands = issuer::delete_commands(*s.host);
      break;
    case api::IssuerOperation::reset_pin:
      // The appointment still verified now, not only when the session opened: a session opened
      // before an unlock completed (or before a failed check ended the success) writes nothing.
      if (verified_unlock(centre, s.holder_ref, terminal) != s.appointment) {
        s.state = IssuerSessionState::State::failed;
        save_session(centre, s);
        fail(422, api::code::kNotEligible, "the PIN unlock appointment is no longer verified");
      }
      out.commands = issuer::reset_pin_commands(*s.host, pin);
      break;
    case api::IssuerOperation::rewrite:
      out.commands = issuer::LicenseWritePlan::rewrite(*s.image).license_ap_commands(*s.host);
      break;
  }
  s.command_count = out.commands.size();
  s.state = IssuerSessionState::State::awaiting_answers;
  save_session(centre, s);
  return json_reply(out);
}

Reply phase_answers(SimulatorState& centre, const httplib::Request& req,
                    const std::string& terminal) {
  const auto q = api::parse_body<api::PhaseAnswersRequest>(req.body);
  IssuerSessionState& s = session(centre, req, terminal);
  if (s.state != IssuerSessionState::State::awaiting_answers) {
    fail(409, api::code::kSessionState, "this phase is not open");
  }
  const issuer::RelayVerdict v = issuer::check_relay_answers(*s.host, s.command_count, q.answers);
  api::PhaseVerdict out;
  out.complete = v.complete;
  out.accepted = v.accepted;
  out.status = v.status;
  s.host.reset();
  if (!v.complete) {
    s.state = IssuerSessionState::State::failed;
    save_session(centre, s);
    if (v.status == 0x9000) {
      // The card said 9000 but the R-MAC does not verify: not the card's answer.
      fail(422, api::code::kRmacInvalid,
           "answer " + std::to_string(v.accepted) + " does not carry the card's R-MAC");
    }
    return json_reply(out);
  }
  if (++s.current < s.phases.size()) {
    out.next = phase_start(s);
    save_session(centre, s);
    return json_reply(out);
  }
  finish(centre, s, terminal);
  out.done = true;
  return json_reply(out);
}

}  // namespace mk::center::sim
