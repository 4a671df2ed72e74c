#pragma once

// The store's SQLite connections: the base wrapper (base/sqlite/database.hpp) opened so that every
// failure is a StoreError whose kind says what the kiosk can do about it (corrupt, locked, io,
// ...).

#include <filesystem>

#include "base/sqlite/database.hpp"
#include "offline-cache/store_error.hpp"

namespace mk::offline_cache {

// The StoreErrorKind for an SQLite result code (extended codes included).
StoreErrorKind kind_for(int sqlite_code);

// The store's Thrower: the wrapper's Error as a StoreError of kind_for(its code), same message.
[[noreturn]] void throw_store_error(const base::sqlite::Error& error);

// base::sqlite::Database::open and open_read_only, throwing StoreError.
base::sqlite::Database open_database(const std::filesystem::path& path, bool create = true);
base::sqlite::Database open_database_read_only(const std::filesystem::path& path);

}  // namespace mk::offline_cache
