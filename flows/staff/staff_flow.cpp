#include "flows/staff/staff_flow.hpp"

#include <algorithm>

#include "flows/center_ops.hpp"
#include "flows/kiosk_ops.hpp"
#include "flows/procedures.hpp"
#include "flows/rules/staff_sign_in.hpp"

namespace mk::flows {

namespace {

namespace st {
constexpr StateId enter_id{"enter_id"};
constexpr StateId enter_pin{"enter_pin"};
constexpr StateId checking{"checking"};
constexpr StateId refused{"refused"};
constexpr StateId locked{"locked"};
constexpr StateId center_away{"center_away"};
constexpr StateId failed{"failed"};
constexpr StateId desk{"desk"};
constexpr StateId status{"status"};
constexpr StateId report{"report"};
constexpr StateId dead_letters{"dead_letters"};
constexpr StateId confirm_end{"confirm_end"};
constexpr StateId session_ended{"session_ended"};
constexpr StateId closed{"closed"};          // nobody signed in
constexpr StateId signed_out{"signed_out"};  // the member signed in has left the desk
}  // namespace st

}  // namespace

const FlowDefinition& StaffFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "staff";
    d.initial = st::enter_id;
    // No card is the staff layer's: a card placed or taken belongs to the person's procedure
    // under it, so card-removed stays where it is.
    // id, card removed, cancel, idle, final, note, diagnostic code
    d.states = {
        {st::enter_id, st::enter_id, st::closed, st::closed, false, "masked pad"},
        {st::enter_pin, st::enter_pin, st::closed, st::closed, false, "masked pad"},
        {st::checking, st::checking, st::closed, st::closed, false,
         "the centre, else the kiosk's copy of its verifiers"},
        {st::refused, st::refused, st::closed, st::closed, false, "ID and PIN not told apart"},
        {st::locked, st::locked, st::closed, st::closed, false, "5 wrong PINs in a row",
         "MK-STAFF-LOCKED"},
        {st::center_away, st::center_away, st::closed, st::closed, false,
         "no copy to check against", "MK-CENTER-UNREACHABLE"},
        {st::failed, st::failed, st::closed, st::closed, false, "the centre refused the kiosk",
         "MK-CENTER-REFUSED"},
        {st::desk, st::desk, st::signed_out, st::signed_out, false, "signed in; idle timer"},
        {st::status, st::status, st::signed_out, st::signed_out, false, "the kiosk at a glance"},
        {st::report, st::report, st::signed_out, st::signed_out, false,
         "counts by procedure and outcome, codes"},
        {st::dead_letters, st::dead_letters, st::signed_out, st::signed_out, false,
         "what the centre refused; one sent again"},
        {st::confirm_end, st::confirm_end, st::signed_out, st::signed_out, false,
         "end the person's session?"},
        {st::session_ended, st::session_ended, st::signed_out, st::signed_out, false,
         "wiped, card released, counted as overridden"},
        {st::closed, "", "", "", true, ""},
        {st::signed_out, "", "", "", true, ""},
    };
    d.transitions = {
        {st::enter_id, "id_typed", st::enter_pin},
        {st::enter_pin, "pin_typed", st::checking},
        {st::enter_pin, "tap:back", st::enter_id},
        {st::checking, "signed_in", st::desk},
        {st::checking, "refused", st::refused},
        {st::checking, "locked", st::locked},
        {st::checking, "center_away", st::center_away},
        {st::checking, "failed", st::failed},
        {st::failed, "tap:retry", st::enter_id},
        {st::failed, "tap:close", st::closed},
        {st::refused, "tap:retry", st::enter_id},
        {st::refused, "tap:close", st::closed},
        {st::locked, "tap:close", st::closed},
        {st::center_away, "tap:retry", st::enter_id},
        {st::center_away, "tap:close", st::closed},
        {st::desk, "signed_out", st::signed_out},
        {st::desk, "tap:status", st::status},
        {st::desk, "tap:report", st::report},
        {st::status, "tap:refresh", st::status},
        {st::status, "tap:back", st::desk},
        {st::status, "signed_out", st::signed_out},
        {st::report, "tap:back", st::desk},
        {st::report, "signed_out", st::signed_out},
        {st::desk, "tap:dead_letters", st::dead_letters},
        {st::dead_letters, "tap:back", st::desk},
        {st::dead_letters, "signed_out", st::signed_out},
        {st::desk, "tap:end_session", st::confirm_end},
        {st::confirm_end, "tap:back", st::desk},
        {st::confirm_end, "tap:end", st::session_ended},
        {st::confirm_end, "signed_out", st::signed_out},
        {st::session_ended, "tap:done", st::desk},
        {st::session_ended, "signed_out", st::signed_out},
    };
    d.validate();
    return d;
  }();
  return def;
}

