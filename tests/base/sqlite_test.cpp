// The SQLite wrapper (base/sqlite/database.hpp): its errors carry SQLite's result code, and a
// connection's Thrower turns them into the caller's own error type.
#include <filesystem>
#include <string>
#include <system_error>

#include <gtest/gtest.h>
#include <unistd.h>

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

int statements_of(const Database& db) {
  int n = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db.handle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db.handle(), s)) {
    ++n;
  }
  return n;
}

TEST(Sqlite, AStatementIsPreparedOnceAndComesBackResetWithNothingBound) {
  auto db = Database::open(":memory:");
  db.exec("CREATE TABLE t (k INTEGER)");
  for (int k = 1; k <= 3; ++k) {
    db.prepare("INSERT INTO t VALUES (?)").bind(1, k).run();
  }
  const std::string query = "SELECT k FROM t WHERE k > ? ORDER BY k";
  {
    auto first = db.prepare(query);
    first.bind(1, 1);
    ASSERT_TRUE(first.step());
    EXPECT_EQ(first.column_int(0), 2);  // left in the middle of its rows
  }
  const int kept = statements_of(db);
  {
    auto again = db.prepare(query);
    EXPECT_EQ(statements_of(db), kept) << "the kept statement is used, not a new one";
    EXPECT_FALSE(again.step()) << "its value was unbound: k > NULL matches nothing";
    again.reset();
    again.bind(1, 0);
    ASSERT_TRUE(again.step());
    EXPECT_EQ(again.column_int(0), 1) << "it starts from its first row";
  }
  // Two of the same text at once: the second is prepared anew, and one of them is kept.
  {
    auto a = db.prepare(query);
    auto b = db.prepare(query);
    EXPECT_EQ(statements_of(db), kept + 1);
  }
  EXPECT_EQ(statements_of(db), kept);
}

TEST(Sqlite, AtMostSoManyStatementsAreKept) {
  auto db = Database::open(":memory:");
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(db.query_int("SELECT " + std::to_string(i)), i);
  }
  EXPECT_GT(statements_of(db), 0);
  EXPECT_LE(statements_of(db), 64);
}

TEST(Sqlite, ClosingFinalisesTheKeptStatementsAndLetsGoOfTheFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("mk-sqlite-close-" + std::to_string(::getpid()) + ".db");
  const auto holds_file = [&path] {
    for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
      std::error_code ec;
      if (std::filesystem::read_symlink(fd.path(), ec) == path) {
        return true;
      }
    }
    return false;
  };
  {
    auto db = Database::open(path);
    db.exec("CREATE TABLE IF NOT EXISTS t (k INTEGER)");
    db.prepare("INSERT INTO t VALUES (1)").run();
    EXPECT_EQ(db.query_int("SELECT count(*) FROM t"), 1);
    EXPECT_TRUE(holds_file());
    db.close();
    EXPECT_FALSE(holds_file()) << "a kept statement held the connection open";
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace mk::base::sqlite
