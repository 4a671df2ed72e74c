#include "kiosk/runtime/problem_reporter.hpp"

#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

ProblemReporter::ProblemReporter(offline_cache::AuditLog* audit, std::string terminal)
    : audit_(audit), terminal_(std::move(terminal)) {}

void ProblemReporter::report(const offline_cache::StoreProblem& problem) {
  {
    const std::lock_guard lock(mutex_);
    ++counts_[problem.code];
  }
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
  const std::lock_guard lock(mutex_);
  ++counts_[code];
}

std::map<std::string, int64_t> ProblemReporter::counts() const {
  const std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace mk::kiosk
