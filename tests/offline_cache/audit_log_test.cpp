// The audit log: the hash chain finds changed, removed, reordered and cut-off rows at the right
// seq; the My Number guard; upload marks and pruning with an anchor.
#include <gtest/gtest.h>

#include "offline-cache/database.hpp"
#include "offline-cache/schema.hpp"
#include "offline-cache/sensitive_guard.hpp"
#include "offline-cache/store.hpp"
#include "tests/offline_cache/cache_support.hpp"

namespace oc = mk::offline_cache;
using mk::test::FakeClock;
using mk::test::TempDir;

namespace {

oc::AuditEntry entry(int i) {
  oc::AuditEntry e;
  e.actor = i % 2 == 0 ? "holder" : "staff:tanaka";
  e.action = "step." + std::to_string(i);
  e.result = "ok";
  e.terminal = "kiosk-07";
  e.detail = "n=" + std::to_string(i);
  return e;
}

struct Fixture {
  TempDir dir;
  FakeClock clock;
  std::unique_ptr<oc::Store> store;

  // The log starts empty: an audit.db made before the store opens (a new store's own audit.db
  // would begin with its audit.chain_restarted row, tested in store_test).
  Fixture() {
    {
      auto db = oc::open_database(dir / "audit.db");
      db.exec("PRAGMA journal_mode = WAL");
      oc::schema::migrate_audit(db);
    }
    reopen();
  }
  void reopen() {
    store.reset();
    oc::StoreOptions options;
    options.clock = clock.clock();
    store = oc::Store::open(dir.path(), mk::test::test_key(), std::move(options));
  }
  oc::AuditLog& audit() { return store->audit(); }
  void append(int count) {
    for (int i = 1; i <= count; ++i) {
      audit().append(entry(i));
      clock.advance(std::chrono::seconds(1));
    }
  }
  // Runs SQL on audit.db with the store closed, then reopens.
  void tamper(const std::string& sql) {
    store.reset();
    {
      auto db = oc::open_database(dir / "audit.db", false);
      db.exec(sql);
    }
    reopen();
  }
};

}  // namespace

TEST(AuditLog, AppendReturnsSequentialSeqsAndVerifies) {
  Fixture f;
  EXPECT_EQ(f.audit().append(entry(1)), 1);
  EXPECT_EQ(f.audit().append(entry(2)), 2);
  const auto result = f.audit().verify_all();
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.rows_checked, 2);
  EXPECT_EQ(result.verified_through, 2);
}

TEST(AuditLog, RowsChainFromTheGenesisHash) {
  Fixture f;
  f.append(3);
  const auto rows = f.audit().batch_for_upload(0, 10);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].prev_hash, oc::AuditLog::genesis_hash());
  EXPECT_EQ(rows[1].prev_hash, rows[0].hash);
  EXPECT_EQ(rows[2].hash, oc::AuditLog::row_hash(rows[1].hash, 3, oc::to_millis(rows[2].at),
                                                 rows[2].actor, rows[2].action, rows[2].result,
                                                 rows[2].terminal, rows[2].detail));
}

TEST(AuditLog, ChangedFieldIsFoundAtItsSeq) {
  Fixture f;
  f.append(10);
  f.tamper("UPDATE audit_log SET result = 'refused' WHERE seq = 6");
  const auto result = f.audit().verify_all();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 6);
  EXPECT_NE(result.problem.find("changed"), std::string::npos);
}

TEST(AuditLog, ChangedTimeIsFound) {
  Fixture f;
  f.append(5);
  f.tamper("UPDATE audit_log SET at = at + 1 WHERE seq = 2");
  EXPECT_EQ(f.audit().verify_all().first_bad_seq, 2);
}

TEST(AuditLog, DeletedMiddleRowIsFound) {
  Fixture f;
  f.append(10);
  f.tamper("DELETE FROM audit_log WHERE seq = 4");
  const auto result = f.audit().verify_all();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 4);
  EXPECT_NE(result.problem.find("missing"), std::string::npos);
}

