#pragma once

// What staff ask the kiosk itself (flows/kiosk_ops.hpp), answered from what each part knows: its
// state at a glance (readers, camera, centre link, outbox, audit trail, disk, the day's counts,
// the last problems) and the day's report, also as CSV (`mynakiosk --day-report`). Counts,
// states and codes: never anything of a person.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "flows/engine/event.hpp"
#include "kiosk/runtime/center_sync.hpp"
#include "kiosk/runtime/problem_reporter.hpp"
#include "offline-cache/day_counts.hpp"
#include "offline-cache/outbox.hpp"

namespace mk::kiosk {

// What the glance is made of, gathered by the kiosk (bootstrap) when staff ask.
struct GlanceInputs {
  struct Reader {
    std::string name;
    bool card = false;
  };
  std::vector<Reader> readers;
  bool camera = false;
  CenterSync::Glance link;
  std::optional<int> cert_days;
  int64_t outbox_pending = 0;
  std::optional<std::chrono::milliseconds> outbox_oldest;
  int64_t dead_letters = 0;
  int64_t audit_unsent = 0;
  std::optional<uint64_t> disk_free_bytes;
  offline_cache::DayReport today;
  std::vector<ProblemReporter::Recent> problems;
};

// center_ops-style fields of kiosk_ops::kStatus; times as HH:MM in Japan.
flows::Fields glance_fields(const GlanceInputs& in);

// kiosk_ops::kDayReport's fields, with the terminal it is of.
flows::Fields day_report_fields(const offline_cache::DayReport& report,
                                const std::string& terminal);

// kiosk_ops::kDeadLetters's fields: each one's id, kind, when it was refused (Japan) and the
// centre's reason (cut to at most 160 bytes, at a character's boundary).
flows::Fields dead_letter_fields(const std::vector<offline_cache::DeadLetter>& letters);

// The day's report as CSV (RFC 4180, a header row): one row per procedure and outcome, then one
// per diagnostic code, each naming the terminal and the day.
std::string day_report_csv(const offline_cache::DayReport& report, const std::string& terminal);

}  // namespace mk::kiosk
