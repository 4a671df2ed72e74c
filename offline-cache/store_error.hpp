#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace mk::offline_cache {

// What went wrong, for the kiosk to turn into a sentence for the user or staff. The message is
// English, for logs, and never holds a PIN, a My Number or a payload.
enum class StoreErrorKind {
  corrupt,  // the database file is damaged (detected after open; the next open moves it aside)
  locked,   // another process holds the database
  schema_too_new,    // the file was written by a newer program; left untouched
  key_file,          // the key file is missing, has the wrong owner, mode or size
  decrypt_failed,    // a payload did not decrypt (wrong key or altered ciphertext)
  sensitive_data,    // an audit row or outbox metadata held a My Number or a marked secret
  invalid_argument,  // the caller passed something the store cannot keep (bad JSON, empty key)
  not_found,         // no such row
  disk_full,         // the file system has no room for the commit
  io,                // the file system refused (permissions, an I/O error, ...)
  internal,          // SQLite refused our own SQL: a bug, not the user's doing
};

std::string_view to_string(StoreErrorKind kind);

class StoreError : public std::runtime_error {
 public:
  StoreError(StoreErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  StoreErrorKind kind() const { return kind_; }

 private:
  StoreErrorKind kind_;
};

}  // namespace mk::offline_cache
