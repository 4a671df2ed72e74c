#pragma once

// A problem someone who can act must hear of: logged at error level with a code that stays the
// same from version to version (operators search and alert on it), counted by `mynakiosk
// --check`, written to the audit log. docs/error-codes.md lists every code and what to do.

#include <string>

namespace mk::offline_cache {

namespace problem_code {
inline constexpr const char* kOutboxRetry = "MK-OUTBOX-RETRY";  // warning: tried again later
inline constexpr const char* kDeadLetter = "MK-OUTBOX-DEAD-LETTER";
inline constexpr const char* kUndecryptable = "MK-OUTBOX-UNDECRYPTABLE";
inline constexpr const char* kDeliveryFailed = "MK-OUTBOX-ROUND-FAILED";
inline constexpr const char* kMovedAside = "MK-STORE-MOVED-ASIDE";
inline constexpr const char* kSalvagePartial = "MK-STORE-SALVAGE-PARTIAL";
inline constexpr const char* kDiskFull = "MK-STORE-DISK-FULL";
inline constexpr const char* kWriteFailed = "MK-STORE-WRITE-FAILED";
inline constexpr const char* kKeyProblem = "MK-STORE-KEY";  // missing over sealed rows, or wrong
inline constexpr const char* kUnreadable = "MK-STORE-UNREADABLE";  // a file --check cannot read
inline constexpr const char* kAuditUploadRefused = "MK-AUDIT-UPLOAD-REFUSED";
inline constexpr const char* kAuditChainBroken = "MK-AUDIT-CHAIN-BROKEN";
inline constexpr const char* kAuditChainRestarted = "MK-AUDIT-CHAIN-RESTARTED";
}  // namespace problem_code

struct StoreProblem {
  std::string code;          // one of problem_code
  bool needs_staff = false;  // error level; a retry (the system copes) is a warning
  std::string text;          // English; never personal data
};

}  // namespace mk::offline_cache
