#pragma once

// The one SQLite wrapper (base/sqlite, issue 18): small RAII wrappers over the sqlite3 C API — a
// connection, a prepared statement and a transaction. Every failure is an Error carrying SQLite's
// result code, thrown as it is or, when the caller gave the connection a Thrower, as the caller's
// own error type. The SQL text goes into messages; bound values never do.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>

namespace mk::base::sqlite {

// What SQLite refused: its result code (extended codes included, SQLITE_IOERR_WRITE, ...) and a
// message naming the file or the start of the SQL.
class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }
  // The primary result code (SQLITE_FULL for SQLITE_FULL and every extension of it).
  int primary_code() const { return code_ & 0xff; }

 private:
  int code_;
};

// Throws the caller's own exception for an Error (a layer that classifies failures its own way);
// a connection without one throws the Error itself. It must not return.
using Thrower = void (*)(const Error& error);

class Statement;

class Database {
 public:
  // Opens (creating when `create`) the file. Failures, then and later, go to `thrower`.
  static Database open(const std::filesystem::path& path, bool create = true,
                       Thrower thrower = nullptr);
  // Opens an existing file for reading only (a health check beside a running kiosk).
  static Database open_read_only(const std::filesystem::path& path, Thrower thrower = nullptr);

  Database() = default;
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  bool is_open() const { return db_ != nullptr; }
  void close();  // never throws; a failing close is left to SQLite's own cleanup
  sqlite3* handle() const { return db_; }
  const std::filesystem::path& path() const { return path_; }

  void exec(std::string_view sql);
  // A statement for `sql`, prepared once per connection and reused (see take_idle).
  Statement prepare(std::string_view sql);
  // The first column of the first row of a query (a PRAGMA), as text; empty when no row.
  std::string query_text(std::string_view sql);
  int64_t query_int(std::string_view sql);
  int64_t last_insert_rowid() const;
  int changes() const;

  // Throws an Error for `code` with SQLite's message for this connection (through the Thrower).
  [[noreturn]] void fail(int code, std::string_view what) const;

 private:
  static Database open_with(const std::filesystem::path& path, int mode, Thrower thrower);
  [[noreturn]] static void raise(const Error& error, Thrower thrower);

  // Prepared statements kept for their next use, one per SQL text: parsing was most of the time
  // of a short query (the outbox's and the audit log's are the same few texts, run again and
  // again). A Statement takes one from here and gives it back reset, its values unbound.
  friend class Statement;
  sqlite3_stmt* take_idle(std::string_view sql);
  void give_back(std::string sql, sqlite3_stmt* stmt);
  void finalize_idle();
  static constexpr size_t kMaxIdleStatements = 64;

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  Thrower thrower_ = nullptr;
  std::map<std::string, sqlite3_stmt*, std::less<>> idle_;
};

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are numbered from 1, as in SQLite. Text and blobs are copied (SQLITE_TRANSIENT).
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::span<const uint8_t> blob);
  Statement& bind_null(int index);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }

  // One step: true when a row is ready, false when done.
  bool step();
  // Steps to the end (for INSERT/UPDATE/DELETE).
  void run();
  void reset();

  bool is_null(int column) const;
  int64_t column_int(int column) const;
  std::string column_text(int column) const;
  std::vector<uint8_t> column_blob(int column) const;
  std::optional<int64_t> column_optional_int(int column) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// BEGIN IMMEDIATE (the write lock is taken at once, so two writers never deadlock half-way);
// rolled back when destroyed without commit().
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Database& db_;
  bool open_ = false;
};

}  // namespace mk::base::sqlite
