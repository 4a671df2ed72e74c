#pragma once

// The centre calls a flow may ask for (CenterRequest::op) and the fields of their answers. The
// runtime in kiosk/ maps each to the centre API (docs/center-api.md) through center/client.
// Outcomes: "ok", the centre's error code (holder_not_found, card_cryptogram_invalid, ...), or
// "unavailable" when the centre cannot be reached.

namespace mk::flows::center_ops {

// args: license_number, birth_date, name, address, card_id (the card in hand; may be empty). ok
// fields: record_card (as kCardStatus's, "unknown" without a card_id), holder_ref, license_number,
// expiry, color, commission, conditions ("、"), classes ("、"), holding_form, license_ap_recorded
// ("0"/"1"), at_home_centre ("0"/"1": elsewhere only 経由申請), kind ("license"/"history":
// R-HISTORY), address_changed ("0"/"1": the card's address is not the record's), card_expiry (the
// My Number card's last day, YYYY-MM-DD, "" when unknown: R-CARD-EXPIRY); blob: the photo (JPEG
// 2000).
inline constexpr const char* kLookupHolder = "lookup_holder";

// マイナ経歴証明書 (R-HISTORY): someone who returned the licence, by the basic 4 info alone. args:
// birth_date, name, address. ok fields as lookup_holder (license_number: the history number).
inline constexpr const char* kLookupHistory = "lookup_history";

// A Myna-only holder named by the My Number card (no plastic licence to read): a challenge for the
// card to sign. ok fields: challenge (hex).
inline constexpr const char* kAuthChallenge = "auth_challenge";

// args: birth_date, name, address, card_id, challenge, certificate, signature (hex). ok fields as
// lookup_holder's.
inline constexpr const char* kLookupByCard = "lookup_by_card";

// R-LOST: which card holds the record of a licence. args: license_number, card_id. ok fields:
// record_card ("this", "another": the record moved to a card that replaced this one, "none").
inline constexpr const char* kCardStatus = "card_status";

// What the counter's renewal means for the card (only one the counter completed). args:
// holder_ref. ok fields: current_expiry, new_expiry, color (the renewed band), category (the
// driver category, for R-VIA only: 優良/一般/違反/初回更新), conditions ("、"), birth_date,
// relapsed_at_last_renewal ("0"/"1"), via
// ("0"/"1": this centre is not the holder's home: 経由申請), holding_form. not_eligible: nothing
// is recorded on a card.
inline constexpr const char* kRenewalOffer = "renewal_offer";

// Opens an issuer session. args: holder_ref, operation ("record"/"delete"/"reset_pin"/"rewrite"),
// resume
// ("0"/"1"), holding_form (record: "both"/"myna_only", applied by the centre when the write
// completes), replace_card (record: "1" for a card that replaced a lost one); pin: the new
// licence PIN. ok fields: session, phase, apdus (the plain SELECT and
// INITIALIZE UPDATE to relay, hex lines).
inline constexpr const char* kIssuerOpen = "issuer_open";

// args: session, phase, answer (the INITIALIZE UPDATE answer, hex). ok fields: apdus (the
// wrapped commands, hex lines).
inline constexpr const char* kIssuerPhaseOpen = "issuer_phase_open";

// args: session, phase, answers (hex lines). ok fields: complete ("0"/"1"), done ("0"/"1"),
// status, and when another phase follows: phase, apdus.
inline constexpr const char* kIssuerPhaseAnswers = "issuer_phase_answers";

// A nonce for the one document the card is about to sign. args: purpose ("onestop_consent",
// "portal_linkage"). ok fields: nonce (hex), issued_at (RFC 3339: the document's time).
inline constexpr const char* kSigningNonce = "signing_nonce";

// R-OS-STEPS ③: the signed consent. args: holder_ref, items (chosen item names, space
// separated), document, signature, certificate (hex). The flow's idempotency key: the same
// submission through the outbox when the centre is out of reach is the same request. ok fields:
// consent_id, items, valid_from, valid_until (YYYY-MM-DD), renewed ("0"/"1").
inline constexpr const char* kStartConsent = "start_consent";

// R-OS-CANCEL. args: holder_ref. ok fields as start_consent's. consent_not_found: none active.
inline constexpr const char* kCancelConsent = "cancel_consent";

// R-PL-STEPS ①: the signed linkage request. args: holder_ref, document, signature, certificate
// (hex); the flow's idempotency key, as start_consent's. ok fields: linkage_id,
// portal_available_from (RFC 3339: when the portal step may start, R-PL-WAIT).
inline constexpr const char* kSubmitLinkage = "submit_linkage";

// What the holder may ask about themselves. args: holder_ref. ok fields: as_of (RFC 3339),
// holding_form, category, birth_date, expiry (YYYY-MM-DD; "" for a マイナ経歴証明書), suspended
// ("0"/"1"); consent_status ("active", "cancelled" or "" for none), consent_items,
// consent_valid_until; linkage_available_from (RFC 3339, "" for none).
inline constexpr const char* kHolderStatus = "holder_status";

// The after-hours PIN unlock (R-LIC-PIN-LOCK): the appointment checked in at this kiosk. args:
// number. ok fields: number, holder_ref, slot_start, slot_end (RFC 3339), status. Refusals:
// appointment_not_found, appointment_not_today, appointment_outside_window, appointment_used,
// appointment_locked, appointment_checked_in (at another kiosk).
inline constexpr const char* kAppointmentCheckIn = "appointment_check_in";

// An appointment as booked, without checking it in (its slot, to say when to come). args: number.
// ok fields: number, kind, slot_start, slot_end, status.
inline constexpr const char* kAppointment = "appointment";

// Who is there for it: args number, card_id, challenge (kAuthChallenge's), certificate, signature
// (hex: the card's authentication key signed the challenge); blob: the photo taken now (JPEG). ok
// fields: status ("verified"). Refusals: appointment_holder_mismatch, face_mismatch,
// signature_invalid (each counts), face_not_found (no face: take it again), appointment_locked
// (the last allowed failure), certificate_expired / certificate_revoked, and check_in's.
inline constexpr const char* kAppointmentIdentity = "appointment_identity";

// A staff member signs in (issue 12). args: staff_id; pin: the staff PIN. ok fields: staff_id,
// role ("staff"/"supervisor"), checked_by ("center", or "kiosk": the centre could not be reached
// and the kiosk's copy of its verifiers said yes). Refusals: staff_sign_in_refused (no such
// member or a wrong PIN, not told apart), staff_locked; "unavailable" only when neither the centre
// nor a copy could check it.
inline constexpr const char* kStaffSignIn = "staff_sign_in";

// A person at the kiosk calls staff (issue 12 §2). args: screen (the screen id they are on). ok
// fields: call_id.
inline constexpr const char* kStaffCall = "staff_call";
// A staff member signed in at the kiosk answers the open call. args: call_id, staff_id. ok; or
// call_not_found.
inline constexpr const char* kStaffCallAnswer = "staff_call_answer";

inline constexpr const char* kUnavailable = "unavailable";

}  // namespace mk::flows::center_ops
