// What staff see of the kiosk (kiosk/runtime/kiosk_glance.hpp): the glance's fields from what the
// parts know, the day's report as fields and as CSV.
#include "kiosk/runtime/kiosk_glance.hpp"

#include <gtest/gtest.h>

namespace mk::kiosk {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

offline_cache::DayReport report() {
  offline_cache::DayReport r;
  r.day = "2026-11-27";
  r.procedures = {{"read_back", "showing", 4, 164'400, 63'000},
                  {"record", "done", 2, 190'000, 120'000}};
  r.codes = {{"MK-CARD-PULLED", 2}};
  return r;
}

TEST(KioskGlance, FieldsFromWhatThePartsKnow) {
  GlanceInputs in;
  in.readers = {{"Virtual PCD 00 00", true}, {"Virtual PCD 00 01", false}};
  in.camera = true;
  in.link.center_answered = false;
  in.link.latency = std::chrono::milliseconds(15);
  in.link.audit_chain_ok = true;
  // 09:30 UTC is 18:30 in Japan.
  in.link.last_upload =
      std::chrono::sys_days(std::chrono::year_month_day(
          std::chrono::year(2026), std::chrono::month(11), std::chrono::day(27))) +
      hours(9) + minutes(30);
  in.cert_days = 364;
  in.outbox_pending = 3;
  in.outbox_oldest = minutes(61) + std::chrono::seconds(59);
  in.dead_letters = 1;
  in.audit_unsent = 5;
  in.disk_free_bytes = uint64_t{2048} * 1024 * 1024;
  in.today = report();
  in.problems = {{*in.link.last_upload, "MK-CARD-PULLED"}};
  const flows::Fields f = glance_fields(in);
  EXPECT_EQ(f.at("readers"), "2");
  EXPECT_EQ(f.at("reader.0"), "Virtual PCD 00 00");
  EXPECT_EQ(f.at("reader.0.card"), "1");
  EXPECT_EQ(f.at("reader.1.card"), "0");
  EXPECT_EQ(f.at("camera"), "1");
  EXPECT_EQ(f.at("center"), "unreachable");
  EXPECT_EQ(f.at("center_ms"), "15");
  EXPECT_EQ(f.at("cert_days"), "364");
  EXPECT_EQ(f.at("outbox"), "3");
  EXPECT_EQ(f.at("outbox_oldest_min"), "61");
  EXPECT_EQ(f.at("dead_letters"), "1");
  EXPECT_EQ(f.at("audit"), "ok");
  EXPECT_EQ(f.at("audit_unsent"), "5");
  EXPECT_EQ(f.at("audit_last_upload"), "18:30");
  EXPECT_EQ(f.at("disk_free_mb"), "2048");
  EXPECT_EQ(f.at("today_procedures"), "6");
  EXPECT_EQ(f.at("today_codes"), "2");
  EXPECT_EQ(f.at("problems"), "1");
  EXPECT_EQ(f.at("problem.0"), "18:30");
  EXPECT_EQ(f.at("problem.0.code"), "MK-CARD-PULLED");
}

TEST(KioskGlance, WhatIsNotKnownIsEmpty) {
  const flows::Fields f = glance_fields({});
  EXPECT_EQ(f.at("readers"), "0");
  EXPECT_EQ(f.at("center"), "unknown");
  EXPECT_EQ(f.at("center_ms"), "");
  EXPECT_EQ(f.at("cert_days"), "");
  EXPECT_EQ(f.at("outbox_oldest_min"), "");
  EXPECT_EQ(f.at("audit_last_upload"), "");
  EXPECT_EQ(f.at("disk_free_mb"), "");
  EXPECT_EQ(f.at("problems"), "0");
}

TEST(KioskGlance, TheDaysReportAsFieldsAndAsCsv) {
  const flows::Fields f = day_report_fields(report(), "KIOSK-01");
  EXPECT_EQ(f.at("day"), "2026-11-27");
  EXPECT_EQ(f.at("terminal"), "KIOSK-01");
  EXPECT_EQ(f.at("procedures"), "2");
  EXPECT_EQ(f.at("procedure.0"), "read_back");
  EXPECT_EQ(f.at("procedure.0.mean_s"), "41");  // 164.4 s over 4
  EXPECT_EQ(f.at("procedure.1.max_s"), "120");
  EXPECT_EQ(f.at("code.0.count"), "2");
  EXPECT_EQ(day_report_csv(report(), "KIOSK-01"),
            "terminal,day,kind,name,outcome,count,mean_s,max_s\r\n"
            "KIOSK-01,2026-11-27,procedure,read_back,showing,4,41,63\r\n"
            "KIOSK-01,2026-11-27,procedure,record,done,2,95,120\r\n"
            "KIOSK-01,2026-11-27,code,MK-CARD-PULLED,,2,,\r\n");
}

}  // namespace
}  // namespace mk::kiosk
