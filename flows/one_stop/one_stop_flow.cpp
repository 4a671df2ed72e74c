#include "flows/one_stop/one_stop_flow.hpp"

#include <span>

#include "base/hex.hpp"
#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/pin_tries.hpp"
#include "flows/rules/signing_certificate.hpp"

namespace mk::flows {

namespace {

constexpr const char* kPrefix = "one_stop.";
constexpr int kTermsPages = 3;

std::string to_hex(const std::string& bytes) {
  return base::to_hex(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

// The idempotency key of one consent: its nonce names it, so the request sent now and the same
// request kept in the outbox when the centre is out of reach are one submission at the centre.
std::string consent_key(const std::string& nonce_hex) {
  return "consent-" + nonce_hex.substr(0, 32);
}

}  // namespace

std::vector<TextRef> consent_item_lines(const std::string& item_list) {
  std::vector<TextRef> lines;
  if (const auto items = parse_consent_item_list(item_list)) {
    for (const std::string_view name : kConsentItemNames) {
      if (consent_item(*items, name)) {
        lines.push_back({"one_stop.item." + std::string(name), {}});
      }
    }
  }
  return lines;
}

const FlowDefinition& OneStopFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "one_stop";
    // After the person is identified, a card taken off starts again from the card: the signing
    // must be done by the card that was identified, and a card put back could be another one.
    // id, card removed, cancel, idle, final, note
    d.states = {
        {"sign_blocked", "sign_blocked", "finished", "finished", false, "R-OS-PIN-LOCK"},
        {"looking_up", "looking_up", "cancelled", "cancelled", false, "centre record"},
        {"center_unavailable", "center_unavailable", "cancelled", "cancelled", false, ""},
        {"not_eligible", "not_eligible", "finished", "finished", false, "R-OS-TARGET"},
        {"terms_1", "card_pulled", "cancelled", "cancelled", false, "R-OS-STEPS ①"},
        {"terms_2", "card_pulled", "cancelled", "cancelled", false, ""},
        {"terms_3", "card_pulled", "cancelled", "cancelled", false, "accept only here"},
        {"choose_items", "card_pulled", "cancelled", "cancelled", false,
         "R-OS-STEPS ②, R-OS-UNCONSENTED"},
        {"preparing", "card_pulled", "cancelled", "cancelled", false, "the centre's nonce"},
        {"nonce_unavailable", "card_pulled", "cancelled", "cancelled", false, ""},
        {"sign_notice", "card_pulled", "cancelled", "cancelled", false, "R-OS-PIN-LOCK"},
        {"sign_last_try", "card_pulled", "cancelled", "cancelled", false, "one try left"},
        {"sign_pin", "card_pulled", "cancelled", "cancelled", false, "R-OS-STEPS ③"},
        {"signing", "card_pulled", "signing", "signing", false, ""},
        {"submitting", "submitting", "submitting", "submitting", false, "R-OS-STEPS ④"},
        {"queuing", "queuing", "queuing", "queuing", false, "outbox: not registered yet"},
        {"done", "done", "finished", "finished", false, "R-OS-VALIDITY"},
        {"queued", "queued", "finished", "finished", false, ""},
        {"same_day", "same_day", "finished", "finished", false, "R-OS-SAME-DAY"},
        {"cert_expired", "cert_expired", "finished", "finished", false, "R-CERT-EXPIRY"},
        {"cert_revoked", "cert_revoked", "finished", "finished", false, "R-OS-REFLECT"},
        {"submit_failed", "submit_failed", "finished", "finished", false, "staff"},
        {"commit_failed", "commit_failed", "finished", "finished", false, "staff"},
        {"finished", "", "", "", true, ""},
        {"cancelled", "", "", "", true, ""},
    };
    d.transitions = {
        {CardIdentification::kFirst, "card:probe_mynumber=ok", "sign_blocked"},
        {"looking_up", "center:lookup_holder=ok", "terms_1"},
        {"looking_up", "center:lookup_holder=ok", "not_eligible"},
        {"looking_up", "center:lookup_holder=holder_not_found", "not_eligible"},
        {"looking_up", "center:lookup_holder=holder_mismatch", "not_eligible"},
        {"looking_up", "center:lookup_holder=*", "center_unavailable"},
        {"center_unavailable", "tap:retry", "looking_up"},
        {"terms_1", "tap:next", "terms_2"},
        {"terms_2", "tap:back", "terms_1"},
        {"terms_2", "tap:next", "terms_3"},
        {"terms_3", "tap:back", "terms_2"},
        {"terms_3", "tap:decline", "cancelled"},
        {"terms_3", "tap:accept", "choose_items"},
        {"choose_items", "tap:item:*", "choose_items"},
        {"choose_items", "tap:back", "terms_3"},
        {"choose_items", "tap:next", "preparing"},
        {"choose_items", "tap:next", "choose_items"},  // nothing chosen yet
        {"preparing", "center:signing_nonce=ok", "sign_notice"},
        {"preparing", "center:signing_nonce=*", "nonce_unavailable"},
        {"nonce_unavailable", "tap:retry", "preparing"},
        {"sign_notice", "tap:next", "sign_pin"},
        {"sign_notice", "tap:next", "sign_last_try"},
        {"sign_notice", "tap:next", "sign_blocked"},  // a count the probe could not read
        {"sign_last_try", "tap:continue", "sign_pin"},
        {"sign_pin", "tap:pin", "signing"},
        {"sign_pin", "tap:pin", "sign_pin"},  // not a signing PIN: nothing sent
        {"signing", "card:jpki_sign=ok", "submitting"},
        {"signing", "card:jpki_sign=ok", "same_day"},
        {"signing", "card:jpki_sign=ok", "cert_expired"},
        {"signing", "card:jpki_sign=wrong_pin", "sign_pin"},
        {"signing", "card:jpki_sign=wrong_pin", "sign_last_try"},
        {"signing", "card:jpki_sign=wrong_pin", "sign_blocked"},
        {"signing", "card:jpki_sign=blocked", "sign_blocked"},
        {"signing", "card:jpki_sign=*", "card_error"},
        {"submitting", "center:start_consent=ok", "done"},
        {"submitting", "center:start_consent=unavailable", "queuing"},
        {"submitting", "center:start_consent=internal", "queuing"},
        {"submitting", "center:start_consent=certificate_revoked", "cert_revoked"},
        {"submitting", "center:start_consent=certificate_expired", "cert_expired"},
        {"submitting", "center:start_consent=certificate_issued_today", "same_day"},
        {"submitting", "center:start_consent=not_eligible", "not_eligible"},
        {"submitting", "center:start_consent=*", "submit_failed"},
        {"queuing", "store:outbox=ok", "queued"},
        {"queuing", "store:outbox=*", "commit_failed"},
        {"sign_blocked", "tap:done", "finished"},
        {"not_eligible", "tap:done", "finished"},
        {"done", "tap:done", "finished"},
        {"queued", "tap:done", "finished"},
        {"same_day", "tap:done", "finished"},
        {"cert_expired", "tap:done", "finished"},
        {"cert_revoked", "tap:done", "finished"},
        {"submit_failed", "tap:done", "finished"},
        {"commit_failed", "tap:done", "finished"},
    };
    CardIdentification::declare(d, "looking_up");
    d.validate();
    return d;
  }();
  return def;
}

OneStopFlow::OneStopFlow(Language language, CivilDate today, std::string terminal)
    : language_(language),
      today_(today),
      terminal_(std::move(terminal)),
      ident_(
          "one_stop", "looking_up", [this](const std::string& screen) { return show(screen); },
          false),
      machine_(definition(), behaviours(), [this] { wipe(); }) {
  ident_.check_before_pins([this](const Fields& probe) { return after_probe(probe); });
}

std::map<std::string, StateBehaviour> OneStopFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  const auto screen = [this](const std::string& id) {
    return [this, id] { return show(kPrefix + id); };
  };
  for (const char* id :
       {"sign_blocked", "center_unavailable", "not_eligible", "terms_1", "terms_2", "terms_3",
        "choose_items", "nonce_unavailable", "sign_notice", "sign_last_try", "sign_pin", "done",
        "queued", "same_day", "cert_expired", "cert_revoked", "submit_failed", "commit_failed"}) {
    b[id].enter = screen(id);
  }
  ident_.add_behaviours(b);
  b["looking_up"] = {
      [this] {
        Effects e = show("one_stop.looking_up");
        e.emplace_back(ident_.lookup_request());
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_lookup(e) : Step{}; }};
  b["choose_items"].handle = [this](Event& e) -> Step {
    if (e.kind != EventKind::intent) {
      return {};
    }
    if (e.name.starts_with("item:")) {
      toggle_consent_item(items_, e.name.substr(5));
      return {"choose_items", {}};
    }
    if (e.name == "next") {
      return {items_.any() ? "preparing" : "choose_items", {}};
    }
    return {};
  };
  b["preparing"] = {[this] {
                      Effects e = show("one_stop.preparing");
                      e.emplace_back(CenterRequest{center_ops::kSigningNonce, {}, {}, {}});
                      return e;
                    },
                    [this](Event& e) -> Step {
                      if (e.kind != EventKind::center) {
                        return {};
                      }
                      nonce_hex_ = field(e.fields, "nonce");
                      issued_at_ = field(e.fields, "issued_at");
                      if (e.outcome != "ok" || nonce_hex_.size() < 32 || issued_at_.empty()) {
                        return {"nonce_unavailable", {}};
                      }
                      return {"sign_notice", {}};
                    }};
  b["sign_notice"].handle = [this](Event& e) -> Step {
    return e.label() == "tap:next" ? Step{sign_pin_screen(), {}} : Step{};
  };
  b["sign_pin"].handle = [this](Event& e) { return sign_pin_entered(e); };
  b["signing"] = {
      [this] { return show("one_stop.signing"); },
      [this](Event& e) -> Step { return e.kind == EventKind::card ? after_signing(e) : Step{}; }};
  b["submitting"] = {
      [this] {
        Effects e = show("one_stop.submitting");
        e.emplace_back(AuditEntry{"one_stop.consent", "submitted", consent_item_list(items_)});
        e.emplace_back(
            CenterRequest{center_ops::kStartConsent, submission(), {}, consent_key(nonce_hex_)});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_submit(e) : Step{}; }};
  b["queuing"] = {
      [this] {
        Effects e = show("one_stop.queuing");
        // The very request the centre did not answer, under the same key: if it did
        // arrive, the centre answers the outbox's copy as it answered the first.
        e.emplace_back(OutboxEnqueue{"onestop-consent", consent_key(nonce_hex_), submission()});
        e.emplace_back(AuditEntry{"one_stop.consent", "queued", consent_item_list(items_)});
        return e;
      },
      [](Event& e) -> Step {
        if (e.kind != EventKind::store) {
          return {};
        }
        return {e.outcome == "ok" ? "queued" : "commit_failed", {}};
      }};
  return b;
}

