#include "base/sqlite/database.hpp"

#include <utility>

namespace mk::base::sqlite {

Database Database::open(const std::filesystem::path& path, bool create, Thrower thrower) {
  return open_with(path, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), thrower);
}

Database Database::open_read_only(const std::filesystem::path& path, Thrower thrower) {
  return open_with(path, SQLITE_OPEN_READONLY, thrower);
}

void Database::raise(const Error& error, Thrower thrower) {
  if (thrower != nullptr) {
    thrower(error);
  }
  throw error;
}

Database Database::open_with(const std::filesystem::path& path, int mode, Thrower thrower) {
  Database db;
  db.path_ = path;
  db.thrower_ = thrower;
  const int flags = mode | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open " + path.string() + ": " +
                          (db.db_ != nullptr ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc));
    db.close();
    raise(Error(rc, message), thrower);
  }
  return db;
}

Database::~Database() {
  close();
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      thrower_(other.thrower_),
      idle_(std::exchange(other.idle_, {})) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    thrower_ = other.thrower_;
    idle_ = std::exchange(other.idle_, {});
  }
  return *this;
}

void Database::close() {
  finalize_idle();
  if (db_ != nullptr) {
    // close_v2 defers the close until the last statement is finalised instead of failing.
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
}

sqlite3_stmt* Database::take_idle(std::string_view sql) {
  const auto found = idle_.find(sql);
  if (found == idle_.end()) {
    return nullptr;
  }
  sqlite3_stmt* stmt = found->second;
  idle_.erase(found);
  return stmt;
}

void Database::give_back(std::string sql, sqlite3_stmt* stmt) {
  // A statement of a connection since closed or replaced is only finalised.
  if (db_ == nullptr || sqlite3_db_handle(stmt) != db_ || idle_.size() >= kMaxIdleStatements ||
      idle_.contains(sql)) {
    sqlite3_finalize(stmt);
    return;
  }
  sqlite3_reset(stmt);  // its error, if any, was reported by the step that met it
  sqlite3_clear_bindings(stmt);
  idle_.emplace(std::move(sql), stmt);
}

void Database::finalize_idle() {
  for (const auto& [sql, stmt] : idle_) {
    sqlite3_finalize(stmt);
  }
  idle_.clear();
}

void Database::fail(int code, std::string_view what) const {
  std::string message = std::string(what) + " (" + path_.filename().string() +
                        "): " + (db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code));
  raise(Error(code, message), thrower_);
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = "SQL failed: " + text.substr(0, 80) + ": " +
                          (error != nullptr ? error : sqlite3_errstr(rc));
    sqlite3_free(error);
    raise(Error(rc, message), thrower_);
  }
}

Statement Database::prepare(std::string_view sql) {
  return Statement(*this, sql);
}

std::string Database::query_text(std::string_view sql) {
  Statement statement(*this, sql);
  return statement.step() ? statement.column_text(0) : std::string();
}

int64_t Database::query_int(std::string_view sql) {
  Statement statement(*this, sql);
  return statement.step() ? statement.column_int(0) : 0;
}

int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const {
  return sqlite3_changes(db_);
}

Statement::Statement(Database& db, std::string_view sql)
    : db_(&db), stmt_(db.take_idle(sql)), sql_(sql) {
  if (stmt_ != nullptr) {
    return;
  }
  const int rc =
      sqlite3_prepare_v2(db.handle(), sql_.data(), static_cast<int>(sql_.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    db.fail(rc, "cannot prepare " + sql_.substr(0, 80));
  }
}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    db_->give_back(std::move(sql_), stmt_);
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), sql_(std::move(other.sql_)) {}

Statement& Statement::bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) {
    db_->fail(rc, "cannot bind parameter of " + sql_.substr(0, 80));
  }
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // An empty view may carry a null pointer, which SQLite would store as NULL, not ''.
  const int rc = sqlite3_bind_text64(stmt_, index, text.data() != nullptr ? text.data() : "",
                                     text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) {
    db_->fail(rc, "cannot bind parameter of " + sql_.substr(0, 80));
  }
  return *this;
}

Statement& Statement::bind(int index, std::span<const uint8_t> blob) {
  // A zero-length blob must still be a blob, not NULL: give SQLite a valid pointer.
  static const uint8_t empty = 0;
  const int rc = sqlite3_bind_blob64(stmt_, index, blob.empty() ? &empty : blob.data(), blob.size(),
                                     SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) {
    db_->fail(rc, "cannot bind parameter of " + sql_.substr(0, 80));
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) {
    db_->fail(rc, "cannot bind parameter of " + sql_.substr(0, 80));
  }
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  // sqlite3_step's error code is the statement's; reset so the next use starts clean.
  sqlite3_reset(stmt_);
  db_->fail(rc, "SQL failed: " + sql_.substr(0, 80));
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::optional<int64_t> Statement::column_optional_int(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return column_int(column);
}

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(size)};
}

std::vector<uint8_t> Statement::column_blob(int column) const {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) {
    return {};
  }
  return {data, data + size};
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
  open_ = true;
}

Transaction::~Transaction() {
  if (open_) {
    // Best effort: when the connection is broken the rollback fails and SQLite rolls back
    // the journal at the next open anyway.
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace mk::base::sqlite
