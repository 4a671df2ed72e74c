#include "flows/one_stop/one_stop_flow.hpp"

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/pin_tries.hpp"
#include "flows/rules/signing_certificate.hpp"

namespace mk::flows {

namespace {

constexpr const char* kPrefix = "one_stop.";
constexpr int kTermsPages = 3;

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

CardSigning::Setup OneStopFlow::signing_setup() {
  return {"one_stop", "submitting", "onestop_consent", true};
}

const FlowDefinition& OneStopFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "one_stop";
    // id, card removed, cancel, idle, final, note
    d.states = {
        {"looking_up", "looking_up", "cancelled", "cancelled", false, "centre record"},
        {"center_unavailable", "center_unavailable", "cancelled", "cancelled", false, ""},
        {"not_eligible", "not_eligible", "finished", "finished", false, "R-OS-TARGET"},
        {"terms_1", "card_pulled", "cancelled", "cancelled", false, "R-OS-STEPS ①"},
        {"terms_2", "card_pulled", "cancelled", "cancelled", false, ""},
        {"terms_3", "card_pulled", "cancelled", "cancelled", false, "accept only here"},
        {"choose_items", "card_pulled", "cancelled", "cancelled", false,
         "R-OS-STEPS ②, R-OS-UNCONSENTED"},
        {"submitting", "submitting", "submitting", "submitting", false, "R-OS-STEPS ④"},
        {"queuing", "queuing", "queuing", "queuing", false, "outbox: not registered yet"},
        {"done", "done", "finished", "finished", false, "R-OS-VALIDITY"},
        {"queued", "queued", "finished", "finished", false, ""},
        {"cert_revoked", "cert_revoked", "finished", "finished", false, "R-OS-REFLECT"},
        {"submit_failed", "submit_failed", "finished", "finished", false, "staff"},
        {"commit_failed", "commit_failed", "finished", "finished", false, "staff"},
        {"finished", "", "", "", true, ""},
        {"cancelled", "", "", "", true, ""},
    };
    d.transitions = {
        {"looking_up", "eligible", "terms_1"},
        {"looking_up", "not_eligible", "not_eligible"},  // R-OS-TARGET, said why
        {"looking_up", "holder_unknown", "not_eligible"},
        {"looking_up", "center_away", "center_unavailable"},
        {"center_unavailable", "tap:retry", "looking_up"},
        {"terms_1", "tap:next", "terms_2"},
        {"terms_2", "tap:back", "terms_1"},
        {"terms_2", "tap:next", "terms_3"},
        {"terms_3", "tap:back", "terms_2"},
        {"terms_3", "tap:decline", "cancelled"},
        {"terms_3", "tap:accept", "choose_items"},
        {"choose_items", "item_toggled", "choose_items"},
        {"choose_items", "tap:back", "terms_3"},
        {"choose_items", "items_chosen", "preparing"},
        {"choose_items", "nothing_chosen", "choose_items"},  // at least one item (R-OS-STEPS)
        {"submitting", "center:start_consent=ok", "done"},
        {"queuing", "store:outbox=ok", "queued"},
        {"queuing", "store:outbox=*", "commit_failed"},
        {"not_eligible", "tap:done", "finished"},
        {"done", "tap:done", "finished"},
        {"queued", "tap:done", "finished"},
        {"cert_revoked", "tap:done", "finished"},
        {"submit_failed", "tap:done", "finished"},
        {"commit_failed", "tap:done", "finished"},
    };
    CardIdentification::declare(d, "looking_up");
    CardSigning::declare(d, signing_setup());
    CardSigning::declare_refusals(d, signing_setup(), "submitting");
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
          "one_stop", [this](const std::string& screen) { return show(screen); }, false),
      signing_(
          signing_setup(), today_, [this](const std::string& screen) { return show(screen); },
          [this](const std::string& nonce_hex, const std::string& issued_at) {
            return to_canonical_text({holder_ref_, items_, std::string(kOneStopTermsVersion),
                                      terminal_, issued_at, nonce_hex});
          }),
      machine_(definition(), behaviours(), [this] { wipe(); }) {
  // A locked signing PIN is said before any PIN is typed (R-OS-PIN-LOCK).
  ident_.check_before_pins([this](const Fields& probe) { return signing_.check_probe(probe); });
}

std::map<std::string, StateBehaviour> OneStopFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  const auto screen = [this](const std::string& id) {
    return [this, id] { return show(kPrefix + id); };
  };
  for (const char* id :
       {"center_unavailable", "not_eligible", "terms_1", "terms_2", "terms_3", "choose_items",
        "done", "queued", "cert_revoked", "submit_failed", "commit_failed"}) {
    b[id].enter = screen(id);
  }
  ident_.add_behaviours(b);
  signing_.add_behaviours(b);
  b["looking_up"] = ident_.looking_up([this](Event& e) { return after_lookup(e); });
  b["choose_items"].handle = [this](Event& e) -> Step {
    if (e.kind != EventKind::intent) {
      return {};
    }
    if (e.name.starts_with("item:")) {
      toggle_consent_item(items_, e.name.substr(5));
      return {"item_toggled", {}};
    }
    if (e.name == "next") {
      return {items_.any() ? "items_chosen" : "nothing_chosen", {}};
    }
    return {};
  };
  b["submitting"] = {
      [this] {
        Effects e = show("one_stop.submitting");
        e.emplace_back(AuditEntry{"one_stop.consent", "submitted", consent_item_list(items_)});
        e.emplace_back(CenterRequest{
            center_ops::kStartConsent, submission(), {}, consent_key(signing_.nonce_hex())});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_submit(e) : Step{}; }};
  b["queuing"] = {
      [this] {
        Effects e = show("one_stop.queuing");
        // The very request the centre did not answer, under the same key: if it did
        // arrive, the centre answers the outbox's copy as it answered the first.
        e.emplace_back(
            OutboxEnqueue{"onestop-consent", consent_key(signing_.nonce_hex()), submission()});
        e.emplace_back(AuditEntry{"one_stop.consent", "queued", consent_item_list(items_)});
        return e;
      },
      nullptr};  // the outbox's answer: the table's store:outbox edges
  return b;
}

