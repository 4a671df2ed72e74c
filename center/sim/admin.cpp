// The centre simulator's admin API (admin.hpp).
#include "center/sim/admin.hpp"

#include <algorithm>
#include <functional>

#include "center/sim/audit.hpp"
#include "center/sim/renewals.hpp"
#include "center/sim/replies.hpp"
#include "center/sim/revocation.hpp"
#include "center/sim/router.hpp"
#include "center/sim/server.hpp"
#include "center/sim/simulator_state.hpp"
#include "center/sim/submissions.hpp"

namespace mk::center::sim {

namespace {

using api::Json;

void admin(const httplib::Request& req, httplib::Response& res,
           const std::function<void(const Json&)>& action) {
  try {
    if (terminal_of(req) != kTestTerminalId) {
      fail(403, api::code::kTerminalUnknown, "admin calls need the test kiosk certificate");
    }
    const Json j = api::parse_json(req.body);
    if (!j.is_object()) {
      fail(400, api::code::kBadRequest, "the body is not a JSON object");
    }
    action(j);
    send(res, json_reply(Json{{"ok", true}}));
  } catch (const ApiFailure& e) {
    send(res, error_reply(e));
  } catch (const std::exception& e) {
    send(res, error_reply({400, api::code::kBadRequest, e.what(), false}));
  }
}

void admin_read(const httplib::Request& req, httplib::Response& res,
                const std::function<Json()>& read) {
  try {
    if (terminal_of(req) != kTestTerminalId) {
      fail(403, api::code::kTerminalUnknown, "admin calls need the test kiosk certificate");
    }
    send(res, json_reply(read()));
  } catch (const ApiFailure& e) {
    send(res, error_reply(e));
  }
}

}  // namespace

void add_admin_routes(httplib::Server& http, SimulatorState& centre, Server& server) {
  SimulatorState* c = &centre;
  Server* srv = &server;
  http.Post("/admin/faults", [srv](const httplib::Request& req, httplib::Response& res) {
    admin(req, res, [srv](const Json& j) {
      const auto mode = fault_mode_from_string(j.value("mode", std::string("none")));
      if (!mode) {
        fail(400, api::code::kBadRequest, "mode: unknown");
      }
      Fault f{*mode, j.value("delay_ms", 0), j.value("count", 0)};
      if (f.mode == Fault::Mode::down || f.mode == Fault::Mode::wrong_tls) {
        const int for_ms = j.value("for_ms", 0);
        if (for_ms <= 0) {
          fail(400, api::code::kBadRequest,
               "for_ms: an outage over the API needs a duration (it cannot be cleared there)");
        }
        srv->schedule_outage(f.mode, for_ms);
      } else {
        srv->apply_fault(f);
      }
    });
  });
  http.Post("/admin/counter-renewals", [c](const httplib::Request& req, httplib::Response& res) {
    admin(req, res, [c](const Json& j) {
      const std::string fixture = j.value("fixture", std::string());
      std::lock_guard lock(c->mutex);
      try {
        complete_counter_renewal(*c, fixture);
      } catch (const std::runtime_error& e) {
        fail(422, api::code::kNotEligible, e.what());
      }
    });
  });
  http.Post("/admin/revocations", [c](const httplib::Request& req, httplib::Response& res) {
    admin(req, res, [c](const Json& j) {
      const std::string serial = j.value("serial", std::string());
      if (serial.empty() || serial.size() > 64 ||
          serial.find_first_not_of("0123456789ABCDEF") != std::string::npos) {
        fail(400, api::code::kBadRequest, "serial: uppercase hex, as OpenSSL prints it");
      }
      const std::string ca = j.value("ca", std::string("jpki-sign-ca"));
      if (std::find(std::begin(kJpkiCas), std::end(kJpkiCas), ca) == std::end(kJpkiCas)) {
        fail(400, api::code::kBadRequest, "ca: jpki-sign-ca or jpki-auth-ca");
      }
      std::lock_guard lock(c->mutex);
      revoke(*c, serial, ca);
    });
  });
  // What reached the centre, for the soak's "exactly once" and "the chain verifies end to end".
  http.Get("/admin/writes", [c](const httplib::Request& req, httplib::Response& res) {
    admin_read(req, res, [c] {
      Json writes = Json::array();
      std::lock_guard lock(c->mutex);
      base::sqlite::Statement rows(
          c->db, "SELECT terminal, key, path, status FROM idempotency ORDER BY rowid");
      while (rows.step()) {
        writes.push_back({{"terminal", rows.column_text(0)},
                          {"key", rows.column_text(1)},
                          {"path", rows.column_text(2)},
                          {"status", rows.column_int(3)}});
      }
      return Json{{"writes", writes}};
    });
  });
  http.Get("/admin/audit-chains", [c](const httplib::Request& req, httplib::Response& res) {
    admin_read(req, res, [c] {
      std::lock_guard lock(c->mutex);
      return Json{{"terminals", audit_chains(*c)}};
    });
  });
}

}  // namespace mk::center::sim