StaffFlow::StaffFlow(Language language, int idle_ms, bool printer)
    : language_(language),
      idle_ms_(idle_ms),
      printer_(printer),
      machine_(definition(), behaviours(), [this] { wipe(); }) {}

std::map<std::string, StateBehaviour> StaffFlow::behaviours() {
  std::map<std::string, StateBehaviour> b;
  for (const StateId id :
       {st::enter_id, st::enter_pin, st::refused, st::locked, st::center_away, st::failed}) {
    b[id].enter = [this, id] { return show(id); };
  }
  b[st::enter_id].enter = [this] {
    flows::wipe(staff_id_);
    return show(st::enter_id);
  };
  b[st::enter_id].handle = [this](Event& e) -> Step {
    if (e.kind != EventKind::intent || e.name != "staff_id") {
      return {};
    }
    staff_id_ = std::string(e.secret.reveal());
    return {"id_typed", {}};
  };
  b[st::enter_pin].handle = [this](Event& e) { return pin_typed(e); };
  b[st::checking] = {
      [this] {
        Effects e = show(st::checking);
        e.emplace_back(CenterRequest{
            center_ops::kStaffSignIn, {{"staff_id", staff_id_}}, std::move(pin_), {}});
        return e;
      },
      [this](Event& e) -> Step { return e.kind == EventKind::center ? after_check(e) : Step{}; }};
  b[st::desk] = {[this] {
                   Effects e = show(st::desk);
                   e.emplace_back(StartTimer{kIdleTimer, idle_ms_});
                   return e;
                 },
                 [this](Event& e) { return while_signed_in(e).value_or(stay()); }};
  b[st::status] = {[this] {
                     status_outcome_.clear();
                     flows::wipe(status_);
                     Effects e = show(st::status);
                     e.emplace_back(KioskRequest{kiosk_ops::kStatus, {}});
                     e.emplace_back(audit("staff.status", "viewed"));
                     return e;
                   },
                   [this](Event& e) { return at_status(e); }};
  b[st::report] = {[this] {
                     report_outcome_.clear();
                     printed_.clear();
                     flows::wipe(report_);
                     Effects e = show(st::report);
                     e.emplace_back(KioskRequest{kiosk_ops::kDayReport, {}});
                     e.emplace_back(audit("staff.report", "viewed"));
                     return e;
                   },
                   [this](Event& e) { return at_report(e); }};
  b[st::dead_letters] = {[this] {
                           letters_outcome_.clear();
                           requeued_.clear();
                           flows::wipe(letters_);
                           Effects e = show(st::dead_letters);
                           e.emplace_back(KioskRequest{kiosk_ops::kDeadLetters, {}});
                           e.emplace_back(audit("staff.dead_letters", "viewed"));
                           return e;
                         },
                         [this](Event& e) { return at_dead_letters(e); }};
  b[st::confirm_end] = {[this] { return show(st::confirm_end); },
                        [this](Event& e) { return while_signed_in(e).value_or(stay()); }};
  b[st::session_ended] = {[this] {
                            ended_outcome_.clear();
                            flows::wipe(ended_);
                            Effects e = show(st::session_ended);
                            e.emplace_back(KioskRequest{kiosk_ops::kEndSession, {}});
                            return e;
                          },
                          [this](Event& e) { return at_session_ended(e); }};
  return b;
}

Step StaffFlow::pin_typed(Event& e) {
  if (e.kind != EventKind::intent || e.name != "staff_pin") {
    return {};
  }
  pin_ = std::move(e.secret);  // for the one request `checking` makes on entry
  return {"pin_typed", {}};
}

std::string StaffFlow::id_end() const {
  const size_t shown = std::min<size_t>(2, staff_id_.size());
  return staff_id_.substr(staff_id_.size() - shown);
}

TextRef StaffFlow::procedure_name(const std::string& id) {
  const Procedure* p = find_procedure(id);
  return p != nullptr ? TextRef{p->label_key, {}}
                      : TextRef{"staff.report.other_procedure", {{"id", id}}};
}

