// Signed submissions at the centre simulator: one-stop consents, portal linkage (submissions.hpp).
#include "center/sim/submissions.hpp"

#include "base/hex.hpp"
#include "center/sim/formats.hpp"
#include "center/sim/holder_records.hpp"
#include "center/sim/revocation.hpp"
#include "center/sim/simulator_state.hpp"
#include "flows/rules/one_stop.hpp"
#include "flows/rules/portal_linkage.hpp"

namespace mk::center::sim {

using api::Json;
using base::sqlite::Statement;

namespace {

std::string check_submission(SimulatorState& centre, const api::SignedSubmission& sub,
                             const Holder& h, bool refuse_issued_today) {
  RelyingPartyOptions o = relying_party_options(centre, "jpki-sign-ca.pem");
  o.refuse_issued_today = refuse_issued_today;
  try {
    return check_signed_document(
        sub.document, sub.signature, sub.certificate,
        {h.person.family_name + h.person.given_name, devices::sim::yyyymmdd(h.person.birth_date)},
        o);
  } catch (const RelyingPartyError& e) {
    fail(422, e.code().c_str(), e.what());
  }
}

constexpr const char* kConsentPurpose = "onestop_consent";
constexpr const char* kLinkagePurpose = "portal_linkage";

// A nonce this centre issued to `terminal` for `purpose` at `time`, which nobody used: marked used
// now (the caller's transaction undoes it when the request is refused after all).
void use_nonce(SimulatorState& centre, const std::string& terminal, const char* purpose,
               const std::string& nonce_hex, const std::string& time) {
  Statement nonce(centre.db,
                  "SELECT issued_at, used_at FROM signing_nonces WHERE nonce=? AND terminal=? AND "
                  "purpose=?");
  nonce.bind(1, nonce_hex).bind(2, terminal).bind(3, purpose);
  if (!nonce.step() || nonce.column_text(0) != time) {
    fail(422, api::code::kNonceUnknown,
         "the document's nonce was not issued to this terminal for this purpose");
  }
  if (!nonce.is_null(1)) {
    fail(422, api::code::kNonceUsed, "the document's nonce was used already");
  }
  Statement(centre.db, "UPDATE signing_nonces SET used_at=? WHERE nonce=?")
      .bind(1, rfc3339_jst(centre.now()))
      .bind(2, nonce_hex)
      .run();
}

// The consent's document says what the request says, for this terminal, under a nonce this
// centre issued to it and nobody used (flows/rules/one_stop.hpp); marks the nonce used. Runs in
// the request's transaction: a refused consent leaves its nonce unused.
void check_consent_document(SimulatorState& centre, const api::ConsentRequest& q,
                            const std::string& terminal) {
  const std::string_view text(reinterpret_cast<const char*>(q.signed_.document.data()),
                              q.signed_.document.size());
  const auto doc = flows::parse_consent_document(text);
  if (!doc) {
    fail(422, api::code::kConsentDocumentInvalid, "the consent is not the canonical document");
  }
  const flows::ConsentItems items{q.items.address, q.items.name, q.items.birth_date};
  if (doc->holder_ref != q.signed_.holder_ref || doc->items != items ||
      doc->terms_version != flows::kOneStopTermsVersion || doc->terminal != terminal) {
    fail(422, api::code::kConsentDocumentInvalid,
         "the signed consent names another holder, other items, other terms or another terminal");
  }
  use_nonce(centre, terminal, kConsentPurpose, doc->nonce_hex, doc->time);
}

// The linkage's document names the request's holder and this terminal, under a nonce issued for
// a linkage (flows/rules/portal_linkage.hpp); marks the nonce used, in the request's transaction.
void check_linkage_document(SimulatorState& centre, const api::SignedSubmission& q,
                            const std::string& terminal) {
  const std::string_view text(reinterpret_cast<const char*>(q.document.data()), q.document.size());
  const auto doc = flows::parse_linkage_document(text);
  if (!doc) {
    fail(422, api::code::kLinkageDocumentInvalid, "the linkage is not the canonical document");
  }
  if (doc->holder_ref != q.holder_ref || doc->terminal != terminal) {
    fail(422, api::code::kLinkageDocumentInvalid,
         "the signed linkage names another holder or another terminal");
  }
  use_nonce(centre, terminal, kLinkagePurpose, doc->nonce_hex, doc->time);
}

std::string plus_years(const std::string& date, int years) {
  const int y = std::stoi(date.substr(0, 4)) + years;
  std::string out = std::to_string(y) + date.substr(4);
  if (out.substr(5) == "02-29") {
    out = out.substr(0, 5) + "02-28";
  }
  return out;
}

}  // namespace

RelyingPartyOptions relying_party_options(SimulatorState& centre, const char* ca_pem) {
  RelyingPartyOptions o;
  o.trusted_ca_pem = centre.pki.dir() / ca_pem;
  o.now = centre.now();
  o.crl_pem = published_crl(centre, std::filesystem::path(ca_pem).stem().string());
  return o;
}

api::SigningNonce issue_nonce(SimulatorState& centre, const std::string& terminal,
                              const std::string& purpose) {
  if (purpose != kConsentPurpose && purpose != kLinkagePurpose) {
    fail(400, api::code::kBadRequest, "unknown nonce purpose");
  }
  api::SigningNonce n;
  n.nonce = base::from_hex(random_hex(32)).value();
  n.issued_at = rfc3339_jst(centre.now());
  Statement(centre.db,
            "INSERT INTO signing_nonces(nonce, terminal, purpose, issued_at) "
            "VALUES(?,?,?,?)")
      .bind(1, base::to_hex(n.nonce))
      .bind(2, terminal)
      .bind(3, purpose)
      .bind(4, n.issued_at)
      .run();
  return n;
}

Reply signing_nonce(SimulatorState& centre, const httplib::Request& req,
                    const std::string& terminal) {
  const auto q = api::parse_body<api::SigningNonceRequest>(req.body);
  return json_reply(issue_nonce(centre, terminal, q.purpose), 201);
}

Reply start_consent(SimulatorState& centre, const httplib::Request& req,
                    const std::string& terminal) {
  const auto q = api::parse_body<api::ConsentRequest>(req.body);
  const Holder& h = centre.holder(q.signed_.holder_ref);
  const HolderState st = holder_state(centre, h.ref);
  if (st.form != api::HoldingForm::myna_only || !st.recorded) {
    fail(422, api::code::kNotEligible, "one-stop is only for holders of the Myna license alone");
  }
  const std::string serial = check_submission(centre, q.signed_, h, true);
  check_consent_document(centre, q, terminal);
  api::Consent c;
  c.holder_ref = h.ref;
  c.items = q.items;
  c.valid_from = centre.today();
  c.valid_until = plus_years(c.valid_from, 10);
  c.status = "active";
  Statement existing(centre.db, "SELECT id FROM consents WHERE holder_ref=?");
  existing.bind(1, h.ref);
  if (existing.step()) {
    c.consent_id = existing.column_text(0);
    c.renewed = true;
  } else {
    c.consent_id = "C" + random_hex(12);
  }
  Statement(centre.db,
            "INSERT INTO consents(id, holder_ref, items, valid_from, valid_until, status, "
            "certificate_serial, document, signature, certificate, terminal, updated_at) "
            "VALUES(?1,?2,?3,?4,?5,'active',?6,?7,?8,?9,?10,?11) ON CONFLICT(holder_ref) DO "
            "UPDATE SET items=?3, valid_from=?4, valid_until=?5, status='active', "
            "certificate_serial=?6, document=?7, signature=?8, certificate=?9, terminal=?10, "
            "updated_at=?11")
      .bind(1, c.consent_id)
      .bind(2, h.ref)
      .bind(3, Json(c.items).dump())
      .bind(4, c.valid_from)
      .bind(5, c.valid_until)
      .bind(6, serial)
      .bind(7, q.signed_.document)
      .bind(8, q.signed_.signature)
      .bind(9, q.signed_.certificate)
      .bind(10, terminal)
      .bind(11, rfc3339_jst(centre.now()))
      .run();
  return json_reply(c, 201);
}

Reply cancel_consent(SimulatorState& centre, const httplib::Request& req) {
  const std::string ref = req.matches[1];
  (void)centre.holder(ref);
  Statement s(centre.db,
              "SELECT id, items, valid_from, valid_until FROM consents WHERE holder_ref=? AND "
              "status='active'");
  s.bind(1, ref);
  if (!s.step()) {
    fail(404, api::code::kConsentNotFound, "no active one-stop consent for this holder");
  }
  api::Consent c;
  c.consent_id = s.column_text(0);
  c.holder_ref = ref;
  c.items = Json::parse(s.column_text(1)).get<api::ConsentItems>();
  c.valid_from = s.column_text(2);
  c.valid_until = s.column_text(3);
  c.status = "cancelled";
  Statement(centre.db, "UPDATE consents SET status='cancelled', updated_at=? WHERE id=?")
      .bind(1, rfc3339_jst(centre.now()))
      .bind(2, c.consent_id)
      .run();
  return json_reply(c);
}

Reply submit_linkage(SimulatorState& centre, const httplib::Request& req,
                     const std::string& terminal) {
  const auto q = api::parse_body<api::SignedSubmission>(req.body);
  const Holder& h = centre.holder(q.holder_ref);
  if (!holder_state(centre, h.ref).recorded) {
    fail(422, api::code::kNotEligible,
         "portal linkage needs a Myna license or driving history recorded on the card");
  }
  if (!centre.at_home(h.person)) {
    fail(422, api::code::kNotEligible,
         "portal linkage is submitted at the centre of the prefecture the holder lives in");
  }
  const std::string serial = check_submission(centre, q, h, false);
  check_linkage_document(centre, q, terminal);
  api::Linkage l{"L" + random_hex(12), h.ref, rfc3339_jst(centre.now() + std::chrono::minutes(30))};
  Statement(centre.db,
            "INSERT INTO linkages(id, holder_ref, submitted_at, portal_available_from, "
            "certificate_serial, document, signature, certificate, terminal) "
            "VALUES(?,?,?,?,?,?,?,?,?)")
      .bind(1, l.linkage_id)
      .bind(2, h.ref)
      .bind(3, rfc3339_jst(centre.now()))
      .bind(4, l.portal_available_from)
      .bind(5, serial)
      .bind(6, q.document)
      .bind(7, q.signature)
      .bind(8, q.certificate)
      .bind(9, terminal)
      .run();
  return json_reply(l, 201);
}

}  // namespace mk::center::sim
