#pragma once

// Whether the store can keep what the kiosk would accept now. Asked before a procedure that
// commits to the store starts (ProcedureGate): a full disk or a store that failed its last
// write refuses the procedure up front — with a page that says why and to call staff — instead
// of taking a person through it and then losing the submission. A full disk is seen both from
// the free space (measured at every ask) and from a commit the file system refused; it clears
// once there is room again. Thread-safe.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "kiosk/runtime/problem_reporter.hpp"

namespace mk::kiosk {

class StoreCondition {
 public:
  enum class State { ok, disk_full, failed };

  // Free bytes on the file system of a path; nullopt when it cannot be measured.
  using FreeSpace = std::function<std::optional<uint64_t>(const std::filesystem::path&)>;
  static std::optional<uint64_t> statvfs_free(const std::filesystem::path& path);

  // A small real commit to the store (Store::probe_commit); throws when it fails.
  using Probe = std::function<void()>;

  // Below `min_free_bytes` a new procedure is refused as "disk full" (SQLite needs room for its
  // WAL as well as the row). After a failed commit, `probe` tells when the store takes commits
  // again (free space alone can mislead: a quota, reserved blocks).
  StoreCondition(std::filesystem::path dir, ProblemReporter& problems, Probe probe,
                 uint64_t min_free_bytes = kDefaultMinFree, FreeSpace free = statvfs_free);

  // A commit failed (StoreError or anything else): classified, reported once per change.
  void write_failed(const std::exception& error);
  void write_succeeded();

  // Measures now; reports a change to a worse state.
  State check();
  // The text key of the page that says why, or nothing when ok.
  std::optional<std::string> refusal();

  static constexpr uint64_t kDefaultMinFree = 16ULL * 1024 * 1024;

 private:
  void enter(State state, const std::string& why);

  std::filesystem::path dir_;
  ProblemReporter& problems_;
  uint64_t min_free_;
  Probe probe_;
  FreeSpace free_;
  std::mutex mutex_;
  State state_ = State::ok;
  bool write_failed_ = false;  // the last commit failed (cleared by the next that succeeds)
  bool write_failed_full_ = false;
};

}  // namespace mk::kiosk
