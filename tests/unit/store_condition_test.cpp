// Issue 15, defect 7: a store that cannot commit makes the kiosk refuse new procedures that
// would need it, with a page that says the disk is full — measured before the person starts,
// and learnt from a commit the file system refused (a real SQLITE_FULL here) — and clears once
// there is room. Each change is reported once, at error level, with its stable code.
#include "kiosk/runtime/store_condition.hpp"

#include <gtest/gtest.h>

#include "offline-cache/problem.hpp"
#include "offline-cache/store.hpp"
#include "tests/offline_cache/cache_support.hpp"

namespace mk::kiosk {
namespace {

namespace oc = offline_cache;
using State = StoreCondition::State;

struct Disk {
  uint64_t free = 1ULL << 30;
  StoreCondition::FreeSpace space() {
    return [this](const std::filesystem::path&) { return std::optional<uint64_t>(free); };
  }
};

TEST(StoreCondition, LittleFreeSpaceRefusesUntilThereIsRoom) {
  ProblemReporter problems(nullptr, "T");
  Disk disk;
  StoreCondition condition("/store", problems, nullptr, 16 << 20, disk.space());
  EXPECT_EQ(condition.refusal(), std::nullopt);
  disk.free = 1 << 20;
  EXPECT_EQ(condition.refusal(), "out_of_service.disk_full");
  EXPECT_EQ(condition.refusal(), "out_of_service.disk_full");
  EXPECT_EQ(problems.counts()[oc::problem_code::kDiskFull], 1) << "reported once per change";
  disk.free = 1ULL << 30;
  EXPECT_EQ(condition.check(), State::ok);
}

// A commit SQLite refused for room (max_page_count makes a real SQLITE_FULL).
oc::StoreError full_disk_error() {
  mk::test::TempDir dir;
  auto db = oc::open_database(dir / "small.db");
  db.exec("CREATE TABLE t (b BLOB)");
  db.exec("PRAGMA max_page_count = 3");
  try {
    db.exec("INSERT INTO t VALUES (zeroblob(100000))");
  } catch (const oc::StoreError& e) {
    return e;
  }
  return oc::StoreError(oc::StoreErrorKind::internal, "SQLite took a row it had no room for");
}

TEST(StoreCondition, ACommitRefusedForRoomIsADiskFull) {
  const oc::StoreError error = full_disk_error();
  ASSERT_EQ(error.kind(), oc::StoreErrorKind::disk_full) << error.what();
  ProblemReporter problems(nullptr, "T");
  Disk disk;  // statvfs still says there is room (a quota, a reserved-blocks limit)
  bool room = false;
  StoreCondition condition(
      "/store", problems,
      [&room, &error] {
        if (!room) {
          throw error;
        }
      },
      16 << 20, disk.space());
  condition.write_failed(error);
  EXPECT_EQ(condition.refusal(), "out_of_service.disk_full");
  EXPECT_EQ(condition.refusal(), "out_of_service.disk_full") << "the probe commit fails too";
  room = true;  // an operator made room: the probe commits, procedures start again
  EXPECT_EQ(condition.refusal(), std::nullopt);
}

TEST(StoreCondition, AnotherWriteFailureIsOutOfServiceUntilAWriteSucceeds) {
  ProblemReporter problems(nullptr, "T");
  Disk disk;
  StoreCondition condition("/store", problems, nullptr, 16 << 20, disk.space());
  condition.write_failed(oc::StoreError(oc::StoreErrorKind::io, "disk I/O error"));
  EXPECT_EQ(condition.refusal(), "out_of_service.store");
  EXPECT_EQ(problems.counts()[oc::problem_code::kWriteFailed], 1);
  condition.write_succeeded();
  EXPECT_EQ(condition.refusal(), std::nullopt);
}

TEST(ProblemReporter, StaffProblemsGoToTheAuditLogWithTheirCode) {
  mk::test::TempDir dir;
  auto store = oc::Store::open(dir.path(), mk::test::test_key());
  ProblemReporter problems(&store->audit(), "KIOSK-1");
  problems.report(oc::problem_code::kDeadLetter, true, "outbox row 3 (holding-form): refused");
  problems.report(oc::problem_code::kOutboxRetry, false, "outbox row 4: attempt 1 failed");
  auto rows = store->audit().batch_for_upload(0, 10);
  std::erase_if(rows, [](const auto& r) { return r.action == oc::kAuditChainRestarted; });
  ASSERT_EQ(rows.size(), 1U) << "a retry is only a warning";
  EXPECT_EQ(rows[0].actor, "system");
  EXPECT_EQ(rows[0].action, oc::problem_code::kDeadLetter);
  EXPECT_EQ(problems.counts().at(oc::problem_code::kOutboxRetry), 1);
}

}  // namespace
}  // namespace mk::kiosk
