#include "center/client/center_api.hpp"

#include <stdexcept>

#include <openssl/crypto.h>

namespace mk::center::client {

std::string path_segment(const std::string& value) {
  if (value.empty() || value.size() > 128) {
    throw std::invalid_argument("a path segment must be 1 to 128 characters");
  }
  for (const char c : value) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) {
      throw std::invalid_argument("a path segment may hold only A-Z a-z 0-9 - _ .");
    }
  }
  return value;
}

template <typename T>
T CenterApi::reply_as(const Response& response, const char* what) {
  try {
    return response.body.get<T>();
  } catch (const api::WireError& e) {
    throw CenterError(
        CenterErrorKind::malformed_reply,
        std::string(what) + ": the reply does not match the API at '" + e.field() + "'",
        response.http_status, {}, false, response.attempts);
  } catch (const nlohmann::json::exception& e) {
    throw CenterError(CenterErrorKind::malformed_reply,
                      std::string(what) + ": the reply does not match the API (" + e.what() + ")",
                      response.http_status, {}, false, response.attempts);
  }
}

namespace {

// Built in place and returned by move: a copy of a request body (which may hold a new PIN)
// would be freed unwiped.
Request post_json(const std::string& path, const api::Json& body, const std::string& key) {
  Request request = Request::post(path, body.dump());
  request.with_idempotency_key(key);
  return request;
}

}  // namespace

api::Health CenterApi::health() {
  return reply_as<api::Health>(link_.call(Request::get("/v1/health")), "health");
}

api::KioskInfo CenterApi::kiosk() {
  return reply_as<api::KioskInfo>(link_.call(Request::get("/v1/kiosk")), "kiosk");
}

std::optional<api::ReferenceData> CenterApi::reference(
    const std::optional<std::string>& cached_version) {
  Request request = Request::get("/v1/reference");
  if (cached_version) {
    request.with_header("If-None-Match", "\"" + *cached_version + "\"");
  }
  const Response response = link_.call(std::move(request));
  if (response.http_status == 304) {
    return std::nullopt;
  }
  return reply_as<api::ReferenceData>(response, "reference");
}

api::LicenseRecordView CenterApi::lookup_holder(const api::HolderLookupRequest& request,
                                                const std::string& idempotency_key) {
  return reply_as<api::LicenseRecordView>(
      link_.call(post_json("/v1/holders/lookup", request, idempotency_key)), "lookup");
}

api::LicenseRecordView CenterApi::lookup_history(const api::HistoryLookupRequest& request,
                                                 const std::string& idempotency_key) {
  return reply_as<api::LicenseRecordView>(
      link_.call(post_json("/v1/history/lookup", request, idempotency_key)), "history lookup");
}

api::AuthChallenge CenterApi::auth_challenge(const std::string& idempotency_key) {
  return reply_as<api::AuthChallenge>(
      link_.call(post_json("/v1/auth/challenges", api::Json::object(), idempotency_key)),
      "auth challenge");
}

api::SigningNonce CenterApi::signing_nonce(const api::SigningNonceRequest& request,
                                           const std::string& idempotency_key) {
  return reply_as<api::SigningNonce>(
      link_.call(post_json("/v1/signing/nonces", request, idempotency_key)), "signing nonce");
}

api::LicenseRecordView CenterApi::lookup_by_card(const api::CardLookupRequest& request,
                                                 const std::string& idempotency_key) {
  return reply_as<api::LicenseRecordView>(
      link_.call(post_json("/v1/holders/lookup-by-card", request, idempotency_key)),
      "lookup by card");
}

api::CardStatus CenterApi::card_status(const api::CardStatusRequest& request,
                                       const std::string& idempotency_key) {
  return reply_as<api::CardStatus>(
      link_.call(post_json("/v1/cards/status", request, idempotency_key)), "card status");
}

api::HoldingFormChange CenterApi::change_holding_form(const std::string& holder_ref,
                                                      const api::HoldingFormRequest& request,
                                                      const std::string& idempotency_key) {
  return reply_as<api::HoldingFormChange>(
      link_.call(post_json("/v1/holders/" + path_segment(holder_ref) + "/holding-form", request,
                           idempotency_key)),
      "holding form");
}

api::HolderStatus CenterApi::holder_status(const std::string& holder_ref,
                                           const std::string& idempotency_key) {
  return reply_as<api::HolderStatus>(
      link_.call(post_json("/v1/holders/" + path_segment(holder_ref) + "/status",
                           api::Json::object(), idempotency_key)),
      "status");
}

api::RenewalOffer CenterApi::renewal_offer(const std::string& holder_ref,
                                           const std::string& idempotency_key) {
  return reply_as<api::RenewalOffer>(
      link_.call(post_json("/v1/holders/" + path_segment(holder_ref) + "/renewal",
                           api::Json::object(), idempotency_key)),
      "renewal");
}

api::IssuerSession CenterApi::open_issuer_session(const api::IssuerSessionRequest& request,
                                                  const std::string& idempotency_key) {
  api::Json body = request;
  Request r = post_json("/v1/issuer/sessions", body, idempotency_key);
  // The JSON holds the new PIN: wipe it here; the client wipes the request text when done.
  if (const auto it = body.find("new_pin"); it != body.end() && it->is_string()) {
    auto& pin = it->get_ref<std::string&>();
    OPENSSL_cleanse(pin.data(), pin.size());
  }
  return reply_as<api::IssuerSession>(link_.call(std::move(r)), "issuer session");
}

