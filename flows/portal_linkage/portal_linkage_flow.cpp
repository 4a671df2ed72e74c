#include "flows/portal_linkage/portal_linkage_flow.hpp"

#include "flows/center_ops.hpp"

namespace mk::flows {

namespace {

namespace st {
using namespace identify_state;
using namespace signing_state;
using namespace ends;
constexpr StateId center_unavailable{"center_unavailable"};
constexpr StateId explain{"explain"};
constexpr StateId submitting{"submitting"};
constexpr StateId done{"done"};
constexpr StateId queued{"queued"};
constexpr StateId printing{"printing"};
constexpr StateId commit_failed{"commit_failed"};
}  // namespace st

// The idempotency key of one linkage request: its nonce names it, so the request sent now and the
// same request kept in the outbox when the centre is out of reach are one submission there.
std::string linkage_key(const std::string& nonce_hex) {
  return "linkage-" + nonce_hex.substr(0, 32);
}

// The portal's steps after this one (R-PL-STEPS ②–⑤), one line each.
constexpr const char* kPortalSteps[] = {"login", "menu", "basic4", "certificate"};

bool digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

CardSigning::Setup PortalLinkageFlow::signing_setup() {
  // A certificate issued today is fine here: only the one-stop start waits a night (FAQ 4).
  return {kScreens, st::submitting, "portal_linkage", false};
}

const FlowDefinition& PortalLinkageFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "portal_linkage";
    // Once the centre has the request, the card may go: the hand-over and the slip need no card.
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::looking_up, st::looking_up, st::cancelled, st::cancelled, false, "centre record"},
        {st::center_unavailable, st::center_unavailable, st::cancelled, st::cancelled, false, "",
         "MK-CENTER-UNREACHABLE"},
        {st::not_eligible, st::not_eligible, st::finished, st::finished, false, "R-PL-TARGET"},
        {st::explain, st::card_pulled, st::cancelled, st::cancelled, false,
         "R-PL-OPTIONAL, R-PL-STEPS"},
        {st::submitting, st::submitting, st::submitting, st::submitting, false, "R-PL-STEPS ①"},
        {st::queuing, st::queuing, st::queuing, st::queuing, false, "outbox: not sent yet"},
        {st::done, st::done, st::finished, st::finished, false, "R-PL-WAIT: the hand-over"},
        {st::queued, st::queued, st::finished, st::finished, false, "sent later, then 30 min"},
        {st::printing, st::printing, st::printing, st::printing, false, "the slip, via CUPS"},
        {st::cert_revoked, st::cert_revoked, st::finished, st::finished, false, "municipality",
         "MK-CERT-NOT-VALID"},
        {st::submit_failed, st::submit_failed, st::finished, st::finished, false, "staff",
         "MK-CENTER-REFUSED"},
        {st::commit_failed, st::commit_failed, st::finished, st::finished, false, "staff",
         "MK-SUBMISSION-NOT-KEPT"},
        {st::finished, "", "", "", true, ""},
        {st::cancelled, "", "", "", true, ""},
    };
    d.transitions = {
        {st::looking_up, "eligible", st::explain},
        {st::looking_up, "not_eligible", st::not_eligible},  // R-PL-TARGET, said why
        {st::looking_up, "holder_unknown", st::not_eligible},
        {st::looking_up, "center_away", st::center_unavailable},
        {st::center_unavailable, "tap:retry", st::looking_up},
        {st::explain, "tap:next", CardSigning::kFirst},
        {st::submitting, "center:submit_linkage=ok", st::done},
        {st::queuing, "store:outbox=ok", st::queued},
        {st::queuing, "store:outbox=*", st::commit_failed},
        {st::done, "tap:print", st::printing},
        {st::queued, "tap:print", st::printing},
        // Printed or not (said on the hand-over), back to the hand-over it was printed from.
        {st::printing, "back_to_done", st::done},
        {st::printing, "back_to_queued", st::queued},
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

PortalLinkageFlow::PortalLinkageFlow(Language language, CivilDate today, std::string terminal,
                                     bool printer)
    : language_(language),
      today_(today),
      terminal_(std::move(terminal)),
      printer_(printer),
      ident_(
          kScreens, [this](const std::string& screen) { return show(screen); }, false),
      signing_(
          signing_setup(), today_, [this](const std::string& screen) { return show(screen); },
          [this](const std::string& nonce_hex, const std::string& issued_at) {
            return to_canonical_text(LinkageDocument{holder_ref_, terminal_, issued_at, nonce_hex});
          }),
      machine_(definition(), behaviours(), [this] { wipe(); }) {
  // A locked signing PIN is said before any PIN is typed (R-OS-PIN-LOCK holds for it here too).
  ident_.check_before_pins([this](const Fields& probe) { return signing_.check_probe(probe); });
}

std::map<std::string, StateBehaviour> PortalLinkageFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  for (const StateId id : {st::center_unavailable, st::not_eligible, st::explain, st::cert_revoked,
                           st::submit_failed, st::commit_failed}) {
    b[id].enter = [this, id] { return show(id); };
  }
  ident_.add_behaviours(b);
  signing_.add_behaviours(b);
  b[st::looking_up] = ident_.looking_up([this](Event& e) { return after_lookup(e); });
  b[st::submitting] = {
      [this] {
        Effects e = show(st::submitting);
        e.emplace_back(AuditEntry{"portal_linkage.submit", "submitted", ""});
        e.emplace_back(CenterRequest{
            center_ops::kSubmitLinkage, submission(), {}, linkage_key(signing_.nonce_hex())});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_submit(e) : Step{}; }};
  b[st::queuing] = {[this] {
                      Effects e = show(st::queuing);
                      // The very request the centre did not answer, under the same key: if it did
                      // arrive, the centre answers the outbox's copy as it answered the first.
                      e.emplace_back(OutboxEnqueue{
                          "portal-linkage", linkage_key(signing_.nonce_hex()), submission()});
                      e.emplace_back(AuditEntry{"portal_linkage.submit", "queued", ""});
                      return e;
                    },
                    nullptr};  // the outbox's answer: the table's store:outbox edges
  for (const StateId id : {st::done, st::queued}) {
    b[id] = {[this, id] {
               handed_over_ = id;
               return show(id);
             },
             [this](Event& e) -> Step {
               if (e.label() == "tap:print" && (!printer_ || printed_ == "ok")) {
                 return stay();  // no printer, or printed already: one slip (the button is off)
               }
               return {};
             }};
  }
  b[st::printing] = {
      [this] {
        Effects e = show(st::printing);
        e.emplace_back(PrintRequest{"slip", slip()});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::printed ? after_print(e) : Step{}; }};
  return b;
}

