#include "flows/renewal/renewal_flow.hpp"

#include "flows/card_ops.hpp"
#include "flows/center_ops.hpp"
#include "flows/rules/card_expiry.hpp"

namespace mk::flows {

namespace {

namespace st {
using namespace identify_state;
using namespace relay_state;
using namespace ends;
constexpr StateId asking_renewal{"asking_renewal"};
constexpr StateId center_unavailable{"center_unavailable"};
constexpr StateId confirm_renewal{"confirm_renewal"};
constexpr StateId verifying{"verifying"};
constexpr StateId rewrite_interrupted{"rewrite_interrupted"};
constexpr StateId rewrite_probe{"rewrite_probe"};
constexpr StateId other_card{"other_card"};
constexpr StateId done{"done"};
constexpr StateId via_refused{"via_refused"};
constexpr StateId not_in_period{"not_in_period"};
constexpr StateId not_renewable{"not_renewable"};
constexpr StateId history_no_renewal{"history_no_renewal"};
constexpr StateId record_elsewhere{"record_elsewhere"};
constexpr StateId confirm_return{"confirm_return"};
constexpr StateId committing{"committing"};
constexpr StateId returned{"returned"};
constexpr StateId commit_failed{"commit_failed"};
constexpr StateId card_expired{"card_expired"};
constexpr StateId not_found{"not_found"};
constexpr StateId rewrite_failed{"rewrite_failed"};
constexpr StateId writing{"writing"};  // not a state: the screen of the relay's states
}  // namespace st

const IssuerRelay::Targets kRelayTargets = {
    st::rewrite_interrupted,  // a pulled card: state 01 stays, resumable with the same card
    st::rewrite_probe,        // a refused step: look at the card, rewrite again
    st::rewrite_failed,
    st::verifying,
};

const char* refusal_key(ViaRefusal r) {
  switch (r) {
    case ViaRefusal::category:
      return "renewal.via_refusal.category";
    case ViaRefusal::physical_condition:
      return "renewal.via_refusal.physical_condition";
    case ViaRefusal::condition_unknown:
      return "renewal.via_refusal.condition_unknown";
    case ViaRefusal::relapsed_last_time:
      return "renewal.via_refusal.relapsed_last_time";
    case ViaRefusal::before_period:
      return "renewal.via_refusal.before_period";
    case ViaRefusal::after_period:
      return "renewal.via_refusal.after_period";
  }
  return "";
}

}  // namespace

const FlowDefinition& RenewalFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "renewal";
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::looking_up, st::card_pulled, st::cancelled, st::cancelled, false, "centre record"},
        {st::asking_renewal, st::card_pulled, st::cancelled, st::cancelled, false,
         "the counter's renewal"},
        {st::center_unavailable, st::card_pulled, st::cancelled, st::cancelled, false, "",
         "MK-CENTER-UNREACHABLE"},
        {st::confirm_renewal, st::card_pulled, st::cancelled, st::cancelled, false,
         "R-RENEW-REWRITE"},
        {st::verifying, st::rewrite_interrupted, st::verifying, st::verifying, false,
         "new expiry read"},
        {st::rewrite_interrupted, st::rewrite_interrupted, st::cancelled, st::cancelled, false,
         "state 01 stays: resumable", "MK-CARD-WRITE-INTERRUPTED"},
        {st::rewrite_probe, st::rewrite_interrupted, st::cancelled, st::cancelled, false,
         "same card?"},
        {st::other_card, st::other_card, st::cancelled, st::cancelled, false, "", "MK-CARD-OTHER"},
        {st::done, st::done, st::finished, st::finished, false, "receipt"},
        {st::via_refused, st::via_refused, st::finished, st::finished, false,
         "R-VIA: every reason"},
        {st::not_in_period, st::not_in_period, st::finished, st::finished, false, ""},
        {st::not_renewable, st::not_renewable, st::finished, st::finished, false,
         "the counter's renewal not done"},
        {st::history_no_renewal, st::history_no_renewal, st::finished, st::finished, false,
         "R-HISTORY"},
        {st::record_elsewhere, st::record_elsewhere, st::finished, st::finished, false,
         "R-LOST: the record is on another card"},
        {st::confirm_return, st::confirm_return, st::finished, st::finished, false,
         "R-VIA: the return with the 経由申請"},
        {st::committing, st::committing, st::committing, st::committing, false, "outbox first"},
        {st::returned, st::returned, st::finished, st::finished, false, "receipt"},
        {st::commit_failed, st::commit_failed, st::finished, st::finished, false, "staff",
         "MK-SUBMISSION-NOT-KEPT"},
        {st::card_expired, st::card_expired, st::finished, st::finished, false, "R-CARD-EXPIRY"},
        {st::not_found, st::not_found, st::finished, st::finished, false, ""},
        {st::rewrite_failed, st::rewrite_failed, st::finished, st::finished, false, "staff",
         "MK-ISSUER-FAILED"},
        {st::finished, "", "", "", true, ""},
        {st::cancelled, "", "", "", true, ""},
    };
    d.transitions = {
        {st::looking_up, "recorded", st::asking_renewal},
        {st::looking_up, "not_recorded", st::incomplete},  // the record flow finishes it
        {st::looking_up, "driving_history", st::history_no_renewal},
        {st::looking_up, "record_elsewhere", st::record_elsewhere},
        {st::looking_up, "holder_not_found", st::not_found},
        {st::looking_up, "center_away", st::center_unavailable},
        {st::asking_renewal, "renewable", st::confirm_renewal},
        {st::asking_renewal, "via_refused", st::via_refused},
        {st::asking_renewal, "not_in_period", st::not_in_period},
        {st::asking_renewal, "offer_invalid", st::not_renewable},  // does not hold together
        {st::asking_renewal, "card_expired", st::card_expired},
        {st::asking_renewal, "not_eligible", st::not_renewable},
        {st::asking_renewal, "center_away", st::center_unavailable},
        {st::center_unavailable, "tap:retry", st::looking_up},
        {st::confirm_renewal, "tap:confirm", IssuerRelay::kOpening},
        {st::verifying, "verified", st::done},
        {st::verifying, "verify_failed", st::rewrite_failed},
        {st::rewrite_interrupted, "tap:retry", st::rewrite_probe},
        {st::rewrite_probe, "write_unfinished", IssuerRelay::kOpening},
        {st::rewrite_probe, "other_card", st::other_card},
        {st::rewrite_probe, "write_completed", st::verifying},  // only the read-back is left
        {st::rewrite_probe, "unreadable", st::rewrite_interrupted},
        {st::other_card, "tap:retry", st::rewrite_probe},
        {st::done, "tap:done", st::finished},
        {st::done, "tap:return_conventional", st::confirm_return},  // 経由申請 with both forms
        {st::confirm_return, "tap:confirm", st::committing},
        {st::confirm_return, "tap:back", st::finished},
        {st::committing, "store:outbox=ok", st::returned},
        {st::committing, "store:outbox=*", st::commit_failed},
        {st::returned, "tap:done", st::finished},
        {st::commit_failed, "tap:done", st::finished},
        {st::history_no_renewal, "tap:done", st::finished},
        {st::record_elsewhere, "tap:done", st::finished},
        {st::via_refused, "tap:done", st::finished},
        {st::not_in_period, "tap:done", st::finished},
        {st::not_renewable, "tap:done", st::finished},
        {st::card_expired, "tap:done", st::finished},
        {st::not_found, "tap:done", st::finished},
        {st::rewrite_failed, "tap:done", st::finished},
    };
    CardIdentification::declare(d, st::looking_up);
    IssuerRelay::declare(d, kRelayTargets);
    d.validate();
    return d;
  }();
  return def;
}

