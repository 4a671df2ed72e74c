#include "flows/one_stop/one_stop_flow.hpp"

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/pin_tries.hpp"
#include "flows/rules/signing_certificate.hpp"

namespace mk::flows {

namespace {

namespace st {
using namespace identify_state;
using namespace signing_state;
using namespace ends;
constexpr StateId center_unavailable{"center_unavailable"};
constexpr StateId terms_1{"terms_1"};
constexpr StateId terms_2{"terms_2"};
constexpr StateId terms_3{"terms_3"};
constexpr StateId choose_items{"choose_items"};
constexpr StateId submitting{"submitting"};
constexpr StateId done{"done"};
constexpr StateId queued{"queued"};
constexpr StateId commit_failed{"commit_failed"};
}  // namespace st

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
  return {kScreens, st::submitting, "onestop_consent", true};
}

const FlowDefinition& OneStopFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "one_stop";
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::looking_up, st::looking_up, st::cancelled, st::cancelled, false, "centre record"},
        {st::center_unavailable, st::center_unavailable, st::cancelled, st::cancelled, false, "",
         "MK-CENTER-UNREACHABLE"},
        {st::not_eligible, st::not_eligible, st::finished, st::finished, false, "R-OS-TARGET"},
        {st::terms_1, st::card_pulled, st::cancelled, st::cancelled, false, "R-OS-STEPS ①"},
        {st::terms_2, st::card_pulled, st::cancelled, st::cancelled, false, ""},
        {st::terms_3, st::card_pulled, st::cancelled, st::cancelled, false, "accept only here"},
        {st::choose_items, st::card_pulled, st::cancelled, st::cancelled, false,
         "R-OS-STEPS ②, R-OS-UNCONSENTED"},
        {st::submitting, st::submitting, st::submitting, st::submitting, false, "R-OS-STEPS ④"},
        {st::queuing, st::queuing, st::queuing, st::queuing, false, "outbox: not registered yet"},
        {st::done, st::done, st::finished, st::finished, false, "R-OS-VALIDITY"},
        {st::queued, st::queued, st::finished, st::finished, false, ""},
        {st::cert_revoked, st::cert_revoked, st::finished, st::finished, false, "R-OS-REFLECT",
         "MK-CERT-NOT-VALID"},
        {st::submit_failed, st::submit_failed, st::finished, st::finished, false, "staff",
         "MK-CENTER-REFUSED"},
        {st::commit_failed, st::commit_failed, st::finished, st::finished, false, "staff",
         "MK-SUBMISSION-NOT-KEPT"},
        {st::finished, "", "", "", true, ""},
        {st::cancelled, "", "", "", true, ""},
    };
    d.transitions = {
        {st::looking_up, "eligible", st::terms_1},
        {st::looking_up, "not_eligible", st::not_eligible},  // R-OS-TARGET, said why
        {st::looking_up, "holder_unknown", st::not_eligible},
        {st::looking_up, "center_away", st::center_unavailable},
        {st::center_unavailable, "tap:retry", st::looking_up},
        {st::terms_1, "tap:next", st::terms_2},
        {st::terms_2, "tap:back", st::terms_1},
        {st::terms_2, "tap:next", st::terms_3},
        {st::terms_3, "tap:back", st::terms_2},
        {st::terms_3, "tap:decline", st::cancelled},
        {st::terms_3, "tap:accept", st::choose_items},
        {st::choose_items, "item_toggled", st::choose_items},
        {st::choose_items, "tap:back", st::terms_3},
        {st::choose_items, "items_chosen", st::preparing},
        {st::choose_items, "nothing_chosen", st::choose_items},  // at least one item (R-OS-STEPS)
        {st::submitting, "center:start_consent=ok", st::done},
        {st::queuing, "store:outbox=ok", st::queued},
        {st::queuing, "store:outbox=*", st::commit_failed},
        {st::not_eligible, "tap:done", st::finished},
        {st::done, "tap:done", st::finished},
        {st::queued, "tap:done", st::finished},
        {st::cert_revoked, "tap:done", st::finished},
        {st::submit_failed, "tap:done", st::finished},
        {st::commit_failed, "tap:done", st::finished},
    };
    CardIdentification::declare(d, st::looking_up);
    CardSigning::declare(d, signing_setup());
    CardSigning::declare_refusals(d, signing_setup(), st::submitting);
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
          kScreens, [this](const std::string& screen) { return show(screen); }, false),
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
  for (const StateId id : {st::center_unavailable, st::not_eligible, st::terms_1, st::terms_2,
                           st::terms_3, st::choose_items, st::done, st::queued, st::cert_revoked,
                           st::submit_failed, st::commit_failed}) {
    b[id].enter = [this, id] { return show(id); };
  }
  ident_.add_behaviours(b);
  signing_.add_behaviours(b);
  b[st::looking_up] = ident_.looking_up([this](Event& e) { return after_lookup(e); });
  b[st::choose_items].handle = [this](Event& e) -> Step {
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
  b[st::submitting] = {
      [this] {
        Effects e = show(st::submitting);
        e.emplace_back(AuditEntry{"one_stop.consent", "submitted", consent_item_list(items_)});
        e.emplace_back(CenterRequest{
            center_ops::kStartConsent, submission(), {}, consent_key(signing_.nonce_hex())});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_submit(e) : Step{}; }};
  b[st::queuing] = {
      [this] {
        Effects e = show(st::queuing);
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

ViewModel OneStopFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  const std::string id = state_of(screen);
  vm.texts["title"] = {screen + ".title", {}};
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style,
                          bool enabled = true) {
    vm.actions.push_back({action_id, {key, {}}, style, enabled, {}});
  };
  const bool busy = id == st::reading_license || id == st::reading_basic4 || id == st::looking_up ||
                    id == st::preparing || id == st::signing || id == st::submitting ||
                    id == st::queuing;
  if (busy) {
    vm.kind = ScreenKind::progress;
    return vm;
  }
  vm.texts["body"] = {screen + ".body", {}};
  if (id == st::license_pin || id == st::basic4_pin) {
    ident_.pin_screen(vm);
  } else if (id == st::place_card) {
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
  } else if (id == st::choose_items) {
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
  } else if (id == st::done) {
    vm.kind = ScreenKind::result;
    if (field(consent_, "renewed") == "1") {
      vm.texts["body"] = {"one_stop.done.renewed", {}};
    }
    vm.details = consent_item_lines(field(consent_, "items"));
    vm.texts["note"] = {
        "one_stop.done.validity",
        {{"until", field(consent_, "valid_until")}, {"years", std::to_string(kConsentValidYears)}}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::not_eligible) {
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
  } else if (id == st::center_unavailable || id == st::nonce_unavailable || id == st::wrong_card ||
             id == st::card_error || id == st::card_pulled) {
    vm.kind = ScreenKind::error;
    action("cancel", "common.cancel", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else if (id == st::submit_failed) {
    vm.kind = ScreenKind::error;
    vm.texts["note"] = {"one_stop.submit_failed.code", {{"code", refused_}}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::queued) {
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
