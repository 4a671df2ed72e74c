#include "kiosk/runtime/kiosk_glance.hpp"

#include <fmt/format.h>

namespace mk::kiosk {

namespace {

// "18:05": a moment as the desk shows it (Japan's time; the day is the report's).
std::string japan_clock(std::chrono::system_clock::time_point t) {
  const auto since_midnight =
      std::chrono::floor<std::chrono::minutes>(t + std::chrono::hours(9)).time_since_epoch() %
      std::chrono::days(1);
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count();
  return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
}

// Whole seconds of a sum of milliseconds over a count, rounded.
std::string seconds(int64_t ms, int64_t count) {
  return std::to_string(count > 0 ? (ms / count + 500) / 1000 : 0);
}

}  // namespace

flows::Fields glance_fields(const GlanceInputs& in) {
  flows::Fields f;
  f["readers"] = std::to_string(in.readers.size());
  for (size_t i = 0; i < in.readers.size(); ++i) {
    const std::string at = "reader." + std::to_string(i);
    f[at] = in.readers[i].name;
    f[at + ".card"] = in.readers[i].card ? "1" : "0";
  }
  f["camera"] = in.camera ? "1" : "0";
  f["center"] = !in.link.center_answered   ? "unknown"
                : *in.link.center_answered ? "reachable"
                                           : "unreachable";
  f["center_ms"] = in.link.latency ? std::to_string(in.link.latency->count()) : "";
  f["cert_days"] = in.cert_days ? std::to_string(*in.cert_days) : "";
  f["outbox"] = std::to_string(in.outbox_pending);
  f["outbox_oldest_min"] =
      in.outbox_oldest
          ? std::to_string(
                std::chrono::duration_cast<std::chrono::minutes>(*in.outbox_oldest).count())
          : "";
  f["dead_letters"] = std::to_string(in.dead_letters);
  f["audit"] = in.link.audit_chain_ok ? "ok" : "broken";
  f["audit_unsent"] = std::to_string(in.audit_unsent);
  f["audit_last_upload"] = in.link.last_upload ? japan_clock(*in.link.last_upload) : "";
  f["disk_free_mb"] = in.disk_free_bytes ? std::to_string(*in.disk_free_bytes / (1024 * 1024)) : "";
  int64_t procedures = 0;
  for (const auto& p : in.today.procedures) {
    procedures += p.count;
  }
  int64_t codes = 0;
  for (const auto& c : in.today.codes) {
    codes += c.count;
  }
  f["today_procedures"] = std::to_string(procedures);
  f["today_codes"] = std::to_string(codes);
  f["problems"] = std::to_string(in.problems.size());
  for (size_t i = 0; i < in.problems.size(); ++i) {
    const std::string at = "problem." + std::to_string(i);
    f[at] = japan_clock(in.problems[i].at);
    f[at + ".code"] = in.problems[i].code;
  }
  return f;
}

flows::Fields day_report_fields(const offline_cache::DayReport& report,
                                const std::string& terminal) {
  flows::Fields f;
  f["day"] = report.day;
  f["terminal"] = terminal;
  f["procedures"] = std::to_string(report.procedures.size());
  for (size_t i = 0; i < report.procedures.size(); ++i) {
    const auto& p = report.procedures[i];
    const std::string at = "procedure." + std::to_string(i);
    f[at] = p.procedure;
    f[at + ".outcome"] = p.outcome;
    f[at + ".count"] = std::to_string(p.count);
    f[at + ".mean_s"] = seconds(p.total_ms, p.count);
    f[at + ".max_s"] = seconds(p.max_ms, 1);
  }
  f["codes"] = std::to_string(report.codes.size());
  for (size_t i = 0; i < report.codes.size(); ++i) {
    const std::string at = "code." + std::to_string(i);
    f[at] = report.codes[i].code;
    f[at + ".count"] = std::to_string(report.codes[i].count);
  }
  return f;
}

flows::Fields dead_letter_fields(const std::vector<offline_cache::DeadLetter>& letters) {
  flows::Fields f;
  f["letters"] = std::to_string(letters.size());
  for (size_t i = 0; i < letters.size(); ++i) {
    const auto& l = letters[i];
    const std::string at = "letter." + std::to_string(i);
    f[at] = std::to_string(l.id);
    f[at + ".kind"] = l.kind;
    const std::chrono::system_clock::time_point dead = l.dead_at;
    f[at + ".dead_at"] = offline_cache::japan_day(l.dead_at) + " " + japan_clock(dead);
    // Whole characters only: the reason may be any UTF-8 the centre wrote.
    size_t cut = std::min<size_t>(l.reason.size(), 160);
    while (cut < l.reason.size() && cut > 0 &&
           (static_cast<unsigned char>(l.reason[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    f[at + ".reason"] = l.reason.substr(0, cut);
  }
  return f;
}

std::string day_report_csv(const offline_cache::DayReport& report, const std::string& terminal) {
  // Every value is a name the code gives ([a-z0-9_-], MK-…, a terminal id), a date or a number:
  // nothing to quote.
  std::string csv = "terminal,day,kind,name,outcome,count,mean_s,max_s\r\n";
  for (const auto& p : report.procedures) {
    csv += fmt::format("{},{},procedure,{},{},{},{},{}\r\n", terminal, report.day, p.procedure,
                       p.outcome, p.count, seconds(p.total_ms, p.count), seconds(p.max_ms, 1));
  }
  for (const auto& c : report.codes) {
    csv += fmt::format("{},{},code,{},,{},,\r\n", terminal, report.day, c.code, c.count);
  }
  return csv;
}

}  // namespace mk::kiosk
