#include "offline-cache/database.hpp"

namespace mk::offline_cache {

StoreErrorKind kind_for(int sqlite_code) {
  switch (sqlite_code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StoreErrorKind::corrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StoreErrorKind::locked;
    case SQLITE_FULL:
      return StoreErrorKind::disk_full;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
      return StoreErrorKind::io;
    default:
      return StoreErrorKind::internal;
  }
}

void throw_store_error(const base::sqlite::Error& error) {
  throw StoreError(kind_for(error.code()), error.what());
}

base::sqlite::Database open_database(const std::filesystem::path& path, bool create) {
  return base::sqlite::Database::open(path, create, throw_store_error);
}

base::sqlite::Database open_database_read_only(const std::filesystem::path& path) {
  return base::sqlite::Database::open_read_only(path, throw_store_error);
}

}  // namespace mk::offline_cache