std::string OneStopFlow::after_probe(const Fields& probe) {
  // A locked signing PIN ends the procedure before any PIN is typed (R-OS-PIN-LOCK); a count
  // that cannot be read is found out at the signing, with its own answer.
  sign_tries_ = count_field(probe, "sign_tries", kSignPinTries);
  if (sign_tries_ < 0) {
    sign_tries_ = kSignPinTries;
    return {};
  }
  return tries_left(sign_tries_) == TriesLeft::none ? "sign_blocked" : "";
}

Step OneStopFlow::after_lookup(Event& e) {
  if (e.outcome == "holder_not_found" || e.outcome == "holder_mismatch") {
    eligibility_ = OneStopEligibility::not_recorded;
    return {"not_eligible", {}};
  }
  if (e.outcome != "ok") {
    return {"center_unavailable", {}};
  }
  holder_ref_ = field(e.fields, "holder_ref");
  const std::string form = field(e.fields, "holding_form");
  eligibility_ = one_stop_eligibility(
      form == "myna_only" ? HoldingForm::myna_only
      : form == "both"    ? HoldingForm::both
                          : HoldingForm::conventional_only,
      field(e.fields, "license_ap_recorded") == "1", field(e.fields, "kind") == "history",
      field(e.fields, "record_card") != "another", field(e.fields, "at_home_centre") == "1");
  flows::wipe(e.fields);
  return {eligibility_ == OneStopEligibility::eligible ? "terms_1" : "not_eligible", {}};
}

