#include "flows/my_status/my_status_flow.hpp"

#include "flows/center_ops.hpp"
#include "flows/one_stop/one_stop_flow.hpp"
#include "flows/rules/lecture.hpp"
#include "flows/rules/portal_linkage.hpp"
#include "flows/rules/via.hpp"

namespace mk::flows {

namespace {

namespace st {
using namespace identify_state;
using namespace ends;
constexpr StateId asking{"asking"};
constexpr StateId center_unavailable{"center_unavailable"};
constexpr StateId not_recorded{"not_recorded"};
constexpr StateId status{"status"};
}  // namespace st

const char* refusal_key(LectureRefusal r) {
  switch (r) {
    case LectureRefusal::category:
      return "my_status.lecture.why.category";
    case LectureRefusal::no_myna_license:
      return "my_status.lecture.why.no_myna_license";
    case LectureRefusal::elderly_lecture:
      return "my_status.lecture.why.elderly_lecture";
    case LectureRefusal::suspended:
      return "my_status.lecture.why.suspended";
    case LectureRefusal::outside_period:
      return "my_status.lecture.why.outside_period";
    case LectureRefusal::not_linked:
      return "my_status.lecture.why.not_linked";
    case LectureRefusal::linked_too_recently:
      return "my_status.lecture.why.linked_too_recently";
  }
  return "my_status.lecture.why.category";
}

// "2026-11-27T10:45:00+09:00" as the screens say a time: the date and HH:MM (Japan).
std::vector<std::pair<std::string, std::string>> when_params(const std::string& instant) {
  if (instant.size() < 16) {
    return {{"date", instant}, {"time", ""}};
  }
  return {{"date", instant.substr(0, 10)}, {"time", instant.substr(11, 5)}};
}

}  // namespace

const FlowDefinition& MyStatusFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "my_status";
    // It only reads: the card may go once the centre is asked.
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::looking_up, st::looking_up, st::cancelled, st::cancelled, false, "centre record"},
        {st::asking, st::asking, st::cancelled, st::cancelled, false, "the centre's status"},
        {st::center_unavailable, st::center_unavailable, st::cancelled, st::cancelled, false, "",
         "MK-CENTER-UNREACHABLE"},
        {st::not_recorded, st::not_recorded, st::finished, st::finished, false, ""},
        {st::status, st::status, st::finished, st::finished, false,
         "R-OS-VALIDITY, R-PL-WAIT, R-LECTURE"},
        {st::finished, "", "", "", true, ""},
        {st::cancelled, "", "", "", true, ""},
    };
    d.transitions = {
        {st::looking_up, "found", st::asking},
        {st::looking_up, "holder_unknown", st::not_recorded},
        {st::looking_up, "center_away", st::center_unavailable},
        {st::asking, "center:holder_status=ok", st::status},
        {st::asking, "center:holder_status=not_eligible", st::not_recorded},
        {st::asking, "center:holder_status=*", st::center_unavailable},
        {st::center_unavailable, "tap:retry", st::looking_up},
        {st::not_recorded, "tap:done", st::finished},
        {st::status, "tap:done", st::finished},
    };
    CardIdentification::declare(d, st::looking_up);
    d.validate();
    return d;
  }();
  return def;
}

