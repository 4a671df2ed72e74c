// The audit rows the centre simulator receives (audit.hpp).
#include "center/sim/audit.hpp"

#include <optional>

#include "center/sim/formats.hpp"
#include "center/sim/simulator_state.hpp"

namespace mk::center::sim {

using api::Json;
using base::sqlite::Statement;

namespace {

void record_restart(SimulatorState& centre, const std::string& terminal, const api::AuditRow& r,
                    int64_t last_seq, const std::string& last_hash, int64_t superseded) {
  Statement(centre.db, "INSERT INTO audit_restarts VALUES(?,?,?,?,?,?,?,?)")
      .bind(1, terminal)
      .bind(2, r.seq)
      .bind(3, r.at)
      .bind(4, r.detail)
      .bind(5, last_seq)
      .bind(6, last_hash)
      .bind(7, superseded)
      .bind(8, rfc3339_jst(centre.now()))
      .run();
}

// The hash of a terminal's row the centre holds, if it holds it.
std::optional<std::string> stored_hash(SimulatorState& centre, const std::string& terminal,
                                       int64_t seq) {
  Statement s(centre.db, "SELECT hash FROM audit_rows WHERE terminal=? AND seq=?");
  s.bind(1, terminal).bind(2, seq);
  return s.step() ? std::optional(s.column_text(0)) : std::nullopt;
}

}  // namespace

Reply audit(SimulatorState& centre, const httplib::Request& req, const std::string& terminal) {
  const auto q = api::parse_body<api::AuditBatch>(req.body);
  if (q.terminal != terminal) {
    fail(403, api::code::kTerminalMismatch, "the batch names another terminal");
  }
  int64_t last_seq = 0;
  std::string last_hash;
  bool anchored = false;  // the terminal's first row received anchors its chain
  {
    Statement s(centre.db,
                "SELECT seq, hash FROM audit_rows WHERE terminal=? ORDER BY seq DESC LIMIT 1");
    s.bind(1, terminal);
    if (s.step()) {
      last_seq = s.column_int(0);
      last_hash = s.column_text(1);
      anchored = true;
    }
  }
  for (const auto& r : q.rows) {
    // A restart row already stored (the answer to its batch was lost) is a plain re-send.
    bool stored = false;
    if (r.action == api::kAuditChainRestartedAction && anchored && r.seq <= last_seq) {
      stored = stored_hash(centre, terminal, r.seq) == r.hash;
    }
    if (r.action == api::kAuditChainRestartedAction && anchored && !stored &&
        !(r.seq == last_seq + 1 && r.prev_hash == last_hash)) {
      // docs/center-api.md, "Restarting a lost chain": the kiosk lost its chain and starts a
      // new one from a row of ours (or from 1). Accepted when it forks from a row we hold; the
      // rows it replaces are kept as evidence, never deleted.
      bool forks_from_ours = r.seq == 1;
      if (!forks_from_ours && r.seq <= last_seq + 1) {
        forks_from_ours = stored_hash(centre, terminal, r.seq - 1) == r.prev_hash;
      }
      if (!forks_from_ours) {
        fail(409, api::code::kAuditChainBroken,
             "the chain restart at row " + std::to_string(r.seq) +
                 " continues from no row this centre holds");
      }
      Statement(centre.db,
                "INSERT INTO audit_rows_superseded SELECT *, ? FROM audit_rows "
                "WHERE terminal=? AND seq>=?")
          .bind(1, r.seq)
          .bind(2, terminal)
          .bind(3, r.seq)
          .run();
      const int64_t superseded = centre.db.changes();
      Statement(centre.db, "DELETE FROM audit_rows WHERE terminal=? AND seq>=?")
          .bind(1, terminal)
          .bind(2, r.seq)
          .run();
      record_restart(centre, terminal, r, last_seq, last_hash, superseded);
      last_seq = r.seq - 1;
      last_hash = r.prev_hash;
    } else if (r.action == api::kAuditChainRestartedAction && !stored &&
               (!anchored || r.seq == last_seq + 1)) {
      record_restart(centre, terminal, r, last_seq, last_hash, 0);
    }
    if (!anchored) {
      // The kiosk's chain starts at its own genesis hash (or continues after rows it pruned
      // before its first upload): whatever the first row continues from is the anchor.
      last_seq = r.seq - 1;
      last_hash = r.prev_hash;
      anchored = true;
    }
    if (r.seq <= last_seq) {
      // A row sent again (the answer to an earlier batch was lost): it must be the same row.
      if (stored_hash(centre, terminal, r.seq) != r.hash) {
        fail(409, api::code::kAuditChainBroken,
             "row " + std::to_string(r.seq) + " differs from the one already received");
      }
      continue;
    }
    if (r.seq != last_seq + 1 || r.prev_hash != last_hash) {
      fail(409, api::code::kAuditChainBroken,
           "row " + std::to_string(r.seq) + " does not continue the chain at " +
               std::to_string(last_seq));
    }
    Statement(centre.db, "INSERT INTO audit_rows VALUES(?,?,?,?,?,?,?,?,?,?)")
        .bind(1, terminal)
        .bind(2, r.seq)
        .bind(3, r.at)
        .bind(4, r.actor)
        .bind(5, r.action)
        .bind(6, r.result)
        .bind(7, r.detail)
        .bind(8, r.hash)
        .bind(9, r.prev_hash)
        .bind(10, rfc3339_jst(centre.now()))
        .run();
    last_seq = r.seq;
    last_hash = r.hash;
  }
  return json_reply(api::AuditAccepted{last_seq});
}

Json audit_chains(SimulatorState& centre) {
  Json out = Json::array();
  Statement s(centre.db,
              "SELECT terminal, seq, hash, prev_hash FROM audit_rows ORDER BY terminal, seq");
  std::string terminal;
  int64_t last_seq = 0;
  std::string last_hash;
  while (s.step()) {
    if (out.empty() || s.column_text(0) != terminal) {
      terminal = s.column_text(0);
      Statement r(centre.db, "SELECT count(*) FROM audit_restarts WHERE terminal=?");
      r.bind(1, terminal);
      r.step();
      out.push_back({{"terminal", terminal},
                     {"rows", 0},
                     {"first_seq", s.column_int(1)},
                     {"continuous", true},
                     {"restarts", r.column_int(0)}});
    } else if (s.column_int(1) != last_seq + 1 || s.column_text(3) != last_hash) {
      out.back()["continuous"] = false;
    }
    last_seq = s.column_int(1);
    last_hash = s.column_text(2);
    out.back()["rows"] = out.back()["rows"].get<int64_t>() + 1;
    out.back()["last_seq"] = last_seq;
  }
  return out;
}

}  // namespace mk::center::sim