std::string OneStopFlow::sign_pin_screen() const {
  switch (tries_left(sign_tries_)) {
    case TriesLeft::none:
      return "sign_blocked";
    case TriesLeft::last:
      return "sign_last_try";
    case TriesLeft::some:
      break;
  }
  return "sign_pin";
}

Step OneStopFlow::sign_pin_entered(Event& e) {
  if (e.label() != "tap:pin") {
    return {};
  }
  if (check_sign_pin_format(e.secret.reveal()) != SignPinProblem::none) {
    problem_ = "one_stop.sign_pin_format";  // cannot be the PIN: no try spent
    return {"sign_pin", {}};
  }
  problem_.clear();
  document_ = to_canonical_text(
      {holder_ref_, items_, std::string(kOneStopTermsVersion), terminal_, issued_at_, nonce_hex_});
  Effects effects;
  effects.emplace_back(
      CardRequest{card_ops::kJpkiSign, {{"document", to_hex(document_)}}, std::move(e.secret)});
  return {"signing", std::move(effects)};
}

Step OneStopFlow::after_signing(Event& e) {
  if (e.outcome == card_ops::kWrongPin) {
    sign_tries_ = count_field(e.fields, "tries", kSignPinTries);
    problem_ = "one_stop.sign_pin_wrong";
    return {sign_pin_screen(), {}};
  }
  if (e.outcome == card_ops::kBlocked) {
    sign_tries_ = 0;
    return {"sign_blocked", {}};
  }
  if (e.outcome != card_ops::kOk) {
    return {"card_error", {}};
  }
  const auto not_before = parse_iso_date(field(e.fields, "not_before"));
  const auto not_after = parse_iso_date(field(e.fields, "not_after"));
  if (!not_before || !not_after || field(e.fields, "signature").empty() ||
      field(e.fields, "certificate").empty()) {
    return {"card_error", {}};
  }
  switch (signing_certificate_standing(*not_before, *not_after, today_, true)) {
    case CertificateStanding::issued_today:
      return {"same_day", {}};  // R-OS-SAME-DAY: nothing is sent today
    case CertificateStanding::expired:
    case CertificateStanding::not_yet_valid:
      return {"cert_expired", {}};
    case CertificateStanding::valid:
      break;
  }
  signed_ = {{"certificate", field(e.fields, "certificate")},
             {"signature", field(e.fields, "signature")}};
  return {"submitting", {}};
}

