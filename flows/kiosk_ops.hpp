#pragma once

// What staff ask the kiosk itself (KioskRequest::op), answered as Event::kiosk(op, "ok", fields)
// by the kiosk (kiosk/runtime/kiosk_glance.hpp), or "unavailable" when it cannot say. Counts,
// states and codes only: nothing of a person, nothing typed.

namespace mk::flows::kiosk_ops {

// The kiosk's state at a glance (issue 12 §5). ok fields, each "" when unknown:
//   readers (how many), reader.<i> (its name), reader.<i>.card ("1"/"0");
//   camera ("1"/"0");
//   center ("reachable"/"unreachable"/"unknown"), center_ms (the last answer's round trip),
//   cert_days (days until this kiosk's client certificate expires);
//   outbox (submissions waiting), outbox_oldest_min (the oldest's age), dead_letters;
//   audit ("ok"/"broken"), audit_unsent (rows the centre has not taken yet), audit_last_upload
//   ("HH:MM", the last batch it took since the kiosk started);
//   disk_free_mb;
//   today_procedures, today_codes (the day's counts);
//   problems (how many listed), problem.<i> ("HH:MM"), problem.<i>.code: the last ones, newest
//   first.
inline constexpr const char* kStatus = "status";

// The day's report (issue 12 §7). ok fields: day ("YYYY-MM-DD"), terminal; procedures (how many
// rows),
// procedure.<i> (the procedure's id), procedure.<i>.outcome (the state it ended in),
// procedure.<i>.count, procedure.<i>.mean_s, procedure.<i>.max_s; codes (how many rows),
// code.<i>, code.<i>.count.
inline constexpr const char* kDayReport = "day_report";

// The dead letters (issue 12 §3): submissions the centre refused for good. ok fields: letters
// (how many), letter.<i> (its id), letter.<i>.kind, letter.<i>.dead_at ("YYYY-MM-DD HH:MM",
// Japan), letter.<i>.reason (the centre's code and words, which never hold personal data).
inline constexpr const char* kDeadLetters = "dead_letters";

// Sends one dead letter again (its cause mended), under a new idempotency key. args: id. ok fields:
// id; "not_found" (no dead letter with that id: sent again already), "failed" (its payload does
// not open with this kiosk's key).
inline constexpr const char* kRequeue = "requeue";

// Ends the person's session where it stands (issue 12 §3, a stuck session): the procedure's flow
// wiped and counted as "overridden", its card released, the kiosk back at its first screen,
// asking for any card still on a reader once staff leave. ok fields: procedure, state (the flow
// and state it was in; "" when no procedure was running).
inline constexpr const char* kEndSession = "end_session";

// A staff member signed in here answers the person's call for staff, if one is open (issue 12
// §2). args: staff_id. ok fields: answered ("1": there was a call, now answered; "0": none).
inline constexpr const char* kAnswerCall = "answer_call";

}  // namespace mk::flows::kiosk_ops
