#include "kiosk/runtime/problem_reporter.hpp"

#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

ProblemReporter::ProblemReporter(offline_cache::AuditLog* audit, std::string terminal,
                                 CodeSink sink)
    : audit_(audit), terminal_(std::move(terminal)), sink_(std::move(sink)) {}

void ProblemReporter::seen(const std::string& code) {
  {
    const std::lock_guard lock(mutex_);
    ++counts_[code];
    recent_.push_front({std::chrono::system_clock::now(), code});
    if (recent_.size() > kRecent) {
      recent_.pop_back();
    }
  }
  if (sink_) {
    try {
      sink_(code);
    } catch (const std::exception& e) {
      logger("store")->warn("[{}] not counted for the day: {}", code, e.what());
    }
  }
}

void ProblemReporter::report(const offline_cache::StoreProblem& problem) {
  seen(problem.code);
  if (!problem.needs_staff) {
    logger("store")->warn("[{}] {}", problem.code, problem.text);
    return;
  }
  logger("store")->error("[{}] {}", problem.code, problem.text);
  if (audit_ == nullptr) {
    return;
  }
  try {
    audit_->append({"system", problem.code, "reported", terminal_, problem.text, {}, {}});
  } catch (const std::exception& e) {
    // A full disk cannot take the row either; the log line above is the record.
    logger("store")->error("[{}] the audit log did not take this problem: {}",
                           offline_cache::problem_code::kWriteFailed, e.what());
  }
}

void ProblemReporter::count(const std::string& code) {
  seen(code);
}

std::vector<ProblemReporter::Recent> ProblemReporter::recent() const {
  const std::lock_guard lock(mutex_);
  return {recent_.begin(), recent_.end()};
}

std::map<std::string, int64_t> ProblemReporter::counts() const {
  const std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace mk::kiosk
