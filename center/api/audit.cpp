// JSON of the audit rows and batches (audit.hpp).
#include "center/api/audit.hpp"

#include <cstdint>

#include "center/api/json_fields.hpp"

namespace mk::center::api {

using detail::Fields;
using detail::kShort;
using detail::kText;

void to_json(Json& j, const AuditRow& v) {
  j = {{"seq", v.seq},       {"at", v.at},         {"actor", v.actor}, {"action", v.action},
       {"result", v.result}, {"detail", v.detail}, {"hash", v.hash},   {"prev_hash", v.prev_hash}};
}
void from_json(const Json& j, AuditRow& v) {
  const Fields f(j, "");
  v.seq = f.integer("seq", 1, INT64_MAX);
  v.at = f.instant("at");
  v.actor = f.text("actor", 1, kShort);
  v.action = f.text("action", 1, kShort);
  v.result = f.text("result", 0, kShort);
  v.detail = f.text("detail", 0, kText);
  const auto sha = [&](const char* name) {
    std::string s = f.text(name, 64, 64);
    (void)from_hex(s, f.path(name));
    return s;
  };
  v.hash = sha("hash");
  v.prev_hash = sha("prev_hash");
}

void to_json(Json& j, const AuditBatch& v) {
  j = {{"terminal", v.terminal}, {"rows", v.rows}};
}
void from_json(const Json& j, AuditBatch& v) {
  const Fields f(j, "");
  v.terminal = f.text("terminal", 1, kShort);
  v.rows = f.objects<AuditRow>("rows", 1000);
  if (v.rows.empty()) {
    throw WireError("rows", "is empty");
  }
}

void to_json(Json& j, const AuditAccepted& v) {
  j = {{"accepted_through", v.accepted_through}};
}
void from_json(const Json& j, AuditAccepted& v) {
  const Fields f(j, "");
  v.accepted_through = f.integer("accepted_through", 0, INT64_MAX);
}
}  // namespace mk::center::api