Step OneStopFlow::after_submit(Event& e) {
  if (e.outcome == "ok") {
    consent_ = std::move(e.fields);
    Effects effects;
    effects.emplace_back(AuditEntry{"one_stop.consent",
                                    field(consent_, "renewed") == "1" ? "renewed" : "started",
                                    field(consent_, "items")});
    return {"done", std::move(effects)};
  }
  refused_ = e.outcome;
  if (e.outcome == center_ops::kUnavailable || e.outcome == "internal") {
    // Out of reach, or failing on its side after the client's retries: not a refusal of this
    // consent. The outbox sends it again later.
    return {"queuing", {}};
  }
  if (e.outcome == "certificate_revoked") {
    return {"cert_revoked", {}};
  }
  if (e.outcome == "certificate_expired") {
    return {"cert_expired", {}};
  }
  if (e.outcome == "certificate_issued_today") {
    return {"same_day", {}};
  }
  if (e.outcome == "not_eligible") {
    eligibility_ = OneStopEligibility::not_myna_only;
    return {"not_eligible", {}};
  }
  Effects effects;
  effects.emplace_back(AuditEntry{"one_stop.consent", "refused", e.outcome});
  return {"submit_failed", std::move(effects)};
}

Fields OneStopFlow::submission() const {
  return {{"holder_ref", holder_ref_},
          {"items", consent_item_list(items_)},
          {"document", to_hex(document_)},
          {"signature", field(signed_, "signature")},
          {"certificate", field(signed_, "certificate")}};
}

Effects OneStopFlow::show(const std::string& screen) const {
  Effects e;
  e.emplace_back(ShowView{view(screen)});
  return e;
}

