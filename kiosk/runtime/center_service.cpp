#include "kiosk/runtime/center_service.hpp"

#include <array>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/rand.h>

#include "base/hex.hpp"
#include "devices/apdu/bytes.hpp"
#include "devices/profile/card_profile.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/one_stop.hpp"
#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

namespace api = center::api;
namespace ops = flows::center_ops;

std::string new_idempotency_key() {
  std::array<uint8_t, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no randomness for an idempotency key");
  }
  return base::to_hex(bytes);
}

namespace {

// The card's answers the relay brought back (lines of hex from the card service).
std::vector<api::Bytes> answers_of(const flows::Fields& fields) {
  auto lines = base::from_hex_lines(flows::field(fields, "answers"));
  if (!lines) {
    throw api::WireError("answers", "is not lines of hex");
  }
  return std::move(*lines);
}

api::PhaseName phase_of(const std::string& name) {
  if (name == "isd") {
    return api::PhaseName::isd;
  }
  if (name == "license_ap") {
    return api::PhaseName::license_ap;
  }
  throw std::invalid_argument("unknown issuer phase");
}

// The class names of the card profile, for the person to read ("普通", not "futsu").
std::string class_name(const std::string& id) {
  for (const auto& c : devices::profile::kLicenseClasses) {
    if (id == c.id) {
      return c.name;
    }
  }
  return id;
}

void next_phase(flows::Fields& f, const api::PhaseStart& next) {
  f["phase"] = std::string(api::to_string(next.phase));
  f["apdus"] = base::to_hex(next.select) + "\n" + base::to_hex(next.initialize_update);
}

flows::Fields consent_fields(const api::Consent& c) {
  return {{"consent_id", c.consent_id},
          {"items", flows::consent_item_list({c.items.address, c.items.name, c.items.birth_date})},
          {"valid_from", c.valid_from},
          {"valid_until", c.valid_until},
          {"renewed", c.renewed ? "1" : "0"}};
}

}  // namespace

api::SignedSubmission signed_submission(const flows::Fields& fields) {
  const auto bytes = [&](const char* name) {
    auto b = base::from_hex_dump(flows::field(fields, name));
    if (!b || b->empty()) {
      throw api::WireError(name, "is not hex");
    }
    return std::move(*b);
  };
  api::SignedSubmission r;
  r.holder_ref = flows::field(fields, "holder_ref");
  r.document = bytes("document");
  r.signature = bytes("signature");
  r.certificate = bytes("certificate");
  return r;
}

api::ConsentRequest consent_request(const flows::Fields& fields) {
  api::ConsentRequest r;
  r.signed_ = signed_submission(fields);
  const auto items = flows::parse_consent_item_list(flows::field(fields, "items"));
  if (!items || !items->any()) {
    throw api::WireError("items", "names no item, or not as a list of item names");
  }
  r.items = {items->address, items->name, items->birth_date};
  return r;
}

CenterService::CenterService(center::client::CenterApi& api, CachedStaffCheck* staff)
    : api_(api), staff_(staff), worker_([this](Job& job) { serve(job); }) {}

CenterService::~CenterService() {
  stop();
}

void CenterService::stop() {
  worker_.stop();
}

void CenterService::submit(flows::CenterRequest request, Post post) {
  worker_.post({std::move(request), std::move(post)});
}

void CenterService::serve(Job& job) {
  flows::Event answer = run(job.request);
  job.request.pin.clear();
  flows::wipe(job.request.blob);
  job.post(std::move(answer));
}