Step PortalLinkageFlow::after_lookup(Event& e) {
  if (e.outcome == "holder_not_found" || e.outcome == "holder_mismatch") {
    eligibility_ = LinkageEligibility::not_recorded;
    return {"holder_unknown", {}};
  }
  if (e.outcome != "ok") {
    return {"center_away", {}};
  }
  holder_ref_ = field(e.fields, "holder_ref");
  eligibility_ = linkage_eligibility(field(e.fields, "license_ap_recorded") == "1",
                                     field(e.fields, "record_card") != "another",
                                     field(e.fields, "at_home_centre") == "1");
  flows::wipe(e.fields);
  return {eligibility_ == LinkageEligibility::eligible ? "eligible" : "not_eligible", {}};
}

Step PortalLinkageFlow::after_submit(Event& e) {
  if (e.outcome == "ok") {
    available_from_ = field(e.fields, "portal_available_from");
    Effects effects;
    effects.emplace_back(AuditEntry{"portal_linkage.submit", "accepted", ""});
    return {"", std::move(effects)};  // the table's center:submit_linkage=ok edge
  }
  refused_ = e.outcome;
  const std::string next = signing_.after_refusal(e.outcome);
  if (next == "not_eligible") {
    eligibility_ = LinkageEligibility::not_recorded;
  }
  Effects effects;
  if (next == "refused") {
    effects.emplace_back(AuditEntry{"portal_linkage.submit", "refused", e.outcome});
  }
  return {next, std::move(effects)};
}

Step PortalLinkageFlow::after_print(Event& e) {
  printed_ = e.outcome;
  Effects effects;
  effects.emplace_back(
      AuditEntry{"portal_linkage.slip", e.outcome == "ok" ? "printed" : "failed", e.outcome});
  return {"back_to_" + handed_over_, std::move(effects)};
}

Fields PortalLinkageFlow::submission() const {
  Fields f = signing_.signed_document();
  f["holder_ref"] = holder_ref_;
  return f;
}