api::PhaseCommands CenterApi::open_phase(const std::string& session_id, api::PhaseName phase,
                                         const api::PhaseOpenRequest& request,
                                         const std::string& idempotency_key) {
  return reply_as<api::PhaseCommands>(
      link_.call(post_json("/v1/issuer/sessions/" + path_segment(session_id) + "/phases/" +
                               std::string(api::to_string(phase)) + "/open",
                           request, idempotency_key)),
      "phase open");
}

api::PhaseVerdict CenterApi::report_phase(const std::string& session_id, api::PhaseName phase,
                                          const api::PhaseAnswersRequest& request,
                                          const std::string& idempotency_key) {
  return reply_as<api::PhaseVerdict>(
      link_.call(post_json("/v1/issuer/sessions/" + path_segment(session_id) + "/phases/" +
                               std::string(api::to_string(phase)) + "/answers",
                           request, idempotency_key)),
      "phase answers");
}

api::Consent CenterApi::start_consent(const api::ConsentRequest& request,
                                      const std::string& idempotency_key) {
  return reply_as<api::Consent>(
      link_.call(post_json("/v1/onestop/consents", request, idempotency_key)), "consent");
}

api::Consent CenterApi::cancel_consent(const std::string& holder_ref,
                                       const std::string& idempotency_key) {
  return reply_as<api::Consent>(
      link_.call(post_json("/v1/onestop/consents/" + path_segment(holder_ref) + "/cancel",
                           api::Json::object(), idempotency_key)),
      "consent cancel");
}

api::Linkage CenterApi::submit_linkage(const api::SignedSubmission& request,
                                       const std::string& idempotency_key) {
  return reply_as<api::Linkage>(
      link_.call(post_json("/v1/portal/linkages", request, idempotency_key)), "linkage");
}

api::StaffMember CenterApi::staff_sign_in(const api::StaffSignInRequest& request,
                                          const std::string& idempotency_key) {
  api::Json body = request;
  Request r = post_json("/v1/staff/sign-in", body, idempotency_key);
  // The JSON holds the PIN: wipe it here; the client wipes the request text when done.
  if (const auto it = body.find("pin"); it != body.end() && it->is_string()) {
    auto& pin = it->get_ref<std::string&>();
    OPENSSL_cleanse(pin.data(), pin.size());
  }
  return reply_as<api::StaffMember>(link_.call(std::move(r)), "staff sign-in");
}

api::StaffCall CenterApi::raise_staff_call(const api::StaffCallRequest& request,
                                           const std::string& idempotency_key) {
  return reply_as<api::StaffCall>(
      link_.call(post_json("/v1/staff/calls", request, idempotency_key)), "staff call");
}

api::StaffCall CenterApi::answer_staff_call(const std::string& call_id,
                                            const api::StaffCallAnswer& answer,
                                            const std::string& idempotency_key) {
  return reply_as<api::StaffCall>(
      link_.call(post_json("/v1/staff/calls/" + path_segment(call_id) + "/answer", answer,
                           idempotency_key)),
      "staff call answer");
}

api::StaffVerifiers CenterApi::staff_verifiers() {
  return reply_as<api::StaffVerifiers>(link_.call(Request::get("/v1/staff/verifiers")),
                                       "staff verifiers");
}

api::Appointment CenterApi::appointment(const std::string& number) {
  return reply_as<api::Appointment>(
      link_.call(Request::get("/v1/appointments/" + path_segment(number))), "appointment");
}

api::Appointment CenterApi::check_in(const std::string& number,
                                     const std::string& idempotency_key) {
  return reply_as<api::Appointment>(
      link_.call(post_json("/v1/appointments/" + path_segment(number) + "/check-in",
                           api::Json::object(), idempotency_key)),
      "check-in");
}

api::Appointment CenterApi::appointment_identity(const std::string& number,
                                                 const api::AppointmentIdentityRequest& request,
                                                 const std::string& idempotency_key) {
  api::Json body = request;
  Request r =
      post_json("/v1/appointments/" + path_segment(number) + "/identity", body, idempotency_key);
  // The JSON holds the face photo: wipe it here; the client wipes the request text when done.
  if (const auto it = body.find("photo"); it != body.end() && it->is_string()) {
    auto& photo = it->get_ref<std::string&>();
    OPENSSL_cleanse(photo.data(), photo.size());
  }
  return reply_as<api::Appointment>(link_.call(std::move(r)), "identity");
}

api::AuditAccepted CenterApi::upload_audit(const api::AuditBatch& batch,
                                           const std::string& idempotency_key) {
  return reply_as<api::AuditAccepted>(
      link_.call(post_json("/v1/audit/batches", batch, idempotency_key)), "audit upload");
}

nlohmann::json CenterApi::post(const std::string& path, const std::string& body,
                               const std::string& idempotency_key) {
  Request request = Request::post(path, body);
  request.with_idempotency_key(idempotency_key);
  return link_.call(std::move(request)).body;
}

}  // namespace mk::center::client