AuditEntry StaffFlow::audit(std::string action, std::string result, std::string detail) const {
  return AuditEntry{std::move(action), std::move(result), std::move(detail), "staff:" + staff_id_};
}

Step StaffFlow::after_check(Event& e) {
  Effects effects;
  if (e.outcome == "ok") {
    role_ = field(e.fields, "role");
    checked_by_ = field(e.fields, "checked_by");
    effects.emplace_back(audit(
        "staff.sign_in", "ok",
        checked_by_ == "kiosk" ? "checked against this kiosk's copy" : "checked by the centre"));
    // Signing in here answers the person's call for staff, if they made one.
    effects.emplace_back(KioskRequest{kiosk_ops::kAnswerCall, {{"staff_id", staff_id_}}});
    return {"signed_in", std::move(effects)};
  }
  if (e.outcome == "staff_sign_in_refused") {
    // Not a known member (or not the PIN): the ID as typed may be anything — a PIN typed into the
    // wrong pad even — so the row names its last two digits only.
    effects.emplace_back(AuditEntry{"staff.sign_in", "refused", "typed ID ending in " + id_end(),
                                    "staff:unverified"});
    return {"refused", std::move(effects)};
  }
  if (e.outcome == "staff_locked") {
    effects.emplace_back(audit("staff.sign_in", "locked"));
    return {"locked", std::move(effects)};
  }
  if (e.outcome == center_ops::kUnavailable) {
    return {"center_away", {}};
  }
  return {"failed", {}};  // the centre answered, but refused the kiosk itself (or the kiosk failed)
}

std::optional<Step> StaffFlow::while_signed_in(Event& e) {
  const bool leaves =
      e.kind == EventKind::cancel || (e.kind == EventKind::intent && e.name == "sign_out");
  const bool idle =
      e.kind == EventKind::idle_timeout || (e.kind == EventKind::timer && e.name == kIdleTimer);
  if (leaves || idle) {
    Effects effects;
    effects.emplace_back(audit("staff.sign_out", idle ? "idle" : "ok"));
    return Step{"signed_out", std::move(effects)};
  }
  if (e.kind == EventKind::kiosk && e.name == kiosk_ops::kAnswerCall) {
    // The sign-in's answer to the person's call, on whichever screen staff are by now.
    if (e.outcome != "ok" || field(e.fields, "answered") != "1") {
      return stay();
    }
    call_answered_ = true;
    Effects effects;
    effects.emplace_back(audit("staff.call", "answered"));
    if (state() == st::desk) {
      for (auto& shown : show(st::desk)) {
        effects.push_back(std::move(shown));
      }
    }
    return stay(std::move(effects));
  }
  if (e.kind == EventKind::intent) {
    // A touch: the idle time starts again, and the table takes the tap.
    Effects effects;
    effects.emplace_back(StartTimer{kIdleTimer, idle_ms_});
    return Step{"", std::move(effects)};
  }
  return std::nullopt;
}

Step StaffFlow::at_status(Event& e) {
  if (auto signed_in = while_signed_in(e)) {
    return std::move(*signed_in);
  }
  if (e.kind == EventKind::kiosk && e.name == kiosk_ops::kStatus) {
    status_outcome_ = e.outcome;
    status_ = std::move(e.fields);
    return stay(show(st::status));
  }
  return stay();
}

Step StaffFlow::at_report(Event& e) {
  if (e.kind == EventKind::intent && e.name == "print") {
    if (!printer_ || report_outcome_ != "ok" || printed_ == "printing") {
      return stay();  // not offered
    }
    printed_ = "printing";
    Effects effects;
    effects.emplace_back(StartTimer{kIdleTimer, idle_ms_});
    effects.emplace_back(PrintRequest{"report", report_slip()});
    for (auto& shown : show(st::report)) {
      effects.push_back(std::move(shown));
    }
    return stay(std::move(effects));
  }
  if (auto signed_in = while_signed_in(e)) {
    return std::move(*signed_in);
  }
  if (e.kind == EventKind::kiosk && e.name == kiosk_ops::kDayReport) {
    report_outcome_ = e.outcome;
    report_ = std::move(e.fields);
    return stay(show(st::report));
  }
  if (e.kind == EventKind::printed && e.name == "report") {
    printed_ = e.outcome;
    Effects effects = show(st::report);
    effects.emplace_back(audit("staff.report", e.outcome == "ok" ? "printed" : "print_failed",
                               e.outcome == "ok" ? "" : e.outcome));
    return stay(std::move(effects));
  }
  return stay();
}