void PortalLinkageFlow::hand_over(ViewModel& vm) const {
  // R-PL-WAIT: from the centre's own time when it has answered ("2026-11-27T10:30:00+09:00"),
  // with the date when that is not today; else about 30 minutes after it receives the request.
  const std::string& at = available_from_;
  const auto parsed = at.size() >= 16 ? parse_iso_date(at.substr(0, 10)) : std::nullopt;
  const CivilDate date = parsed.value_or(today_);
  const std::string time = at.size() >= 16 ? at.substr(11, 5) : "";
  const bool known = handed_over_ == st::done && parsed.has_value() && time.size() == 5 &&
                     time[2] == ':' && digits(time.substr(0, 2)) && digits(time.substr(3, 2));
  const std::string minutes = std::to_string(kPortalWaitMinutes);
  if (!known) {
    vm.texts["when"] = {
        handed_over_ == st::queued ? "portal_linkage.when_queued" : "portal_linkage.when_about",
        {{"minutes", minutes}}};
  } else if (date == today_) {
    vm.texts["when"] = {"portal_linkage.when", {{"time", time}, {"minutes", minutes}}};
  } else {
    vm.texts["when"] = {"portal_linkage.when_date",
                        {{"month", std::to_string(date.month)},
                         {"day", std::to_string(date.day)},
                         {"time", time},
                         {"minutes", minutes}}};
  }
  for (const char* step : kPortalSteps) {
    vm.details.push_back({"portal_linkage.step." + std::string(step), {}});
  }
  vm.texts["note"] = {
      "portal_linkage.portal_address",
      {{"portal", std::string(kMynaPortalUrl)}, {"manual", std::string(kPortalLinkageManualUrl)}}};
  vm.qr_code = std::string(kMynaPortalUrl);
}

ViewModel PortalLinkageFlow::slip() const {
  ViewModel vm;
  vm.screen = "portal_linkage.slip";
  vm.language = language_;
  vm.kind = ScreenKind::result;
  vm.texts["title"] = {"portal_linkage.slip.title", {}};
  vm.texts["body"] = {"portal_linkage.slip.body", {}};
  hand_over(vm);
  // Which kiosk and which day: what staff need when a person comes back with it. Nothing of the
  // person: a slip left behind tells the next one nothing.
  vm.texts["footer"] = {"portal_linkage.slip.footer",
                        {{"terminal", terminal_},
                         {"year", std::to_string(today_.year)},
                         {"month", std::to_string(today_.month)},
                         {"day", std::to_string(today_.day)}}};
  return vm;
}

ViewModel PortalLinkageFlow::view(const std::string& screen) const {
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
                    id == st::queuing || id == st::printing;
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
  } else if (signing_.screen(vm, id)) {
  } else if (id == st::explain) {
    // R-PL-OPTIONAL: what it gives, and that it is their choice; R-PL-STEPS: here, then there.
    for (const char* use : {"license", "lecture", "honseki", "one_stop", "notices"}) {
      vm.details.push_back({"portal_linkage.gives." + std::string(use), {}});
    }
    vm.texts["note"] = {"portal_linkage.explain.steps",
                        {{"minutes", std::to_string(kPortalWaitMinutes)}}};
    action("cancel", "common.cancel", ActionStyle::back);
    action("next", "common.next", ActionStyle::primary);
  } else if (id == st::done || id == st::queued) {
    vm.kind = ScreenKind::result;
    hand_over(vm);
    if (printed_ == "ok") {
      vm.texts["problem"] = {"portal_linkage.printed", {}};
    } else if (!printed_.empty()) {
      vm.texts["problem"] = {"portal_linkage.print_failed", {}};
    }
    if (printer_) {
      action("print", printed_ == "ok" ? "portal_linkage.printed_action" : "portal_linkage.print",
             ActionStyle::secondary, printed_ != "ok");
    }
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::not_eligible) {
    vm.kind = ScreenKind::error;
    const char* why = "not_recorded";
    switch (eligibility_) {
      case LinkageEligibility::record_elsewhere:
        why = "record_elsewhere";
        break;
      case LinkageEligibility::not_home_centre:
        why = "not_home_centre";
        break;
      case LinkageEligibility::eligible:
      case LinkageEligibility::not_recorded:
        break;
    }
    vm.texts["body"] = {std::string("portal_linkage.not_eligible.") + why, {}};
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::center_unavailable || id == st::nonce_unavailable || id == st::wrong_card ||
             id == st::card_error || id == st::card_pulled) {
    vm.kind = ScreenKind::error;
    action("cancel", "common.cancel", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else if (id == st::submit_failed) {
    vm.kind = ScreenKind::error;
    vm.texts["note"] = {"portal_linkage.submit_failed.code", {{"code", refused_}}};
    action("done", "common.done", ActionStyle::primary);
  } else {
    vm.kind = ScreenKind::error;  // blocked, expired, revoked, ...
    action("done", "common.done", ActionStyle::primary);
  }
  return vm;
}

void PortalLinkageFlow::wipe() {
  ident_.wipe();
  signing_.wipe();
  flows::wipe(holder_ref_);
  available_from_.clear();
  refused_.clear();
  handed_over_.clear();
  printed_.clear();
  eligibility_ = LinkageEligibility::eligible;
}

}  // namespace mk::flows
