#pragma once

// The centre API (docs/center-api.md) as typed calls over CenterClient: one method per resource,
// the wire types of center/api. Every write carries the caller's idempotency key — the caller
// owns it, so that a retry after a crash (the outbox) reuses the same key and the centre does
// the work once. Blocking: call from a worker thread, never the UI's.
//
// Errors: CenterError from the transport and the centre's envelope; a 2xx body that does not
// match the API is CenterError(malformed_reply) naming the field.

#include <optional>
#include <string>

#include "center/api/wire.hpp"
#include "center/client/center_client.hpp"

namespace mk::center::client {

class CenterApi {
 public:
  explicit CenterApi(CenterClient& link) : link_(link) {}

  api::Health health();
  api::KioskInfo kiosk();
  // nullopt: unchanged since `cached_version` (304).
  std::optional<api::ReferenceData> reference(const std::optional<std::string>& cached_version);

  api::LicenseRecordView lookup_holder(const api::HolderLookupRequest& request,
                                       const std::string& idempotency_key);
  api::LicenseRecordView lookup_history(const api::HistoryLookupRequest& request,
                                        const std::string& idempotency_key);
  // A Myna-only holder named by their My Number card: a challenge, then the card's signature.
  api::AuthChallenge auth_challenge(const std::string& idempotency_key);
  api::LicenseRecordView lookup_by_card(const api::CardLookupRequest& request,
                                        const std::string& idempotency_key);
  // Which card holds the record of this licence (R-LOST): the read-back's question.
  api::CardStatus card_status(const api::CardStatusRequest& request,
                              const std::string& idempotency_key);
  api::HoldingFormChange change_holding_form(const std::string& holder_ref,
                                             const api::HoldingFormRequest& request,
                                             const std::string& idempotency_key);

  // What the counter's renewal means for the card (R-RENEW-REWRITE, R-VIA).
  api::RenewalOffer renewal_offer(const std::string& holder_ref,
                                  const std::string& idempotency_key);

  // What the holder may ask about themselves: consent, linkage, the lecture rule's facts.
  api::HolderStatus holder_status(const std::string& holder_ref,
                                  const std::string& idempotency_key);

  api::IssuerSession open_issuer_session(const api::IssuerSessionRequest& request,
                                         const std::string& idempotency_key);
  api::PhaseCommands open_phase(const std::string& session_id, api::PhaseName phase,
                                const api::PhaseOpenRequest& request,
                                const std::string& idempotency_key);
  api::PhaseVerdict report_phase(const std::string& session_id, api::PhaseName phase,
                                 const api::PhaseAnswersRequest& request,
                                 const std::string& idempotency_key);

  // A nonce for the document a card is about to sign (the one-stop consent).
  api::SigningNonce signing_nonce(const api::SigningNonceRequest& request,
                                  const std::string& idempotency_key);
  api::Consent start_consent(const api::ConsentRequest& request,
                             const std::string& idempotency_key);
  api::Consent cancel_consent(const std::string& holder_ref, const std::string& idempotency_key);
  api::Linkage submit_linkage(const api::SignedSubmission& request,
                              const std::string& idempotency_key);

  api::Appointment appointment(const std::string& number);
  api::Appointment check_in(const std::string& number, const std::string& idempotency_key);
  // The PIN unlock's identity check (card, PIN, face); the appointment "verified" on success.
  api::Appointment appointment_identity(const std::string& number,
                                        const api::AppointmentIdentityRequest& request,
                                        const std::string& idempotency_key);

  // A staff member signs in at the kiosk (the PIN only in the request's body, wiped after); the
  // centre counts a wrong PIN and locks the member after too many (CenterError with
  // staff_sign_in_refused or staff_locked).
  api::StaffMember staff_sign_in(const api::StaffSignInRequest& request,
                                 const std::string& idempotency_key);
  // The verifiers of the staff who may sign in, for the kiosk to check a PIN while the centre is
  // out of reach.
  api::StaffVerifiers staff_verifiers();
  // A person asks for staff at this kiosk; a staff member's sign-in there answers it.
  api::StaffCall raise_staff_call(const api::StaffCallRequest& request,
                                  const std::string& idempotency_key);
  api::StaffCall answer_staff_call(const std::string& call_id, const api::StaffCallAnswer& answer,
                                   const std::string& idempotency_key);

  api::AuditAccepted upload_audit(const api::AuditBatch& batch, const std::string& idempotency_key);

  // A prepared body to a path (what the outbox stores and sends later): the reply's JSON.
  nlohmann::json post(const std::string& path, const std::string& body,
                      const std::string& idempotency_key);

 private:
  template <typename T>
  T reply_as(const Response& response, const char* what);

  CenterClient& link_;
};

// A path segment as the API expects it: only A-Z a-z 0-9 - _ . pass; anything else is refused
// (std::invalid_argument), so a holder reference can never rewrite the path.
std::string path_segment(const std::string& value);

}  // namespace mk::center::client