Step StaffFlow::at_dead_letters(Event& e) {
  if (e.kind == EventKind::intent && e.name.starts_with("requeue:")) {
    const std::string id = e.name.substr(8);
    bool listed = false;
    const int letters = count_field(letters_, "letters", 10'000);
    for (int i = 0; i < letters; ++i) {
      listed = listed || field(letters_, "letter." + std::to_string(i)) == id;
    }
    if (!listed) {
      return stay();  // not offered
    }
    Effects effects;
    effects.emplace_back(StartTimer{kIdleTimer, idle_ms_});
    effects.emplace_back(KioskRequest{kiosk_ops::kRequeue, {{"id", id}}});
    return stay(std::move(effects));
  }
  if (auto signed_in = while_signed_in(e)) {
    return std::move(*signed_in);
  }
  if (e.kind == EventKind::kiosk && e.name == kiosk_ops::kDeadLetters) {
    letters_outcome_ = e.outcome;
    letters_ = std::move(e.fields);
    return stay(show(st::dead_letters));
  }
  if (e.kind == EventKind::kiosk && e.name == kiosk_ops::kRequeue) {
    const std::string id = field(e.fields, "id");
    requeued_ = (e.outcome == "ok" ? "" : "!") + id;
    Effects effects;
    effects.emplace_back(audit("staff.requeue", e.outcome, "dead letter " + id));
    effects.emplace_back(KioskRequest{kiosk_ops::kDeadLetters, {}});  // the list as it is now
    return stay(std::move(effects));
  }
  return stay();
}

Step StaffFlow::at_session_ended(Event& e) {
  if (auto signed_in = while_signed_in(e)) {
    return std::move(*signed_in);
  }
  if (e.kind == EventKind::kiosk && e.name == kiosk_ops::kEndSession) {
    ended_outcome_ = e.outcome;
    ended_ = std::move(e.fields);
    const std::string procedure = field(ended_, "procedure");
    Effects effects = show(st::session_ended);
    effects.emplace_back(
        audit("staff.end_session",
              e.outcome != "ok"   ? e.outcome
              : procedure.empty() ? "no_session"
                                  : "ended",
              procedure.empty() ? "" : procedure + " in " + field(ended_, "state")));
    return stay(std::move(effects));
  }
  return stay();
}

namespace {

// A field as shown: "" (unknown) as a dash.
std::string shown(const Fields& f, const std::string& name) {
  const std::string v = field(f, name);
  return v.empty() ? "—" : v;
}

}  // namespace

void StaffFlow::status_lines(ViewModel& vm) const {
  auto& d = vm.details;
  if (status_outcome_.empty()) {
    d.push_back({"staff.status.loading", {}});
    return;
  }
  if (status_outcome_ != "ok") {
    d.push_back({"staff.status.unavailable", {}});
    return;
  }
  const int readers = count_field(status_, "readers", 16);
  if (readers <= 0) {
    d.push_back({"staff.status.no_readers", {}});
  }
  for (int i = 0; i < readers; ++i) {
    const std::string at = "reader." + std::to_string(i);
    d.push_back({field(status_, at + ".card") == "1" ? "staff.status.reader_card"
                                                     : "staff.status.reader_empty",
                 {{"name", field(status_, at)}}});
  }
  d.push_back(
      {field(status_, "camera") == "1" ? "staff.status.camera_on" : "staff.status.camera_off", {}});
  const std::string center = field(status_, "center");
  d.push_back(center == "reachable"
                  ? TextRef{"staff.status.center_reachable", {{"ms", shown(status_, "center_ms")}}}
                  : TextRef{center == "unreachable" ? "staff.status.center_unreachable"
                                                    : "staff.status.center_unknown",
                            {}});
  const std::string cert = field(status_, "cert_days");
  d.push_back(cert.empty()            ? TextRef{"staff.status.cert_unknown", {}}
              : cert.starts_with("-") ? TextRef{"staff.status.cert_expired", {}}
                                      : TextRef{"staff.status.cert_days", {{"days", cert}}});
  d.push_back(field(status_, "outbox") == "0"
                  ? TextRef{"staff.status.outbox_empty", {}}
                  : TextRef{"staff.status.outbox",
                            {{"count", shown(status_, "outbox")},
                             {"minutes", shown(status_, "outbox_oldest_min")}}});
  d.push_back({"staff.status.dead_letters", {{"count", shown(status_, "dead_letters")}}});
  d.push_back(field(status_, "audit") == "ok"
                  ? TextRef{"staff.status.audit_ok",
                            {{"unsent", shown(status_, "audit_unsent")},
                             {"last", shown(status_, "audit_last_upload")}}}
                  : TextRef{"staff.status.audit_broken", {}});
  d.push_back({"staff.status.disk", {{"mb", shown(status_, "disk_free_mb")}}});
  d.push_back({"staff.status.today",
               {{"procedures", shown(status_, "today_procedures")},
                {"codes", shown(status_, "today_codes")}}});
  const int problems = count_field(status_, "problems", 64);
  if (problems <= 0) {
    d.push_back({"staff.status.no_problems", {}});
  }
  for (int i = 0; i < problems; ++i) {
    const std::string at = "problem." + std::to_string(i);
    d.push_back({"staff.status.problem",
                 {{"time", field(status_, at)}, {"code", field(status_, at + ".code")}}});
  }
}

void StaffFlow::report_lines(ViewModel& vm) const {
  auto& d = vm.details;
  if (report_outcome_.empty()) {
    d.push_back({"staff.status.loading", {}});
    return;
  }
  if (report_outcome_ != "ok") {
    d.push_back({"staff.status.unavailable", {}});
    return;
  }
  const int rows = count_field(report_, "procedures", 10'000);
  if (rows <= 0) {
    d.push_back({"staff.report.none", {}});
  }
  std::string last;
  for (int i = 0; i < rows; ++i) {
    const std::string at = "procedure." + std::to_string(i);
    const std::string id = field(report_, at);
    if (id != last) {  // each procedure by its menu name, its outcomes under it
      d.push_back(procedure_name(id));
      last = id;
    }
    d.push_back({"staff.report.outcome",
                 {{"outcome", field(report_, at + ".outcome")},
                  {"count", field(report_, at + ".count")},
                  {"mean", field(report_, at + ".mean_s")},
                  {"max", field(report_, at + ".max_s")}}});
  }
  const int codes = count_field(report_, "codes", 10'000);
  d.push_back({codes > 0 ? "staff.report.codes" : "staff.report.no_codes", {}});
  for (int i = 0; i < codes; ++i) {
    const std::string at = "code." + std::to_string(i);
    d.push_back({"staff.report.code",
                 {{"code", field(report_, at)}, {"count", field(report_, at + ".count")}}});
  }
}

void StaffFlow::dead_letter_lines(ViewModel& vm) const {
  auto& d = vm.details;
  if (!requeued_.empty()) {
    d.push_back(requeued_.starts_with("!")
                    ? TextRef{"staff.dead_letters.not_requeued", {{"id", requeued_.substr(1)}}}
                    : TextRef{"staff.dead_letters.requeued", {{"id", requeued_}}});
  }
  if (letters_outcome_.empty()) {
    d.push_back({"staff.status.loading", {}});
    return;
  }
  if (letters_outcome_ != "ok") {
    d.push_back({"staff.status.unavailable", {}});
    return;
  }
  const int letters = count_field(letters_, "letters", 10'000);
  if (letters <= 0) {
    d.push_back({"staff.dead_letters.none", {}});
  }
  for (int i = 0; i < letters; ++i) {
    const std::string at = "letter." + std::to_string(i);
    d.push_back({"staff.dead_letters.letter",
                 {{"id", field(letters_, at)},
                  {"kind", field(letters_, at + ".kind")},
                  {"when", field(letters_, at + ".dead_at")},
                  {"reason", field(letters_, at + ".reason")}}});
    vm.actions.push_back({"requeue:" + field(letters_, at),
                          {"staff.dead_letters.requeue", {{"id", field(letters_, at)}}},
                          ActionStyle::choice,
                          true,
                          {}});
  }
}

// The day's report on paper: counts and codes only, like the screen.
ViewModel StaffFlow::report_slip() const {
  ViewModel vm;
  vm.screen = "staff.report_slip";
  vm.language = language_;
  vm.kind = ScreenKind::result;
  vm.texts["title"] = {"staff.report.title", {{"day", field(report_, "day")}}};
  report_lines(vm);
  vm.texts["footer"] = {"staff.report.footer", {{"terminal", field(report_, "terminal")}}};
  return vm;
}

ViewModel StaffFlow::view(const std::string& screen) const {
  ViewModel vm;
  vm.screen = screen;
  vm.language = language_;
  const std::string id = state_of(screen);
  vm.texts["title"] = {screen + ".title", {}};
  const auto action = [&](const std::string& action_id, const std::string& key, ActionStyle style) {
    vm.actions.push_back({action_id, {key, {}}, style, true, {}});
  };
  if (id == st::checking) {
    vm.kind = ScreenKind::progress;
    return vm;
  }
  vm.texts["body"] = {screen + ".body", {}};
  if (id == st::enter_id || id == st::enter_pin) {
    vm.kind = ScreenKind::pin_entry;
    const bool pin = id == st::enter_pin;
    vm.pin_pad = PinPadView{.submit_action = pin ? "staff_pin" : "staff_id",
                            .min_length = pin ? kStaffPinMin : kStaffIdMin,
                            .max_length = pin ? kStaffPinMax : kStaffIdMax};
    action(pin ? "back" : "cancel", pin ? "common.back" : "common.cancel", ActionStyle::back);
  } else if (id == st::desk) {
    vm.kind = ScreenKind::choice;
    vm.texts["body"] = {"staff.desk.body", {{"id_end", id_end()}}};
    vm.details.push_back(
        {role_ == "supervisor" ? "staff.desk.role_supervisor" : "staff.desk.role_staff", {}});
    if (checked_by_ == "kiosk") {
      vm.details.push_back({"staff.desk.checked_by_kiosk", {}});
    }
    if (call_answered_) {
      vm.details.push_back({"staff.desk.call_answered", {}});
    }
    action("status", "staff.desk.status", ActionStyle::choice);
    action("report", "staff.desk.report", ActionStyle::choice);
    action("dead_letters", "staff.desk.dead_letters", ActionStyle::choice);
    action("end_session", "staff.desk.end_session", ActionStyle::choice);
    action("sign_out", "staff.sign_out", ActionStyle::primary);
  } else if (id == st::status) {
    vm.kind = ScreenKind::confirm_data;
    status_lines(vm);
    action("back", "common.back", ActionStyle::back);
    action("refresh", "staff.refresh", ActionStyle::primary);
  } else if (id == st::report) {
    vm.kind = ScreenKind::confirm_data;
    vm.texts["title"] = {"staff.report.title", {{"day", shown(report_, "day")}}};
    report_lines(vm);
    if (printed_ == "printing") {
      vm.details.push_back({"staff.report.printing", {}});
    } else if (!printed_.empty()) {
      vm.details.push_back(
          {printed_ == "ok" ? "staff.report.printed" : "staff.report.print_failed", {}});
    }
    action("back", "common.back", ActionStyle::back);
    if (printer_) {
      action("print", "staff.report.print", ActionStyle::primary);
      vm.actions.back().enabled = report_outcome_ == "ok" && printed_ != "printing";
    }
  } else if (id == st::dead_letters) {
    vm.kind = ScreenKind::choice;
    dead_letter_lines(vm);
    action("back", "common.back", ActionStyle::back);
  } else if (id == st::confirm_end) {
    vm.kind = ScreenKind::message;
    action("back", "common.back", ActionStyle::back);
    action("end", "staff.confirm_end.end", ActionStyle::primary);
  } else if (id == st::session_ended) {
    vm.kind = ScreenKind::result;
    const std::string procedure = field(ended_, "procedure");
    if (ended_outcome_.empty()) {
      vm.details.push_back({"staff.status.loading", {}});
    } else if (ended_outcome_ != "ok") {
      vm.details.push_back({"staff.status.unavailable", {}});
    } else if (procedure.empty()) {
      vm.details.push_back({"staff.session_ended.none", {}});
    } else {
      vm.details.push_back(procedure_name(procedure));
      vm.details.push_back({"staff.session_ended.state", {{"state", field(ended_, "state")}}});
    }
    action("done", "common.done", ActionStyle::primary);
  } else if (id == st::refused || id == st::center_away || id == st::failed) {
    vm.kind = ScreenKind::error;
    action("close", "staff.close", ActionStyle::back);
    action("retry", "common.retry", ActionStyle::primary);
  } else {
    vm.kind = ScreenKind::error;  // locked
    action("close", "staff.close", ActionStyle::primary);
  }
  return vm;
}

void StaffFlow::wipe() {
  pin_.clear();
  flows::wipe(status_);
  flows::wipe(report_);
  flows::wipe(letters_);
  flows::wipe(ended_);
  flows::wipe(staff_id_);
  flows::wipe(role_);
  flows::wipe(checked_by_);
}

}  // namespace mk::flows
