#include "kiosk/app/health_check.hpp"

#include "devices/printer/cups_printer.hpp"
#include "offline-cache/inspection.hpp"
#include "offline-cache/problem.hpp"
#include "offline-cache/store.hpp"

namespace mk::kiosk {

namespace oc = offline_cache;
namespace code = oc::problem_code;

nlohmann::json health_report(const StorePaths& paths, oc::TimePoint now,
                             const std::string& printer_queue) {
  const oc::StoreInspection s = oc::inspect_store(paths.dir, now);
  nlohmann::json attention = nlohmann::json::array();
  const auto attend = [&attention](const char* problem, const std::string& what) {
    attention.push_back({{"code", problem}, {"what", what}});
  };
  const bool key_present = std::filesystem::exists(paths.key_file);
  if (!key_present && oc::Store::sealed_rows(paths.dir) != 0) {
    attend(code::kWriteFailed,
           "the store key " + paths.key_file.string() +
               " is missing over rows sealed with it (mynakiosk --rekey-store)");
  }
  if (!s.cache_problem.empty()) {
    attend(code::kUnreadable, "cache.db: " + s.cache_problem);
  }
  if (!s.audit_problem.empty()) {
    attend(code::kUnreadable, "audit.db: " + s.audit_problem);
  }
  if (s.dead_letters > 0) {
    attend(code::kDeadLetter, std::to_string(s.dead_letters) +
                                  " submission(s) the centre refused or the key could not open");
  }
  for (const auto& moved : s.moved_aside) {
    attend(code::kMovedAside, "a damaged file was moved aside: " + moved.string());
  }
  if (s.audit_present && s.audit_problem.empty() && !s.audit_chain.ok) {
    attend(code::kAuditChainBroken, s.audit_chain.problem);
  }
  nlohmann::json printer(nullptr);
  if (!printer_queue.empty()) {
    const devices::PrinterStatus p =
        devices::CupsPrinter(printer_queue, std::chrono::seconds(1)).status();
    printer = {{"queue", printer_queue},   {"reachable", p.reachable}, {"exists", p.exists},
               {"accepting", p.accepting}, {"state", p.state},         {"reasons", p.reasons}};
    if (!p.ready()) {
      attend("MK-PRINTER-NOT-READY",
             "the slip printer " + printer_queue + " is " +
                 (!p.reachable ? std::string("not reachable (no spooler)")
                  : !p.exists  ? std::string("unknown to the spooler")
                               : "not ready (state " + p.state + ", " +
                                    (p.accepting ? "accepting" : "not accepting") + ", " +
                                    p.reasons + ")"));
    }
  }
  nlohmann::json problems = nlohmann::json::object();
  for (const auto& [name, count] : s.problems) {
    problems[name] = count;
  }
  nlohmann::json moved = nlohmann::json::array();
  for (const auto& m : s.moved_aside) {
    moved.push_back(m.string());
  }
  nlohmann::json set_aside = nlohmann::json::array();
  for (const auto& m : s.set_aside) {
    set_aside.push_back(m.string());
  }
  return {
      {"ok", attention.empty()},
      {"attention", attention},
      {"store",
       {{"dir", paths.dir.string()},
        {"key_file", paths.key_file.string()},
        {"key_present", key_present},
        {"cache_present", s.cache_present},
        {"pending", s.pending},
        {"oldest_pending_age_s", s.oldest_pending_age
                                     ? nlohmann::json(s.oldest_pending_age->count() / 1000)
                                     : nlohmann::json(nullptr)},
        {"dead_letters", s.dead_letters},
        {"undecryptable", s.undecryptable},
        {"moved_aside", moved},
        {"set_aside", set_aside}}},
      {"audit",
       {{"present", s.audit_present},
        {"head", s.audit_head},
        {"uploaded_through", s.audit_uploaded_through},
        {"chain_ok", s.audit_chain.ok},
        {"verified_through", s.audit_chain.verified_through}}},
      {"printer", printer},
      {"problems", problems},
  };
}

}  // namespace mk::kiosk
