// The SQLite wrapper (base/sqlite/database.hpp): its errors carry SQLite's result code, and a
// connection's Thrower turns them into the caller's own error type.
#include <gtest/gtest.h>

#include "base/sqlite/database.hpp"

namespace mk::base::sqlite {
namespace {

struct Refused {
  int code = 0;
};

[[noreturn]] void throw_refused(const Error& error) {
  throw Refused{error.code()};
}

TEST(Sqlite, AnErrorCarriesTheResultCode) {
  auto db = Database::open(":memory:");
  db.exec("CREATE TABLE t (b BLOB)");
  db.exec("PRAGMA max_page_count = 3");
  try {
    db.exec("INSERT INTO t VALUES (zeroblob(100000))");
    FAIL() << "SQLite took a row it had no room for";
  } catch (const Error& e) {
    EXPECT_EQ(e.primary_code(), SQLITE_FULL) << e.what();
  }
  EXPECT_THROW(db.prepare("SELECT nothing FROM nowhere"), Error);
}

TEST(Sqlite, AThrowerThrowsTheCallersErrorFromOpenStatementsAndTransactions) {
  EXPECT_THROW(Database::open("/nonexistent/folder/x.db", true, throw_refused), Refused);
  auto db = Database::open(":memory:", true, throw_refused);
  db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY)");
  db.prepare("INSERT INTO t VALUES (1)").run();
  try {
    db.prepare("INSERT INTO t VALUES (1)").run();
    FAIL() << "a duplicate key was taken";
  } catch (const Refused& r) {
    EXPECT_EQ(r.code & 0xff, SQLITE_CONSTRAINT);
  }
  Transaction outer(db);
  EXPECT_THROW(Transaction inner(db), Refused);  // no nested BEGIN
}

TEST(Sqlite, EmptyTextAndBlobsAreValuesNotNull) {
  auto db = Database::open(":memory:");
  db.exec("CREATE TABLE t (s TEXT, b BLOB)");
  db.prepare("INSERT INTO t VALUES (?, ?)")
      .bind(1, std::string_view())
      .bind(2, std::span<const uint8_t>())
      .run();
  auto s = db.prepare("SELECT s IS NULL, b IS NULL, typeof(b) FROM t");
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.column_int(0), 0);
  EXPECT_EQ(s.column_int(1), 0);
  EXPECT_EQ(s.column_text(2), "blob");
}

TEST(Sqlite, ATransactionRollsBackUnlessCommitted) {
  auto db = Database::open(":memory:");
  db.exec("CREATE TABLE t (k INTEGER)");
  {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES (1)");
  }
  EXPECT_EQ(db.query_int("SELECT count(*) FROM t"), 0);
  {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES (2)");
    tx.commit();
  }
  EXPECT_EQ(db.query_int("SELECT count(*) FROM t"), 1);
}

}  // namespace
}  // namespace mk::base::sqlite
