#pragma once

#include <mutex>
#include <string_view>

#include "offline-cache/database.hpp"
#include "offline-cache/time.hpp"

namespace mk::offline_cache {

// One SQLite connection shared by the parts of the store that use its file, with the mutex
// that serialises them (the sender thread and the UI thread both write the outbox).
struct Connection {
  base::sqlite::Database db;
  std::mutex mutex;
  CommitHook hook;

  void point(std::string_view name) const {
    if (hook) {
      hook(name);
    }
  }
};

}  // namespace mk::offline_cache
