#pragma once

// Small RAII wrappers over the sqlite3 C API: a connection, a prepared statement and a
// transaction. Every failure becomes a StoreError whose kind says what the kiosk can do about it
// (corrupt, locked, io, ...). The SQL text goes into messages; bound values never do.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include "offline-cache/store_error.hpp"

namespace mk::offline_cache::sqlite {

// The StoreErrorKind for an SQLite result code (extended codes included).
StoreErrorKind kind_for(int sqlite_code);

class Statement;

class Database {
 public:
  // Opens (creating when `create`) the file. Throws StoreError.
  static Database open(const std::filesystem::path& path, bool create = true);
  // Opens an existing file for reading only (a health check beside a running kiosk).
  static Database open_read_only(const std::filesystem::path& path);

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
  Statement prepare(std::string_view sql);
  // The first column of the first row of a query (a PRAGMA), as text; empty when no row.
  std::string query_text(std::string_view sql);
  int64_t query_int(std::string_view sql);
  int64_t last_insert_rowid() const;
  int changes() const;

  // Throws a StoreError for `code` with SQLite's message for this connection.
  [[noreturn]] void fail(int code, std::string_view what) const;

 private:
  static Database open_with(const std::filesystem::path& path, int mode);

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
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

}  // namespace mk::offline_cache::sqlite