TEST(AuditLog, DeletedMiddleRowWithSeqsRenumberedIsFound) {
  Fixture f;
  f.append(10);
  f.tamper(
      "DELETE FROM audit_log WHERE seq = 4; UPDATE audit_log SET seq = seq - 1 WHERE seq > 4;");
  EXPECT_EQ(f.audit().verify_all().first_bad_seq, 4);
}

TEST(AuditLog, DeletedTailIsFoundThroughTheHead) {
  Fixture f;
  f.append(10);
  f.tamper("DELETE FROM audit_log WHERE seq >= 8");
  const auto result = f.audit().verify_all();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 8);
  EXPECT_NE(result.problem.find("cut short"), std::string::npos);
}

TEST(AuditLog, AllRowsDeletedIsFound) {
  Fixture f;
  f.append(3);
  f.tamper("DELETE FROM audit_log");
  EXPECT_EQ(f.audit().verify_all().first_bad_seq, 1);
}

TEST(AuditLog, SwappedRowsAreFound) {
  Fixture f;
  f.append(10);
  // Swap the contents (seq stays) of rows 5 and 6.
  f.tamper(
      "UPDATE audit_log SET seq = -5 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = 6;"
      "UPDATE audit_log SET seq = 6 WHERE seq = -5;");
  const auto result = f.audit().verify_all();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 5);
}

TEST(AuditLog, RowAddedOutsideTheLogIsFound) {
  Fixture f;
  f.append(3);
  f.tamper(
      "INSERT INTO audit_log SELECT seq + 1, at, actor, action, result, terminal, detail, hash, "
      "hash FROM audit_log WHERE seq = 3");
  EXPECT_EQ(f.audit().verify_all().first_bad_seq, 4);
}

TEST(AuditLog, IncrementalVerifyMovesACheckpointAndChecksOnlyNewRows) {
  Fixture f;
  f.append(10);
  auto first = f.audit().verify();
  EXPECT_TRUE(first.ok);
  EXPECT_EQ(first.rows_checked, 10);
  f.audit().append(entry(11));
  f.audit().append(entry(12));
  auto second = f.audit().verify();
  EXPECT_TRUE(second.ok);
  EXPECT_EQ(second.rows_checked, 2);
  EXPECT_EQ(second.verified_through, 12);
  // A change after the checkpoint is found by the incremental check.
  f.audit().append(entry(13));
  f.tamper("UPDATE audit_log SET detail = 'x' WHERE seq = 13");
  EXPECT_EQ(f.audit().verify().first_bad_seq, 13);
  // A change before it needs the full walk.
  f.tamper("UPDATE audit_log SET detail = 'x' WHERE seq = 2");
  EXPECT_EQ(f.audit().verify_all().first_bad_seq, 2);
}

TEST(AuditLog, RefusesAMyNumberInAnyField) {
  Fixture f;
  for (const std::string text :
       {"123456789018", "card 9876-5432-1093 read", "１２３４５６７８９０１８", "1234 5678 9018"}) {
    auto e = entry(1);
    e.detail = text;
    try {
      f.audit().append(e);
      ADD_FAILURE() << "accepted " << text;
    } catch (const oc::StoreError& error) {
      EXPECT_EQ(error.kind(), oc::StoreErrorKind::sensitive_data);
      EXPECT_EQ(std::string(error.what()).find("9018"), std::string::npos);
    }
  }
  auto e = entry(1);
  e.actor = "987654321093";
  EXPECT_THROW(f.audit().append(e), oc::StoreError);
  EXPECT_EQ(f.audit().head_seq(), 0);
}

TEST(AuditLog, AcceptsNumbersThatAreNotMyNumbers) {
  Fixture f;
  auto e = entry(1);
  e.detail =
      "receipt 123456789010, order 12345678901234, time 20260101";  // wrong check digit, 14 digits
  EXPECT_EQ(f.audit().append(e), 1);
}

TEST(AuditLog, RefusesValuesTheCallerMarksSensitive) {
  Fixture f;
  auto e = entry(1);
  e.detail = "pin 4821 entered";
  e.must_not_contain = {"4821"};
  try {
    f.audit().append(e);
    FAIL() << "accepted";
  } catch (const oc::StoreError& error) {
    EXPECT_EQ(error.kind(), oc::StoreErrorKind::sensitive_data);
    EXPECT_EQ(std::string(error.what()).find("4821"), std::string::npos);
  }
  e.detail = "pin entered";
  EXPECT_EQ(f.audit().append(e), 1);
}