RenewalFlow::RenewalFlow(Language language, CivilDate today)
    : language_(language),
      today_(today),
      // The licence PIN is kept: it reads the rewritten record back in this same procedure.
      ident_(
          kScreens, [this](const std::string& screen) { return show(screen); }, true),
      relay_(
          [this] {
            Effects e = show(st::writing);
            e.emplace_back(AuditEntry{"renewal.rewrite", "started", via_ ? "via" : "home"});
            // The PIN stays as the holder set it: a rewrite sends none.
            e.emplace_back(CenterRequest{center_ops::kIssuerOpen,
                                         {{"holder_ref", holder_ref_},
                                          {"operation", "rewrite"},
                                          {"card_id", ident_.card_id()}},
                                         {},
                                         {}});
            return e;
          },
          [this] { return show(st::writing); }),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> RenewalFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  const auto probe = [this](StateId id) {
    return [this, id] {
      Effects e = show(id);
      e.emplace_back(CardRequest{card_ops::kProbeMyNumber, {}, {}});
      return e;
    };
  };
  for (const StateId id :
       {st::center_unavailable, st::confirm_renewal, st::rewrite_interrupted, st::other_card,
        st::done, st::via_refused, st::not_in_period, st::not_renewable, st::not_found,
        st::rewrite_failed, st::card_expired, st::history_no_renewal, st::record_elsewhere,
        st::confirm_return, st::returned, st::commit_failed}) {
    b[id].enter = [this, id] { return show(id); };
  }
  b[st::done].handle = [this](Event& e) -> Step {
    // FAQ 7: away from home the plastic licence is handed back only with this renewal.
    if (e.label() == "tap:return_conventional" && !(via_ && form_ == HoldingForm::both)) {
      return stay();  // not offered to this person
    }
    return {};
  };
  b[st::committing].enter = [this] {
    Effects e = show(st::committing);
    // Committed to the outbox before the person is told "done" (exactly once, as the
    // holding-form procedure does).
    e.emplace_back(OutboxEnqueue{
        "holding-form", "", {{"holder_ref", holder_ref_}, {"action", "return_conventional"}}});
    e.emplace_back(AuditEntry{"holding_form.change", "queued", "return_conventional via"});
    return e;
  };
  ident_.add_behaviours(b);
  b[st::looking_up] = ident_.looking_up([this](Event& e) { return after_lookup(e); });
  b[st::asking_renewal] = {
      [this] {
        Effects e = show(st::looking_up);
        e.emplace_back(
            CenterRequest{center_ops::kRenewalOffer, {{"holder_ref", holder_ref_}}, {}, {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_offer(e) : Step{}; }};
  relay_.add_behaviours(b);
  b[st::verifying] = {
      [this] {
        Effects e = show(st::verifying);
        e.emplace_back(CardRequest{
            card_ops::kReadLicense, {}, base::SecretBytes(ident_.license_pin().reveal())});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::card ? after_verify(e) : Step{}; }};
  b[st::rewrite_probe] = {probe(st::rewrite_probe), [this](Event& e) -> Step {
                            return e.kind == EventKind::card ? after_probe_again(e) : Step{};
                          }};
  return b;
}

Step RenewalFlow::after_lookup(Event& e) {
  if (e.outcome == "holder_not_found" || e.outcome == "holder_mismatch") {
    return {"holder_not_found", {}};
  }
  if (e.outcome != "ok") {
    return {"center_away", {}};
  }
  holder_ref_ = field(e.fields, "holder_ref");
  const bool recorded = field(e.fields, "license_ap_recorded") == "1";
  const bool history =
      field(e.fields, "kind") == "history" || field(ident_.license(), "kind") == "history";
  address_changed_ = field(e.fields, "address_changed") == "1";
  card_expiry_ = field(e.fields, "card_expiry");
  const bool elsewhere = field(e.fields, "record_card") == "another";
  flows::wipe(e.fields);
  if (history) {
    return {"driving_history", {}};  // R-HISTORY: a driving history is never renewed
  }
  if (elsewhere) {
    return {"record_elsewhere", {}};  // R-LOST: a replaced card is never rewritten
  }
  return {recorded ? "recorded" : "not_recorded", {}};
}

Step RenewalFlow::after_offer(Event& e) {
  if (e.outcome == "not_eligible") {
    return {"not_eligible", {}};
  }
  if (e.outcome != "ok") {
    return {"center_away", {}};
  }
  offer_ = std::move(e.fields);
  // R-CARD-EXPIRY: renewal is refused with an expired card. The card's last day comes from the
  // centre's answer about this card (never from reading the My Number).
  if (const auto card_expiry = parse_iso_date(card_expiry_)) {
    if (decide_expiry(CardOperation::renewal_rewrite, {today_, *card_expiry, {}, {}}).verdict ==
        Verdict::refused) {
      return {"card_expired", {}};
    }
  }
  const auto birth = parse_iso_date(field(offer_, "birth_date"));
  const auto expiry = parse_iso_date(field(offer_, "current_expiry"));
  const auto new_expiry = parse_iso_date(field(offer_, "new_expiry"));
  if (!birth || !expiry || !new_expiry || !(*expiry < *new_expiry)) {
    return {"offer_invalid", {}};  // an answer that does not hold together renews nothing
  }
  form_ = field(offer_, "holding_form") == "myna_only" ? HoldingForm::myna_only : HoldingForm::both;
  via_ = field(offer_, "via") == "1";
  ViaInput in;
  in.form = form_;
  in.category = driver_category_of(field(offer_, "category"));
  in.conditions = split_list(field(offer_, "conditions"));
  in.relapsed_at_last_renewal = field(offer_, "relapsed_at_last_renewal") == "1";
  in.birth = *birth;
  in.expiry = *expiry;
  in.today = today_;
  decision_ = decide_via(in);
  if (via_) {
    // R-VIA: every reason at once, so the person (and staff) see what stands in the way.
    return {decision_.eligible ? "renewable" : "via_refused", {}};
  }
  // At home the same period applies to a Myna holder's rewrite; the other reasons do not.
  return {decision_.period.contains(today_) ? "renewable" : "not_in_period", {}};
}

Step RenewalFlow::after_verify(Event& e) {
  if (e.outcome == card_ops::kOk && field(e.fields, "signature") == "valid" &&
      field(e.fields, "expiry") == field(offer_, "new_expiry") &&
      field(e.fields, "number") == field(ident_.license(), "number")) {
    Effects effects;
    effects.emplace_back(AuditEntry{"renewal.rewrite", "complete", via_ ? "via" : "home"});
    flows::wipe(e.fields);
    return {"verified", std::move(effects)};
  }
  return {"verify_failed", {}};
}

Step RenewalFlow::after_probe_again(const Event& e) {
  if (e.outcome != card_ops::kOk) {
    return {"unreadable", {}};
  }
  if (ident_.card_id().empty() || field(e.fields, "card_id") != ident_.card_id()) {
    return {"other_card", {}};  // never rewrite someone else's card with this renewal
  }
  // The centre saw the whole rewrite (its answer to the card's last command arrived): only the
  // read-back is left. Otherwise a new rewrite session writes the renewed record to the end.
  if (relay_.completed() && field(e.fields, "record_state") == "02") {
    return {"write_completed", {}};
  }
  return {"write_unfinished", {}};
}

ViewModel RenewalFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  vm.texts["title"] = {screen + ".title", {}};
  const std::string id = state_of(screen);
  const auto action = [&](const char* action_id, const char* key, ActionStyle style) {
    vm.actions.push_back({action_id, {key, {}}, style, true, {}});
  };
  const bool busy = id == st::reading_license || id == st::reading_basic4 || id == st::looking_up ||
                    id == st::writing || id == st::verifying || id == st::committing;
  if (!busy) {
    vm.texts["body"] = {screen + ".body", {}};
  } else {
    vm.kind = ScreenKind::progress;
  }
  if (address_changed_ && (id == st::confirm_renewal || id == st::done || id == st::not_in_period ||
                           id == st::not_renewable || id == st::via_refused)) {
    vm.texts["address"] = {"common.address_changed", {}};
  }
  const auto outcome_note = [&] {
    if (form_ == HoldingForm::myna_only) {
      return "renewal.note.myna_only";
    }
    return via_ ? "renewal.note.both_via" : "renewal.note.both_home";
  };
  if (id == st::license_pin || id == st::basic4_pin) {
    ident_.pin_screen(vm);
  } else if (id == st::confirm_renewal) {
    vm.kind = ScreenKind::confirm_data;
    vm.details.push_back(
        {"renewal.field.expiry",
         {{"from", field(offer_, "current_expiry")}, {"to", field(offer_, "new_expiry")}}});
    vm.details.push_back({via_ ? "renewal.field.via" : "renewal.field.home", {}});
    vm.texts["note"] = {outcome_note(), {}};
    action("cancel", "common.cancel", ActionStyle::back);
    action("confirm", "renewal.confirm", ActionStyle::primary);
  } else if (id == st::done) {
    vm.kind = ScreenKind::result;
    vm.details.push_back({"renewal.field.new_expiry", {{"value", field(offer_, "new_expiry")}}});
    vm.texts["note"] = {outcome_note(), {}};
    if (via_ && form_ == HoldingForm::both) {
      action("return_conventional", "renewal.return_conventional", ActionStyle::secondary);
    }
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::confirm_return) {
    vm.kind = ScreenKind::confirm_data;
    action("back", "common.back", ActionStyle::back);
    action("confirm", "holding_form.confirm", ActionStyle::primary);
  } else if (id == st::via_refused) {
    vm.kind = ScreenKind::error;
    for (const ViaRefusal r : decision_.refusals) {
      vm.details.push_back({refusal_key(r), {}});
    }
    vm.details.push_back(
        {"renewal.field.period",
         {{"first", decision_.period.first.iso()}, {"last", decision_.period.last.iso()}}});
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::not_in_period) {
    vm.kind = ScreenKind::error;
    vm.details.push_back(
        {"renewal.field.period",
         {{"first", decision_.period.first.iso()}, {"last", decision_.period.last.iso()}}});
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::rewrite_interrupted || id == st::other_card || id == st::wrong_card ||
             id == st::card_error || id == st::card_pulled || id == st::center_unavailable) {
    vm.kind = ScreenKind::error;
    action("cancel", "common.cancel", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else if (id == st::place_card || id == st::rewrite_probe) {
    vm.kind = ScreenKind::card_placement;
    vm.illustration = Illustration::place_my_number_card;
    action("cancel", "common.cancel", ActionStyle::back);
  } else if (!busy) {
    vm.kind = ScreenKind::error;  // not renewable here, blocked, ...
    action("done", "common.done", ActionStyle::primary);
  }
  return vm;
}

void RenewalFlow::wipe() {
  ident_.wipe();
  flows::wipe(offer_);
  flows::wipe(holder_ref_);
  relay_.wipe();
  decision_ = {};
  via_ = false;
  address_changed_ = false;
  flows::wipe(card_expiry_);
  form_ = HoldingForm::both;
}

}  // namespace mk::flows