flows::Event CenterService::run(flows::CenterRequest& request) {
  const std::string& op = request.op;
  const flows::Fields& a = request.args;
  try {
    const std::string key =
        request.idempotency_key.empty() ? new_idempotency_key() : request.idempotency_key;
    flows::Fields f;
    if (op == ops::kStaffSignIn) {
      return staff_sign_in(request, key);
    }
    if (op == ops::kStaffCall) {
      f["call_id"] = api_.raise_staff_call({flows::field(a, "screen")}, key).call_id;
      return flows::Event::center(op, "ok", std::move(f));
    }
    if (op == ops::kStaffCallAnswer) {
      api_.answer_staff_call(flows::field(a, "call_id"), {flows::field(a, "staff_id")}, key);
      return flows::Event::center(op, "ok");
    }
    if (op == ops::kAuthChallenge) {
      f["challenge"] = base::to_hex(api_.auth_challenge(key).challenge);
      return flows::Event::center(op, "ok", std::move(f));
    }
    if (op == ops::kLookupHolder || op == ops::kLookupHistory || op == ops::kLookupByCard) {
      const auto bytes = [&](const char* name) {
        return base::from_hex_dump(flows::field(a, name)).value_or(devices::Bytes{});
      };
      const api::LicenseRecordView r =
          op == ops::kLookupByCard
              ? api_.lookup_by_card({flows::field(a, "birth_date"), flows::field(a, "name"),
                                     flows::field(a, "address"), flows::field(a, "card_id"),
                                     bytes("challenge"), bytes("certificate"), bytes("signature")},
                                    key)
          : op == ops::kLookupHistory
              ? api_.lookup_history({flows::field(a, "birth_date"), flows::field(a, "name"),
                                     flows::field(a, "address"), flows::field(a, "card_id")},
                                    key)
              : api_.lookup_holder({flows::field(a, "license_number"),
                                    flows::field(a, "birth_date"), flows::field(a, "name"),
                                    flows::field(a, "address"), flows::field(a, "card_id")},
                                   key);
      f["holder_ref"] = r.holder_ref;
      f["kind"] = r.kind;
      f["license_number"] = r.license_number;
      f["expiry"] = r.expiry;
      f["color"] = r.color;
      f["commission"] = r.commission;
      f["conditions"] = flows::join_list(r.conditions);
      std::vector<std::string> classes;
      for (const auto& c : r.classes) {
        classes.push_back(class_name(c.name) + " " + c.date);
      }
      f["classes"] = flows::join_list(classes);
      f["holding_form"] = std::string(api::to_string(r.holding_form));
      f["license_ap_recorded"] = r.license_ap_recorded ? "1" : "0";
      f["at_home_centre"] = r.at_home_centre ? "1" : "0";
      f["address_changed"] = r.address_changed ? "1" : "0";
      f["card_expiry"] = r.card_expiry;
      f["record_card"] = r.record_card;
      flows::Event e = flows::Event::center(op, "ok", std::move(f));
      e.blob = r.photo_j2k;
      return e;
    }
    if (op == ops::kSigningNonce) {
      const api::SigningNonce n = api_.signing_nonce({flows::field(a, "purpose")}, key);
      f["nonce"] = base::to_hex(n.nonce);
      f["issued_at"] = n.issued_at;
      return flows::Event::center(op, "ok", std::move(f));
    }
    if (op == ops::kStartConsent) {
      return flows::Event::center(op, "ok",
                                  consent_fields(api_.start_consent(consent_request(a), key)));
    }
    if (op == ops::kSubmitLinkage) {
      const api::Linkage l = api_.submit_linkage(signed_submission(a), key);
      f["linkage_id"] = l.linkage_id;
      f["portal_available_from"] = l.portal_available_from;
      return flows::Event::center(op, "ok", std::move(f));
    }
    if (op == ops::kCancelConsent) {
      return flows::Event::center(
          op, "ok", consent_fields(api_.cancel_consent(flows::field(a, "holder_ref"), key)));
    }
    if (op == ops::kHolderStatus) {
      const api::HolderStatus s = api_.holder_status(flows::field(a, "holder_ref"), key);
      f["as_of"] = s.as_of;
      f["holding_form"] = std::string(api::to_string(s.holding_form));
      f["category"] = s.category;
      f["birth_date"] = s.birth_date;
      f["expiry"] = s.expiry;
      f["suspended"] = s.suspended ? "1" : "0";
      f["consent_status"] = s.consent ? s.consent->status : "";
      f["consent_items"] = s.consent ? consent_fields(*s.consent)["items"] : "";
      f["consent_valid_until"] = s.consent ? s.consent->valid_until : "";
      f["linkage_available_from"] = s.linkage ? s.linkage->portal_available_from : "";
      return flows::Event::center(op, "ok", std::move(f));
    }
    if (op == ops::kCardStatus) {
      const api::CardStatus c =
          api_.card_status({flows::field(a, "license_number"), flows::field(a, "card_id")}, key);
      f["record_card"] = c.record_card;
      return flows::Event::center(op, "ok", std::move(f));
    }
    if (op == ops::kRenewalOffer) {
      const api::RenewalOffer o = api_.renewal_offer(flows::field(a, "holder_ref"), key);
      f["current_expiry"] = o.current_expiry;
      f["new_expiry"] = o.new_expiry;
      f["color"] = o.color;
      f["category"] = o.category;
      f["conditions"] = flows::join_list(o.conditions);
      f["birth_date"] = o.birth_date;
      f["relapsed_at_last_renewal"] = o.relapsed_at_last_renewal ? "1" : "0";
      f["via"] = o.via ? "1" : "0";
      f["holding_form"] = std::string(api::to_string(o.holding_form));
      return flows::Event::center(op, "ok", std::move(f));
    }
    if (op == ops::kIssuerOpen) {
      api::IssuerSessionRequest r;
      const std::string operation = flows::field(a, "operation");
      r.operation = operation == "delete"      ? api::IssuerOperation::erase
                    : operation == "reset_pin" ? api::IssuerOperation::reset_pin
                    : operation == "rewrite"   ? api::IssuerOperation::rewrite
                                               : api::IssuerOperation::record;
      r.holder_ref = flows::field(a, "holder_ref");
      r.resume = flows::field(a, "resume") == "1";
      r.replace_card = flows::field(a, "replace_card") == "1";
      r.card_id = flows::field(a, "card_id");
      const std::string form = flows::field(a, "holding_form");
      if (form == "myna_only") {
        r.holding_form = api::HoldingForm::myna_only;
      } else if (form == "both") {
        r.holding_form = api::HoldingForm::both;
      }
      if (!request.pin.empty()) {
        r.new_pin = base::SecretBytes(request.pin.reveal());
      }
      request.pin.clear();
      const api::IssuerSession s = api_.open_issuer_session(r, key);
      f["session"] = s.session_id;
      next_phase(f, s.next);
      return flows::Event::center(op, "ok", std::move(f));
    }
    if (op == ops::kIssuerPhaseOpen) {
      const api::PhaseCommands c =
          api_.open_phase(flows::field(a, "session"), phase_of(flows::field(a, "phase")),
                          {api::from_hex(flows::field(a, "answer"), "answer")}, key);
      f["apdus"] = base::to_hex_lines(c.commands);
      return flows::Event::center(op, "ok", std::move(f));
    }
    if (op == ops::kIssuerPhaseAnswers) {
      const api::PhaseVerdict v = api_.report_phase(
          flows::field(a, "session"), phase_of(flows::field(a, "phase")), {answers_of(a)}, key);
      if (!v.complete) {
        // Which command the card refused, and how: for the log (no personal data in either).
        logger("center")->warn("issuer phase {}: {} command(s) accepted, then status {:04X}",
                               flows::field(a, "phase"), v.accepted, v.status);
      }
      f["complete"] = v.complete ? "1" : "0";
      f["done"] = v.done ? "1" : "0";
      f["status"] = fmt::format("{:04X}", v.status);
      if (v.next) {
        next_phase(f, *v.next);
      }
      return flows::Event::center(op, "ok", std::move(f));
    }
    if (op == ops::kAppointmentCheckIn || op == ops::kAppointmentIdentity ||
        op == ops::kAppointment) {
      const std::string number = flows::field(a, "number");
      api::Appointment appointment;
      if (op == ops::kAppointment) {
        appointment = api_.appointment(number);
      } else if (op == ops::kAppointmentCheckIn) {
        appointment = api_.check_in(number, key);
      } else {
        const auto bytes = [&](const char* name) {
          return base::from_hex_dump(flows::field(a, name)).value_or(devices::Bytes{});
        };
        api::AppointmentIdentityRequest q{flows::field(a, "card_id"), bytes("challenge"),
                                          bytes("certificate"), bytes("signature"),
                                          std::move(request.blob)};
        try {
          appointment = api_.appointment_identity(number, q, key);
        } catch (...) {
          flows::wipe(q.photo);  // the photo goes nowhere else
          throw;
        }
        flows::wipe(q.photo);
      }
      f["number"] = appointment.number;
      f["kind"] = appointment.kind;
      if (op != ops::kAppointment) {  // who it is for is said once the appointment is checked in
        f["holder_ref"] = appointment.holder_ref;
      }
      f["slot_start"] = appointment.slot_start;
      f["slot_end"] = appointment.slot_end;
      f["status"] = appointment.status;
      return flows::Event::center(op, "ok", std::move(f));
    }
    logger("center")->error("unknown centre operation {}", op);
    return flows::Event::center(op, "error");
  } catch (const center::client::CenterError& e) {
    logger("center")->warn("{}: {}", op, e.what());
    if (e.kind == center::client::CenterErrorKind::http_rejected && !e.code.empty()) {
      return flows::Event::center(op, e.code);
    }
    return flows::Event::center(op, ops::kUnavailable);
  } catch (const std::exception& e) {
    // A card answer that is not hex, an unknown phase: a bug or a hostile card, not the centre.
    logger("center")->error("{}: {}", op, e.what());
    return flows::Event::center(op, "error");
  }
}

flows::Event CenterService::staff_sign_in(flows::CenterRequest& request, const std::string& key) {
  const std::string staff_id = flows::field(request.args, "staff_id");
  try {
    api::StaffSignInRequest q{staff_id, base::SecretBytes(request.pin.reveal())};
    const api::StaffMember m = api_.staff_sign_in(q, key);
    if (staff_ != nullptr) {
      staff_->signed_in_at_center(staff_id);
    }
    return flows::Event::center(
        ops::kStaffSignIn, "ok",
        {{"staff_id", m.staff_id}, {"role", m.role}, {"checked_by", "center"}});
  } catch (const center::client::CenterError& e) {
    // The centre's own refusal (a 4xx) is its last word; anything else (no answer, a 5xx,
    // garbage, a reply from an impostor) is a centre out of reach, and the kiosk's copy of its
    // verifiers checks the PIN instead.
    const bool answered =
        e.kind == center::client::CenterErrorKind::http_rejected && e.http_status < 500;
    if (answered || staff_ == nullptr) {
      throw;
    }
    logger("center")->warn("{}: {}; checked against this kiosk's copy", ops::kStaffSignIn,
                           e.what());
    return staff_->check(staff_id, request.pin);
  }
}

}  // namespace mk::kiosk