TEST(AuditLog, BatchAppendIsAllOrNothing) {
  Fixture f;
  std::vector<oc::AuditEntry> entries{entry(1), entry(2), entry(3)};
  entries[2].detail = "123456789018";
  EXPECT_THROW(f.audit().append_batch(entries), oc::StoreError);
  EXPECT_EQ(f.audit().row_count(), 0);
  entries[2].detail = "fine";
  EXPECT_EQ(f.audit().append_batch(entries), 3);
  EXPECT_TRUE(f.audit().verify_all().ok);
}

TEST(AuditLog, UploadBatchesAndMarks) {
  Fixture f;
  f.append(25);
  auto batch = f.audit().batch_for_upload(f.audit().uploaded_through(), 10);
  ASSERT_EQ(batch.size(), 10u);
  EXPECT_EQ(batch.front().seq, 1);
  f.audit().mark_uploaded(batch.back().seq);
  batch = f.audit().batch_for_upload(f.audit().uploaded_through(), 10);
  EXPECT_EQ(batch.front().seq, 11);
  EXPECT_THROW(f.audit().mark_uploaded(26), oc::StoreError);
  f.audit().mark_uploaded(5);  // going back is ignored
  EXPECT_EQ(f.audit().uploaded_through(), 10);
}

TEST(AuditLog, PruningKeepsTheChainVerifiable) {
  Fixture f;
  f.append(20);  // at = t0 .. t0+19 s
  f.audit().mark_uploaded(15);
  // Only uploaded rows older than the horizon go: rows 1..10.
  const auto horizon = f.clock.now() - std::chrono::seconds(10);
  EXPECT_EQ(f.audit().prune_uploaded_before(horizon), 10);
  EXPECT_EQ(f.audit().row_count(), 10);
  auto result = f.audit().verify_all();
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.rows_checked, 10);
  f.audit().append(entry(21));
  EXPECT_TRUE(f.audit().verify().ok);
  // Tampering after pruning is still found.
  f.tamper("UPDATE audit_log SET action = 'x' WHERE seq = 11");
  EXPECT_EQ(f.audit().verify_all().first_bad_seq, 11);
}

TEST(AuditLog, PruningRefusesATamperedPrefix) {
  Fixture f;
  f.append(10);
  f.audit().mark_uploaded(10);
  f.tamper("UPDATE audit_log SET action = 'x' WHERE seq = 3");
  EXPECT_EQ(f.audit().prune_uploaded_before(f.clock.now()), 0);
  EXPECT_EQ(f.audit().row_count(), 10);
}

TEST(AuditLog, IntegrityCheckOnDemand) {
  Fixture f;
  f.append(3);
  EXPECT_EQ(f.audit().integrity_check(), "ok");
}

TEST(MyNumberGuard, CheckDigit) {
  EXPECT_TRUE(oc::is_valid_my_number("123456789018"));
  EXPECT_TRUE(oc::is_valid_my_number("987654321093"));
  EXPECT_TRUE(oc::is_valid_my_number("200000000000"));
  EXPECT_FALSE(oc::is_valid_my_number("123456789010"));
  EXPECT_FALSE(oc::is_valid_my_number("12345678901"));
  EXPECT_FALSE(oc::is_valid_my_number("12345678901a"));
}

TEST(MyNumberGuard, FindsOnlyTwelveDigitRuns) {
  EXPECT_TRUE(oc::find_my_number("x123456789018y").has_value());
  EXPECT_FALSE(oc::find_my_number("1123456789018").has_value());  // 13 digits
  EXPECT_FALSE(oc::find_my_number("12345678901").has_value());
  EXPECT_TRUE(oc::find_my_number("1234-5678-9018").has_value());
  EXPECT_FALSE(oc::find_my_number("").has_value());
  const auto where = oc::find_my_number("no: 123456789018");
  ASSERT_TRUE(where.has_value());
  EXPECT_EQ(where->find("123456789018"), std::string::npos);
}
