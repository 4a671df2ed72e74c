// The centre simulator's holder API: lookups, card status, holding form (holders.hpp).
#include "center/sim/holders.hpp"

#include <openssl/rand.h>

#include "base/hex.hpp"
#include "base/text/comparison_text.hpp"
#include "center/sim/formats.hpp"
#include "center/sim/holder_records.hpp"
#include "center/sim/relying_party.hpp"
#include "center/sim/renewals.hpp"
#include "center/sim/simulator_state.hpp"
#include "center/sim/submissions.hpp"
#include "devices/profile/card_profile.hpp"

namespace mk::center::sim {

namespace dsim = devices::sim;
using base::sqlite::Statement;

namespace {

std::string class_name(uint8_t tag) {
  for (const auto& c : devices::profile::kLicenseClasses) {
    if (c.tag == tag) {
      return c.id;
    }
  }
  return "other";
}

// The holder whose licence (or history) has this number; holder_not_found otherwise.
std::string ref_by_number(SimulatorState& centre, const std::string& license_number) {
  Statement s(centre.db, "SELECT ref FROM holders WHERE license_number=?");
  s.bind(1, license_number);
  if (!s.step()) {
    fail(404, api::code::kHolderNotFound, "no license with this number");
  }
  return s.column_text(0);
}

Reply record_view(SimulatorState& centre, const Holder& h, const std::string& address,
                  const std::string& card_id) {
  const dsim::Person& p = h.person;
  const HolderState st = holder_state(centre, h.ref);
  const auto r = current_record(centre, h);
  api::LicenseRecordView v;
  v.holder_ref = h.ref;
  v.kind = h.person.driving_history ? "history" : "license";
  v.license_number = r.number;
  v.expiry = iso(r.expiry);
  v.color = r.color;
  for (const auto& c : r.classes) {
    v.classes.push_back({class_name(c.tag), iso(c.date)});
  }
  v.conditions = r.conditions;
  v.commission = r.commission;
  v.holding_form = st.form;
  v.license_ap_recorded = st.recorded;
  v.address_changed = !base::same_text(address, p.centre_address);
  v.at_home_centre = centre.at_home(p);
  v.card_expiry = iso(p.card_expiry);
  v.record_card = record_card(centre, h.ref, card_id);
  v.photo_j2k = dsim::portrait_j2k(p.photo_seed);
  return json_reply(v);
}

}  // namespace

Reply lookup(SimulatorState& centre, const httplib::Request& req) {
  const auto q = api::parse_body<api::HolderLookupRequest>(req.body);
  const Holder& h = centre.holder(ref_by_number(centre, q.license_number));
  const dsim::Person& p = h.person;
  if (!base::same_text(q.name, p.family_name + p.given_name) || q.birth_date != iso(p.birth_date)) {
    fail(422, api::code::kHolderMismatch, "the card holder does not match the license");
  }
  return record_view(centre, h, q.address, q.card_id);
}

// A Myna-only holder named by the My Number card (FAQ 3, 11): a fresh challenge first.
Reply auth_challenge(SimulatorState& centre) {
  std::erase_if(centre.challenges, [&centre](const auto& c) { return c.second < centre.now(); });
  if (centre.challenges.size() > 10000) {
    fail(503, api::code::kUnavailable, "too many open challenges");
  }
  api::AuthChallenge c;
  c.challenge.resize(32);
  if (RAND_bytes(c.challenge.data(), static_cast<int>(c.challenge.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  const auto expires = centre.now() + std::chrono::minutes(5);
  c.expires_at = rfc3339_jst(expires);
  centre.challenges[base::to_hex(c.challenge)] = expires;
  return json_reply(c);
}

bool challenge_open(SimulatorState& centre, std::span<const uint8_t> challenge) {
  const auto it = centre.challenges.find(base::to_hex(challenge));
  return it != centre.challenges.end() && it->second >= centre.now();
}

void take_challenge(SimulatorState& centre, std::span<const uint8_t> challenge) {
  const auto it = centre.challenges.find(base::to_hex(challenge));
  if (it == centre.challenges.end() || it->second < centre.now()) {
    fail(422, api::code::kSignatureInvalid, "the challenge is unknown, used or expired");
  }
  centre.challenges.erase(it);
}

// The card signed the challenge with its JPKI authentication key: it is a genuine card, and
// the basic 4 info read from it (with its PIN) names a licence holder without a plastic
// licence to name them.
Reply lookup_by_card(SimulatorState& centre, const httplib::Request& req) {
  const auto q = api::parse_body<api::CardLookupRequest>(req.body);
  take_challenge(centre, q.challenge);
  const RelyingPartyOptions o = relying_party_options(centre, "jpki-auth-ca.pem");
  try {
    check_authentication(q.challenge, q.signature, q.certificate, o);
  } catch (const RelyingPartyError& e) {
    fail(422, e.code().c_str(), e.what());
  }
  if (card_id_of_certificate(q.certificate) != q.card_id) {
    fail(422, api::code::kCertificateHolderMismatch, "the certificate is not the named card's");
  }
  // The certificate proves the card, not the person: the basic 4 info must name exactly one
  // licence holder (two people of the same name and birthday go to the counter).
  const Holder* found = nullptr;
  for (const auto& [ref, h] : centre.holders) {
    const dsim::Person& p = h.person;
    if (p.driving_history || !(p.license || p.license_ap) ||
        !base::same_text(q.name, p.family_name + p.given_name) ||
        q.birth_date != iso(p.birth_date)) {
      continue;
    }
    if (found != nullptr) {
      fail(422, api::code::kHolderMismatch, "more than one holder: staff must identify");
    }
    found = &h;
  }
  if (found == nullptr) {
    fail(404, api::code::kHolderNotFound, "no licence holder for this person");
  }
  if (holder_state(centre, found->ref).form != api::HoldingForm::myna_only) {
    fail(422, api::code::kNotEligible, "the holder has a plastic licence: it names them");
  }
  return record_view(centre, *found, q.address, q.card_id);
}

// R-LOST: which card holds the record of a licence (the read-back asks of the card in hand).
Reply card_status(SimulatorState& centre, const httplib::Request& req) {
  const auto q = api::parse_body<api::CardStatusRequest>(req.body);
  return json_reply(
      api::CardStatus{record_card(centre, ref_by_number(centre, q.license_number), q.card_id)});
}

// R-HISTORY: someone who returned the licence, named by the basic 4 info alone.
Reply history_lookup(SimulatorState& centre, const httplib::Request& req) {
  const auto q = api::parse_body<api::HistoryLookupRequest>(req.body);
  for (const auto& [ref, h] : centre.holders) {
    const dsim::Person& p = h.person;
    if (p.driving_history && !p.license && !p.license_ap &&
        base::same_text(q.name, p.family_name + p.given_name) &&
        q.birth_date == iso(p.birth_date)) {
      return record_view(centre, h, q.address, q.card_id);
    }
  }
  fail(404, api::code::kHolderNotFound, "no driving history for this person");
}

Reply holding_form(SimulatorState& centre, const httplib::Request& req,
                   const std::string& terminal) {
  const std::string ref = req.matches[1];
  const auto q = api::parse_body<api::HoldingFormRequest>(req.body);
  const Holder& h = centre.holder(ref);
  HolderState st = holder_state(centre, ref);
  // FAQ 1, 7 (R-VIA): the holding form is changed at home; away from home the conventional
  // licence is returned only together with a 経由申請 renewal (its rewrite done).
  if (!centre.at_home(h.person)) {
    if (q.action != api::HoldingFormAction::return_conventional) {
      fail(422, api::code::kNotEligible, "only the return is possible away from home");
    }
    if (!renewed_expiry(centre, ref)) {
      fail(422, api::code::kNotEligible,
           "away from home the return goes only with a 経由申請 renewal");
    }
  }
  if (q.action == api::HoldingFormAction::return_conventional) {
    if (st.form != api::HoldingForm::both) {
      fail(422, api::code::kNotEligible, "only a holder of both forms can return the card");
    }
    st.form = api::HoldingForm::myna_only;
  } else if (q.action == api::HoldingFormAction::add_conventional) {
    if (st.form != api::HoldingForm::myna_only) {
      fail(422, api::code::kNotEligible, "only a Myna-only holder can ask for the card again");
    }
    st.form = api::HoldingForm::both;
  } else {
    // The kiosk reports a card whose 免許AP is gone (a delete session whose last answer never
    // reached the centre): the record and its PIN go, as when the session finishes.
    if (!st.recorded) {
      fail(422, api::code::kNotEligible, "no license data is recorded on the card");
    }
    st.form = api::HoldingForm::conventional_only;
    st.recorded = false;
    forget_record(centre, ref);
  }
  set_holder_state(centre, ref, st);
  const std::string at = rfc3339_jst(centre.now());
  log_form_change(centre, ref, api::to_string(q.action), st.form, terminal, at);
  return json_reply(api::HoldingFormChange{ref, st.form, at});
}

}  // namespace mk::center::sim