ViewModel OneStopFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  const std::string id = screen.substr(screen.find('.') + 1);
  vm.texts["title"] = {screen + ".title", {}};
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style,
                          bool enabled = true) {
    vm.actions.push_back({action_id, {key, {}}, style, enabled, {}});
  };
  const bool busy = id == "reading_license" || id == "reading_basic4" || id == "looking_up" ||
                    id == "preparing" || id == "signing" || id == "submitting" || id == "queuing";
  if (busy) {
    vm.kind = ScreenKind::progress;
    return vm;
  }
  vm.texts["body"] = {screen + ".body", {}};
  if (id == "license_pin" || id == "basic4_pin") {
    ident_.pin_screen(vm);
  } else if (id == "place_card") {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (id.starts_with("terms_")) {
    const int page = id.back() - '0';
    vm.texts["note"] = {"one_stop.terms_version",
                        {{"version", std::string(kOneStopTermsVersion)},
                         {"page", std::to_string(page)},
                         {"pages", std::to_string(kTermsPages)}}};
    if (page == 1) {
      action("cancel", "common.cancel", ActionStyle::back);
    } else {
      action("back", "common.back", ActionStyle::back);
    }
    if (page < kTermsPages) {
      action("next", "common.next", ActionStyle::primary);
    } else {
      action("decline", "one_stop.decline", ActionStyle::secondary);
      action("accept", "one_stop.accept", ActionStyle::primary);
    }
  } else if (id == "choose_items") {
    vm.kind = ScreenKind::choice;
    action("back", "common.back", ActionStyle::back);
    for (const std::string_view name : kConsentItemNames) {
      vm.actions.push_back({"item:" + std::string(name),
                            {"one_stop.item." + std::string(name), {}},
                            ActionStyle::choice,
                            true,
                            consent_item(items_, name)});  // checked
      if (!consent_item(items_, name)) {
        // R-OS-UNCONSENTED: what is left out is still reported at the counter.
        vm.details.push_back({"one_stop.unconsented." + std::string(name), {}});
      }
    }
    action("next", "common.next", ActionStyle::primary, items_.any());
  } else if (id == "sign_notice" || id == "sign_last_try" || id == "sign_pin") {
    vm.texts["tries"] = {"one_stop.sign_tries_left", {{"tries", std::to_string(sign_tries_)}}};
    action("cancel", "common.cancel", ActionStyle::back);
    if (id == "sign_pin") {
      vm.kind = ScreenKind::pin_entry;
      vm.pin_pad = PinPadView{"pin", kSignPinMinLength, kSignPinMaxLength, true, 0};
      if (!problem_.empty()) {
        vm.texts["problem"] = {problem_, {}};
      }
    } else if (id == "sign_last_try") {
      vm.kind = ScreenKind::error;  // a warning to read before going on
      action("continue", "one_stop.continue", ActionStyle::primary);
    } else {
      action("next", "common.next", ActionStyle::primary);
    }
  } else if (id == "done") {
    vm.kind = ScreenKind::result;
    if (field(consent_, "renewed") == "1") {
      vm.texts["body"] = {"one_stop.done.renewed", {}};
    }
    vm.details = consent_item_lines(field(consent_, "items"));
    vm.texts["note"] = {
        "one_stop.done.validity",
        {{"until", field(consent_, "valid_until")}, {"years", std::to_string(kConsentValidYears)}}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == "not_eligible") {
    vm.kind = ScreenKind::error;
    const char* why = "not_myna_only";
    switch (eligibility_) {
      case OneStopEligibility::not_recorded:
        why = "not_recorded";
        break;
      case OneStopEligibility::driving_history:
        why = "driving_history";
        break;
      case OneStopEligibility::record_elsewhere:
        why = "record_elsewhere";
        break;
      case OneStopEligibility::not_home_centre:
        why = "not_home_centre";
        break;
      case OneStopEligibility::eligible:
      case OneStopEligibility::not_myna_only:
        break;
    }
    vm.texts["body"] = {std::string("one_stop.not_eligible.") + why, {}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == "center_unavailable" || id == "nonce_unavailable" || id == "wrong_card" ||
             id == "card_error" || id == "card_pulled") {
    vm.kind = ScreenKind::error;
    action("cancel", "common.cancel", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else if (id == "submit_failed") {
    vm.kind = ScreenKind::error;
    vm.texts["note"] = {"one_stop.submit_failed.code", {{"code", refused_}}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == "queued") {
    vm.kind = ScreenKind::result;
    action("done", "common.done", ActionStyle::primary);
  } else {
    vm.kind = ScreenKind::error;  // blocked, same day, expired, revoked, ...
    action("done", "common.done", ActionStyle::primary);
  }
  return vm;
}

void OneStopFlow::wipe() {
  ident_.wipe();
  flows::wipe(holder_ref_);
  items_ = {};
  sign_tries_ = 0;
  problem_.clear();
  flows::wipe(nonce_hex_);
  flows::wipe(issued_at_);
  flows::wipe(document_);
  flows::wipe(signed_);
  flows::wipe(consent_);
  refused_.clear();
  eligibility_ = OneStopEligibility::eligible;
}

}  // namespace mk::flows
