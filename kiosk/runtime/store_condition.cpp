#include "kiosk/runtime/store_condition.hpp"

#include <sys/statvfs.h>

#include "kiosk/logging/log.hpp"
#include "offline-cache/store_error.hpp"

namespace mk::kiosk {

namespace oc = offline_cache;

std::optional<uint64_t> StoreCondition::statvfs_free(const std::filesystem::path& path) {
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) != 0) {
    return std::nullopt;
  }
  return static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
}

StoreCondition::StoreCondition(std::filesystem::path dir, ProblemReporter& problems, Probe probe,
                               uint64_t min_free_bytes, FreeSpace free)
    : dir_(std::move(dir)),
      problems_(problems),
      min_free_(min_free_bytes),
      probe_(std::move(probe)),
      free_(std::move(free)) {}

void StoreCondition::write_failed(const std::exception& error) {
  const auto* store_error = dynamic_cast<const oc::StoreError*>(&error);
  const bool full = store_error != nullptr && store_error->kind() == oc::StoreErrorKind::disk_full;
  std::lock_guard lock(mutex_);
  write_failed_ = true;
  write_failed_full_ = full;
  enter(full ? State::disk_full : State::failed, error.what());
}

void StoreCondition::write_succeeded() {
  std::lock_guard lock(mutex_);
  write_failed_ = false;
  write_failed_full_ = false;
}

StoreCondition::State StoreCondition::check() {
  const auto free = free_(dir_);
  bool failed = false;
  {
    std::lock_guard lock(mutex_);
    failed = write_failed_;
  }
  if (failed && probe_) {
    try {
      probe_();
      write_succeeded();
    } catch (const std::exception& e) {
      write_failed(e);
    }
  }
  std::lock_guard lock(mutex_);
  const bool low = free && *free < min_free_;
  State now = State::ok;
  if (low || (write_failed_ && write_failed_full_)) {
    now = State::disk_full;
  } else if (write_failed_) {
    now = State::failed;
  }
  if (now == State::ok && state_ != State::ok) {
    logger("store")->info("the store can keep submissions again");
  }
  enter(now, low ? std::to_string(*free / 1024) + " KiB free in " + dir_.string() + " (needs " +
                       std::to_string(min_free_ / 1024) + " KiB)"
                 : std::string("the last commit failed"));
  return state_;
}

std::optional<std::string> StoreCondition::refusal() {
  switch (check()) {
    case State::ok:
      return std::nullopt;
    case State::disk_full:
      return "out_of_service.disk_full";
    case State::failed:
      return "out_of_service.store";
  }
  return std::nullopt;
}

void StoreCondition::enter(State state, const std::string& why) {
  if (state == state_) {
    return;
  }
  state_ = state;
  if (state == State::disk_full) {
    problems_.report(oc::problem_code::kDiskFull, true,
                     "the store's disk is full; procedures that keep data are refused: " + why);
  } else if (state == State::failed) {
    problems_.report(oc::problem_code::kWriteFailed, true,
                     "the store could not commit; procedures that keep data are refused: " + why);
  }
}

}  // namespace mk::kiosk
