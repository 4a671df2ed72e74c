#include "flows/identify/card_signing.hpp"

#include <span>

#include "base/hex.hpp"
#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/identify/card_identification.hpp"
#include "flows/rules/pin_tries.hpp"
#include "flows/rules/signing_certificate.hpp"

namespace mk::flows {

namespace {

namespace st {
using namespace signing_state;
using namespace identify_state;
using namespace ends;
}  // namespace st

std::string to_hex(const std::string& bytes) {
  return base::to_hex(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace

void CardSigning::declare(FlowDefinition& d, const Setup& setup) {
  // After the person is identified, a card taken off starts again from the card: the signing
  // must be done by the card that was identified, and a card put back could be another one.
  // id, card removed, cancel, idle, final, note, diagnostic code
  std::vector<StateSpec> states = {
      {st::sign_blocked, st::sign_blocked, st::finished, st::finished, false, "R-OS-PIN-LOCK",
       "MK-PIN-LOCKED-JPKI"},
      {kFirst, st::card_pulled, st::cancelled, st::cancelled, false, "the centre's nonce"},
      {st::nonce_unavailable, st::card_pulled, st::cancelled, st::cancelled, false, "",
       "MK-CENTER-UNREACHABLE"},
      {st::sign_notice, st::card_pulled, st::cancelled, st::cancelled, false, "R-OS-PIN-LOCK"},
      {st::sign_last_try, st::card_pulled, st::cancelled, st::cancelled, false, "one try left"},
      {st::sign_pin, st::card_pulled, st::cancelled, st::cancelled, false, "6–16 A–Z 0–9"},
      {st::signing, st::card_pulled, st::signing, st::signing, false, ""},
      {st::cert_expired, st::cert_expired, st::finished, st::finished, false, "R-CERT-EXPIRY",
       "MK-CERT-NOT-VALID"},
  };
  std::vector<Transition> transitions = {
      {CardIdentification::kFirst, "signing_pin_locked", st::sign_blocked},  // check_probe
      {kFirst, "center:signing_nonce=ok", st::sign_notice},
      {kFirst, "no_nonce", st::nonce_unavailable},
      {st::nonce_unavailable, "tap:retry", kFirst},
      {st::sign_notice, "tries_left", st::sign_pin},
      {st::sign_notice, "one_try_left", st::sign_last_try},
      {st::sign_notice, "pin_locked", st::sign_blocked},  // a count the probe could not read
      {st::sign_last_try, "tap:continue", st::sign_pin},
      {st::sign_pin, "pin_sent", st::signing},
      {st::sign_pin, "pin_format", st::sign_pin},  // not a signing PIN: nothing sent
      {st::signing, "signed", setup.next},
      {st::signing, "cert_expired", st::cert_expired},  // on the card's own dates: nothing sent
      {st::signing, "wrong_pin", st::sign_pin},
      {st::signing, "wrong_pin_one_left", st::sign_last_try},
      {st::signing, "pin_locked", st::sign_blocked},
      {st::signing, "unreadable", st::card_error},
      {st::sign_blocked, "tap:done", st::finished},
      {st::cert_expired, "tap:done", st::finished},
  };
  if (setup.same_day_matters) {
    states.push_back(
        {st::same_day, st::same_day, st::finished, st::finished, false, "R-OS-SAME-DAY"});
    transitions.push_back({st::signing, "cert_issued_today", st::same_day});
    transitions.push_back({st::same_day, "tap:done", st::finished});
  }
  d.states.insert(d.states.end(), states.begin(), states.end());
  d.transitions.insert(d.transitions.end(), transitions.begin(), transitions.end());
}

void CardSigning::declare_refusals(FlowDefinition& d, const Setup& setup, StateId submitting) {
  const std::vector<Transition> transitions = {
      {submitting, "center_away", st::queuing},  // the outbox sends the same request later
      {submitting, "cert_revoked", st::cert_revoked},
      {submitting, "cert_expired", st::cert_expired},
      {submitting, "not_eligible", st::not_eligible},
      {submitting, "refused", st::submit_failed},
  };
  d.transitions.insert(d.transitions.end(), transitions.begin(), transitions.end());
  if (setup.same_day_matters) {
    d.transitions.push_back({submitting, "cert_issued_today", st::same_day});
  }
}

CardSigning::CardSigning(Setup setup, CivilDate today,
                         std::function<Effects(const std::string&)> show, Document document)
    : setup_(std::move(setup)),
      show_(std::move(show)),
      make_document_(std::move(document)),
      today_(today) {}

void CardSigning::add_behaviours(std::map<std::string, StateBehaviour>& b) {
  const auto screen = [this](StateId id) {
    return [this, id] { return show_(screen_of(setup_.prefix, id)); };
  };
  for (const StateId id : {st::sign_blocked, st::nonce_unavailable, st::sign_notice,
                           st::sign_last_try, st::sign_pin, st::signing, st::cert_expired}) {
    b[id].enter = screen(id);
  }
  if (setup_.same_day_matters) {
    b[st::same_day].enter = screen(st::same_day);
  }
  b[kFirst] = {
      [this] {
        Effects e = show_(screen_of(setup_.prefix, kFirst));
        e.emplace_back(
            CenterRequest{center_ops::kSigningNonce, {{"purpose", setup_.nonce_purpose}}, {}, {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_nonce(e) : Step{}; }};
  b[st::sign_notice].handle = [this](Event& e) -> Step {
    if (e.label() != "tap:next") {
      return {};
    }
    switch (tries_left(tries_)) {
      case TriesLeft::none:
        return {"pin_locked", {}};
      case TriesLeft::last:
        return {"one_try_left", {}};  // R-OS-PIN-LOCK: a screen of its own before the pad
      case TriesLeft::some:
        break;
    }
    return {"tries_left", {}};
  };
  b[st::sign_pin].handle = [this](Event& e) { return pin_entered(e); };
  b[st::signing].handle = [this](Event& e) -> Step {
    return e.kind == EventKind::card ? after_signing(e) : Step{};
  };
}

std::string CardSigning::check_probe(const Fields& probe) {
  tries_ = count_field(probe, "sign_tries", kSignPinTries);
  if (tries_ < 0) {
    tries_ = kSignPinTries;
    return {};
  }
  return tries_left(tries_) == TriesLeft::none ? "signing_pin_locked" : "";
}

Step CardSigning::after_nonce(Event& e) {
  nonce_hex_ = field(e.fields, "nonce");
  issued_at_ = field(e.fields, "issued_at");
  if (e.outcome != "ok" || nonce_hex_.size() < 32 || issued_at_.empty()) {
    return {"no_nonce", {}};
  }
  return {};  // the table's edge for a nonce issued
}

Step CardSigning::pin_entered(Event& e) {
  if (e.label() != "tap:pin") {
    return {};
  }
  if (check_sign_pin_format(e.secret.reveal()) != SignPinProblem::none) {
    problem_ = setup_.prefix + ".sign_pin_format";  // cannot be the PIN: no try spent
    return {"pin_format", {}};
  }
  problem_.clear();
  document_ = make_document_(nonce_hex_, issued_at_);
  Effects effects;
  effects.emplace_back(
      CardRequest{card_ops::kJpkiSign, {{"document", to_hex(document_)}}, std::move(e.secret)});
  return {"pin_sent", std::move(effects)};
}

Step CardSigning::after_signing(Event& e) {
  if (e.outcome == card_ops::kWrongPin) {
    tries_ = count_field(e.fields, "tries", kSignPinTries);
    problem_ = setup_.prefix + ".sign_pin_wrong";
    switch (tries_left(tries_)) {
      case TriesLeft::none:
        return {"pin_locked", {}};
      case TriesLeft::last:
        return {"wrong_pin_one_left", {}};
      case TriesLeft::some:
        break;
    }
    return {"wrong_pin", {}};
  }
  if (e.outcome == card_ops::kBlocked) {
    tries_ = 0;
    return {"pin_locked", {}};
  }
  if (e.outcome != card_ops::kOk) {
    return {"unreadable", {}};
  }
  const auto not_before = parse_iso_date(field(e.fields, "not_before"));
  const auto not_after = parse_iso_date(field(e.fields, "not_after"));
  if (!not_before || !not_after || field(e.fields, "signature").empty() ||
      field(e.fields, "certificate").empty()) {
    return {"unreadable", {}};
  }
  switch (signing_certificate_standing(*not_before, *not_after, today_, setup_.same_day_matters)) {
    case CertificateStanding::issued_today:
      return {"cert_issued_today", {}};  // R-OS-SAME-DAY: nothing is sent today
    case CertificateStanding::expired:
    case CertificateStanding::not_yet_valid:
      return {"cert_expired", {}};
    case CertificateStanding::valid:
      break;
  }
  signed_ = {{"document", to_hex(document_)},
             {"certificate", field(e.fields, "certificate")},
             {"signature", field(e.fields, "signature")}};
  return {"signed", {}};
}

std::string CardSigning::after_refusal(const std::string& outcome) const {
  if (outcome == center_ops::kUnavailable || outcome == "internal") {
    return "center_away";
  }
  if (outcome == "certificate_revoked") {
    return "cert_revoked";
  }
  if (outcome == "certificate_expired") {
    return "cert_expired";
  }
  if (outcome == "certificate_issued_today" && setup_.same_day_matters) {
    return "cert_issued_today";
  }
  return outcome == "not_eligible" ? "not_eligible" : "refused";
}

Fields CardSigning::signed_document() const {
  return signed_;
}

bool CardSigning::screen(ViewModel& vm, const std::string& state) const {
  if (state != st::sign_notice && state != st::sign_last_try && state != st::sign_pin) {
    return false;
  }
  const auto action = [&](const char* id, const std::string& key, ActionStyle style) {
    vm.actions.push_back({id, {key, {}}, style, true, {}});
  };
  vm.texts["tries"] = {setup_.prefix + ".sign_tries_left", {{"tries", std::to_string(tries_)}}};
  action("cancel", "common.cancel", ActionStyle::back);
  if (state == st::sign_pin) {
    vm.kind = ScreenKind::pin_entry;
    vm.pin_pad = PinPadView{.submit_action = "pin",
                            .min_length = kSignPinMinLength,
                            .max_length = kSignPinMaxLength,
                            .alphanumeric = true};
    if (!problem_.empty()) {
      vm.texts["problem"] = {problem_, {}};
    }
  } else if (state == st::sign_last_try) {
    vm.kind = ScreenKind::error;  // a warning to read before going on
    action("continue", setup_.prefix + ".continue", ActionStyle::primary);
  } else {
    action("next", "common.next", ActionStyle::primary);
  }
  return true;
}

void CardSigning::wipe() {
  tries_ = 0;
  problem_.clear();
  flows::wipe(nonce_hex_);
  flows::wipe(issued_at_);
  flows::wipe(document_);
  flows::wipe(signed_);
}

}  // namespace mk::flows