Step OneStopFlow::after_lookup(Event& e) {
  if (e.outcome == "holder_not_found" || e.outcome == "holder_mismatch") {
    eligibility_ = OneStopEligibility::not_recorded;
    return {"holder_unknown", {}};
  }
  if (e.outcome != "ok") {
    return {"center_away", {}};
  }
  holder_ref_ = field(e.fields, "holder_ref");
  eligibility_ = one_stop_eligibility(
      holding_form_of(field(e.fields, "holding_form")),
      field(e.fields, "license_ap_recorded") == "1", field(e.fields, "kind") == "history",
      field(e.fields, "record_card") != "another", field(e.fields, "at_home_centre") == "1");
  flows::wipe(e.fields);
  return {eligibility_ == OneStopEligibility::eligible ? "eligible" : "not_eligible", {}};
}

Step OneStopFlow::after_submit(Event& e) {
  if (e.outcome == "ok") {
    consent_ = std::move(e.fields);
    Effects effects;
    effects.emplace_back(AuditEntry{"one_stop.consent",
                                    field(consent_, "renewed") == "1" ? "renewed" : "started",
                                    field(consent_, "items")});
    return {"", std::move(effects)};  // the table's center:start_consent=ok edge
  }
  refused_ = e.outcome;
  const std::string next = signing_.after_refusal(e.outcome);
  if (next == "not_eligible") {
    eligibility_ = OneStopEligibility::not_myna_only;
  }
  Effects effects;
  if (next == "refused") {
    effects.emplace_back(AuditEntry{"one_stop.consent", "refused", e.outcome});
  }
  return {next, std::move(effects)};
}

Fields OneStopFlow::submission() const {
  Fields f = signing_.signed_document();
  f["holder_ref"] = holder_ref_;
  f["items"] = consent_item_list(items_);
  return f;
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
  } else if (signing_.screen(vm, id)) {
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
  signing_.wipe();
  flows::wipe(holder_ref_);
  items_ = {};
  flows::wipe(consent_);
  refused_.clear();
  eligibility_ = OneStopEligibility::eligible;
}

}  // namespace mk::flows
