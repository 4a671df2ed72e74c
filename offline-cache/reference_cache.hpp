#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "offline-cache/connection.hpp"
#include "offline-cache/time.hpp"

namespace mk::offline_cache {

// Reference data from the centre (fee tables, office lists, holidays, ...) kept with the
// centre's version number, so the kiosk works offline with the last version it saw and asks
// the centre only for something newer. Not personal: stored in clear.
struct ReferenceEntry {
  int64_t version = 0;
  std::string text;  // JSON
  TimePoint fetched_at;
};

class ReferenceCache {
 public:
  ReferenceCache(Connection& connection, Clock clock);

  // Stores `json_text` (refused with invalid_argument when it is not JSON). A version older
  // than the cached one is ignored (returns false); the same version refreshes fetched_at.
  bool put(std::string_view name, int64_t version, std::string_view json_text);
  std::optional<ReferenceEntry> get(std::string_view name);
  std::optional<int64_t> version(std::string_view name);
  std::vector<std::string> names();

 private:
  Connection& connection_;
  Clock clock_;
};

}  // namespace mk::offline_cache
