// No PIN and no My Number may reach the kiosk's database files, its logs, its audit log or the
// day's report. The real kiosk runs the record flow (Myna only), the read-back flow with a wrong
// PIN first, a holding-form change (its submission goes through the outbox), the one-stop signing
// PIN typed wrong down to locked, a signed consent kept in the outbox while the centre is away,
// and staff signing in (with the centre and against the kiosk's copy of its verifiers), at log
// level debug, against virtual cards and the built-in centre simulator; then every file of its
// store, everything it logged and its day's report (`--day-report`) are searched for every PIN
// and My Number of the fixture people and the PINs the scenarios type (the staff members' too),
// in every encoding the scanner knows (tests/support/secret_scan.hpp).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "offline-cache/key_file.hpp"
#include "offline-cache/store.hpp"
#include "tests/support/run_process.hpp"
#include "tests/support/secret_scan.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::quote;
using mk::test::run_process;

TEST(SecretLeak, NoPinOrMyNumberInTheStoreTheLogsOrTheAuditLog) {
  if (std::getenv("MK_PCSCD_PID") == nullptr) {
    GTEST_SKIP() << "runs under tests/support/pcsc_namespace.sh (ctest does that)";
  }
  const fs::path work = fs::path(testing::TempDir()) / ("leak-" + std::to_string(getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  std::ofstream(work / "kiosk.toml")
      << "[store]\ndir = \"" << (work / "store").string() << "\"\nkey_file = \""
      << (work / "store.key").string() << "\"\n[log]\nlevel = \"debug\"\njournal = \"off\"\n";
  std::string logs;
  for (const char* scenario :
       {"record_myna_only.script", "read_back.script", "holding_form_return.script",
        "one_stop_sign_pin_lock.script", "one_stop_center_down.script", "portal_linkage.script",
        "portal_linkage_center_down.script", "staff_sign_in.script", "staff_center_down.script"}) {
    const auto r = run_process(quote(MK_KIOSK_EXE) + " --headless --config " +
                               quote((work / "kiosk.toml").string()) + " --script " +
                               quote(std::string(MK_SOURCE_DIR) + "/tests/scenarios/" + scenario));
    ASSERT_EQ(r.exit_code, 0) << scenario << ":\n" << r.output;
    logs += r.output;
  }
  std::ofstream(work / "kiosk.log") << logs;

  // The audit log's rows as text too (what an upload would carry).
  std::string audit_text;
  {
    auto store = mk::offline_cache::Store::open(
        work / "store", mk::offline_cache::KeyFile::load(work / "store.key"));
    const auto rows = store->audit().batch_for_upload(0, 100000);
    ASSERT_FALSE(rows.empty()) << "the flows wrote no audit rows";
    for (const auto& row : rows) {
      audit_text += row.actor + " " + row.action + " " + row.result + " " + row.terminal + " " +
                    row.detail + "\n";
    }
    EXPECT_EQ(store->outbox().pending_count() + store->outbox().dead_letter_count(), 0)
        << "the holding-form submission was not delivered";
  }
  std::ofstream(work / "audit.txt") << audit_text;

  // The day's report (issue 12 §7), as an operator exports it: counts and codes, nothing personal.
  const auto report = run_process(quote(MK_KIOSK_EXE) + " --config " +
                                  quote((work / "kiosk.toml").string()) + " --day-report");
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("terminal,day,kind,name,outcome,count,mean_s,max_s"),
            std::string::npos)
      << report.output;
  // staff_sign_in.script: a read-back cancelled on its first screen.
  EXPECT_NE(report.output.find(",procedure,read_back,cancelled,"), std::string::npos)
      << report.output;
  EXPECT_NE(report.output.find(",procedure,record,"), std::string::npos) << report.output;
  std::ofstream(work / "report.csv") << report.output;

  std::vector<mk::test::Secret> secrets =
      mk::test::fixture_secrets(fs::path(MK_SOURCE_DIR) / "devices/sim/fixtures");
  secrets.push_back({"the new licence PIN the scenario sets", "4821"});
  for (const char* wrong : {"WRONG1", "WRONG2", "WRONG3", "WRONG4", "WRONG5"}) {
    secrets.push_back({"a wrong signing PIN the scenario types", wrong});
  }
  // The staff PINs the staff scenarios type (issue 12): the test staff's, and the wrong ones.
  for (const char* pin : {"246810", "135791", "111111", "222222", "333333", "444444", "555555"}) {
    secrets.push_back({"a staff PIN the scenarios type", pin});
  }
  std::vector<fs::path> files = mk::test::files_under(work / "store");
  ASSERT_GE(files.size(), 2U);  // cache.db and audit.db at least (the key lives apart)
  files.push_back(work / "kiosk.log");
  files.push_back(work / "audit.txt");
  files.push_back(work / "report.csv");
  // The store's key file is the one file allowed to hold random bytes that look like anything.
  std::erase_if(files, [](const fs::path& f) { return f.filename() == "store.key"; });

  const auto hits = mk::test::scan_for_secrets(files, secrets);
  for (const auto& hit : hits) {
    ADD_FAILURE() << hit.secret_label << " found as " << hit.form << " in " << hit.file.string()
                  << " at byte " << hit.offset;
  }
  // The scan can fail: the logs do carry the kiosk's own words about these procedures.
  EXPECT_NE(logs.find("record"), std::string::npos);
  if (hits.empty()) {
    fs::remove_all(work);
  }
}

}  // namespace