MyStatusFlow::MyStatusFlow(Language language, CivilDate today)
    : language_(language),
      today_(today),
      ident_(
          kScreens, [this](const std::string& screen) { return show(screen); }, false),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> MyStatusFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  for (const StateId id : {st::center_unavailable, st::not_recorded, st::status}) {
    b[id].enter = [this, id] { return show(id); };
  }
  ident_.add_behaviours(b);
  b[st::looking_up] = ident_.looking_up([this](Event& e) { return after_lookup(e); });
  b[st::asking] = {
      [this] {
        Effects e = show(st::asking);
        e.emplace_back(
            CenterRequest{center_ops::kHolderStatus, {{"holder_ref", holder_ref_}}, {}, {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_status(e) : Step{}; }};
  return b;
}

Step MyStatusFlow::after_lookup(Event& e) {
  if (e.outcome == "holder_not_found" || e.outcome == "holder_mismatch") {
    return {"holder_unknown", {}};
  }
  if (e.outcome != "ok") {
    return {"center_away", {}};
  }
  holder_ref_ = field(e.fields, "holder_ref");
  flows::wipe(e.fields);
  return {"found", {}};
}

Step MyStatusFlow::after_status(Event& e) {
  if (e.outcome == "ok") {
    status_ = std::move(e.fields);
  }
  return {};  // the table's edge for the centre's answer
}

void MyStatusFlow::status_lines(ViewModel& vm) const {
  // The one-stop consent (R-OS-VALIDITY, R-OS-CANCEL).
  const std::string consent = field(status_, "consent_status");
  if (consent == "active") {
    vm.details.push_back(
        {"my_status.one_stop.active", {{"until", field(status_, "consent_valid_until")}}});
    for (auto& item : consent_item_lines(field(status_, "consent_items"))) {
      vm.details.push_back(std::move(item));
    }
  } else {
    vm.details.push_back(
        {consent == "cancelled" ? "my_status.one_stop.cancelled" : "my_status.one_stop.none", {}});
  }
  // The portal linkage submission (R-PL-WAIT): from when the portal step may start.
  const std::string available = field(status_, "linkage_available_from");
  const std::string as_of = field(status_, "as_of");
  const auto since = minutes_between(available, as_of);
  if (available.empty()) {
    vm.details.push_back({"my_status.linkage.none", {}});
  } else {
    vm.details.push_back(
        {since && *since >= 0 ? "my_status.linkage.open" : "my_status.linkage.waiting",
         when_params(available)});
  }
  // The online lecture (R-LECTURE): a マイナ経歴証明書 has no licence to renew.
  const auto expiry = parse_iso_date(field(status_, "expiry"));
  const auto birth = parse_iso_date(field(status_, "birth_date"));
  if (!expiry || !birth) {
    vm.details.push_back({"my_status.lecture.no_licence", {}});
    return;
  }
  LectureInput in;
  in.form = holding_form_of(field(status_, "holding_form"));
  in.category = driver_category_of(field(status_, "category"));
  in.birth = *birth;
  in.expiry = *expiry;
  in.today = today_;
  in.suspended = field(status_, "suspended") == "1";
  if (!available.empty()) {
    // The centre knows the submission here; the linkage itself is done on the portal from
    // `available` on, so that is the earliest it can have been done.
    in.minutes_since_linkage = since.value_or(-1);
  }
  const LectureDecision d = decide_lecture(in);
  const auto online = online_lecture_fee(in.category);
  const auto in_person = in_person_lecture_fee(in.category);
  if (d.eligible) {
    vm.details.push_back({"my_status.lecture.eligible",
                          {{"from", d.period.first.iso()},
                           {"until", d.period.last.iso()},
                           {"online_fee", online ? std::to_string(*online) : ""},
                           {"fee", in_person ? std::to_string(*in_person) : ""}}});
    return;
  }
  vm.details.push_back({"my_status.lecture.not_eligible",
                        {{"from", d.period.first.iso()}, {"until", d.period.last.iso()}}});
  for (const LectureRefusal r : d.refusals) {
    vm.details.push_back({refusal_key(r), {}});
  }
}

ViewModel MyStatusFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  const std::string id = state_of(screen);
  vm.texts["title"] = {screen + ".title", {}};
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style) {
    vm.actions.push_back({action_id, {key, {}}, style, true, {}});
  };
  if (id == st::reading_license || id == st::reading_basic4 || id == st::looking_up ||
      id == st::asking) {
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
  } else if (id == st::status) {
    vm.kind = ScreenKind::result;
    status_lines(vm);
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::center_unavailable || id == st::wrong_card || id == st::card_error ||
             id == st::card_pulled) {
    vm.kind = ScreenKind::error;
    action("cancel", "common.cancel", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else {
    vm.kind = ScreenKind::error;  // no record, blocked, not recorded
    action("done", "common.done", ActionStyle::primary);
  }
  return vm;
}

void MyStatusFlow::wipe() {
  ident_.wipe();
  flows::wipe(holder_ref_);
  flows::wipe(status_);
}

}  // namespace mk::flows
