// The centre simulator's router: routes to handlers, each request run the same way (router.hpp).
#include "center/sim/router.hpp"

#include <functional>
#include <optional>
#include <thread>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "base/hex.hpp"
#include "base/secret_bytes.hpp"
#include "center/sim/admin.hpp"
#include "center/sim/appointments.hpp"
#include "center/sim/audit.hpp"
#include "center/sim/formats.hpp"
#include "center/sim/holder_status.hpp"
#include "center/sim/holders.hpp"
#include "center/sim/issuer_sessions.hpp"
#include "center/sim/reference.hpp"
#include "center/sim/renewals.hpp"
#include "center/sim/server.hpp"
#include "center/sim/simulator_state.hpp"
#include "center/sim/staff.hpp"
#include "center/sim/submissions.hpp"

namespace mk::center::sim {

namespace {

using base::sqlite::Statement;
using Handler = std::function<Reply(const httplib::Request&, const std::string& terminal)>;

std::string request_mac(const SimulatorState& centre, const httplib::Request& req) {
  // The body may carry a PIN (an issuer session's new PIN) or a photo: the copy is wiped after.
  std::string text = req.method + " " + req.path + "\n" + req.body;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  const auto key = centre.mac_key();
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), md, &n);
  base::wipe(std::span<char>(text));
  return base::to_hex(std::span<const uint8_t>(md, n));
}

// The terminal check, idempotency for writes and the handler, under the centre's mutex.
Reply run(SimulatorState& centre, const httplib::Request& req, bool write, bool needs_terminal,
          const Handler& handler) {
  const std::string terminal = terminal_of(req);
  std::lock_guard lock(centre.mutex);
  try {
    if (needs_terminal) {
      Statement s(centre.db, "SELECT 1 FROM terminals WHERE terminal_id=?");
      s.bind(1, terminal);
      if (!s.step()) {
        fail(403, api::code::kTerminalUnknown, "this client certificate names no kiosk");
      }
    }
    if (!write) {
      return handler(req, terminal);
    }
    const std::string key = req.get_header_value("Idempotency-Key");
    if (key.empty() || key.size() > 128) {
      fail(400, api::code::kIdempotencyKeyRequired, "Idempotency-Key: missing or too long");
    }
    const std::string mac = request_mac(centre, req);
    {
      Statement s(centre.db,
                  "SELECT request_mac, status, body FROM idempotency WHERE terminal=? AND key=?");
      s.bind(1, terminal).bind(2, key);
      if (s.step()) {
        if (s.column_text(0) != mac) {
          fail(409, api::code::kIdempotencyKeyReused,
               "this Idempotency-Key was used with another request");
        }
        return {
            static_cast<int>(s.column_int(1)), s.column_text(2), {{"Idempotent-Replayed", "true"}}};
      }
    }
    Reply reply;
    {
      std::optional<base::sqlite::Transaction> tx(std::in_place, centre.db);
      try {
        reply = with_echoed_key(handler(req, terminal), key);
      } catch (const ApiFailure& e) {
        if (e.retryable) {
          throw;  // rolled back, not remembered: a retry may succeed
        }
        reply = error_reply(e);  // the handler's writes roll back; the answer is remembered
        tx.reset();
        tx.emplace(centre.db);
      }
      Statement(centre.db, "INSERT INTO idempotency VALUES(?,?,?,?,?,?,?)")
          .bind(1, terminal)
          .bind(2, key)
          .bind(3, mac)
          .bind(4, int64_t{reply.status})
          .bind(5, reply.body)
          .bind(6, rfc3339_jst(centre.now()))
          .bind(7, req.path)
          .run();
      tx->commit();
    }
    return reply;
  } catch (const api::WireError& e) {
    fail(400, api::code::kBadRequest, e.what());
  } catch (const base::sqlite::Error&) {
    fail(503, api::code::kUnavailable, "the centre's database failed", true);
  } catch (const issuer::IssuerError& e) {
    fail(500, api::code::kInternal, std::string("issuer: ") + e.what(), true);
  }
}

// Runs one API request: faults, the terminal check, idempotency for writes, the handler,
// errors as envelopes.
void serve(SimulatorState& centre, Server& server, const httplib::Request& req,
           httplib::Response& res, bool write, bool needs_terminal, const Handler& handler) {
  const Fault f = server.take_fault();
  switch (f.mode) {
    case Fault::Mode::slow:
      std::this_thread::sleep_for(std::chrono::milliseconds(f.delay_ms));
      break;
    case Fault::Mode::http_500:
      return send(res, error_reply({500, api::code::kInternal, "injected fault", true}));
    case Fault::Mode::http_503:
      return send(res, error_reply({503, api::code::kUnavailable, "injected fault", true}));
    case Fault::Mode::garbage:
      res.status = 200;
      res.set_content("<html>this is not JSON", "text/html");
      return;
    case Fault::Mode::truncated:
      return send_truncated(res, R"({"truncated":"by an injected fault, this body never ends")");
    default:
      break;
  }
  Reply reply;
  try {
    reply = run(centre, req, write, needs_terminal, handler);
  } catch (const ApiFailure& e) {
    reply = error_reply(e);
  }
  if (f.mode == Fault::Mode::drop_after_commit) {
    return send_truncated(res, reply.body);
  }
  send(res, reply);
}

}  // namespace

std::string terminal_of(const httplib::Request& req) {
  if (req.ssl == nullptr) {
    return {};
  }
  X509* cert = SSL_get1_peer_certificate(req.ssl);
  if (cert == nullptr) {
    return {};
  }
  char cn[256] = {};
  const int n =
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  X509_free(cert);
  return n > 0 ? std::string(cn, static_cast<size_t>(n)) : std::string();
}

void add_routes(httplib::Server& http, SimulatorState& centre, Server& server) {
  using Request = httplib::Request;
  auto get = [&](const char* pattern, bool needs_terminal, const Handler& h) {
    http.Get(pattern,
             [&centre, &server, needs_terminal, h](const Request& req, httplib::Response& res) {
               serve(centre, server, req, res, false, needs_terminal, h);
             });
  };
  auto post = [&](const char* pattern, const Handler& h) {
    http.Post(pattern, [&centre, &server, h](const Request& req, httplib::Response& res) {
      serve(centre, server, req, res, true, true, h);
    });
  };
  SimulatorState* c = &centre;
  get("/v1/health", false, [c](const Request&, const std::string&) {
    return json_reply(api::Health{"ok", rfc3339_jst(c->now()), "mynacenter 0.1"});
  });
  get("/v1/kiosk", true, [c](const Request&, const std::string& terminal) {
    return json_reply(api::KioskInfo{terminal, "テスト運転免許センター (simulator)", "SIM-13",
                                     rfc3339_jst(c->now())});
  });
  get("/v1/reference", true, [](const Request& req, const std::string&) { return reference(req); });
  post("/v1/holders/lookup",
       [c](const Request& req, const std::string&) { return lookup(*c, req); });
  post("/v1/auth/challenges",
       [c](const Request&, const std::string&) { return auth_challenge(*c); });
  post("/v1/holders/lookup-by-card",
       [c](const Request& req, const std::string&) { return lookup_by_card(*c, req); });
  post("/v1/cards/status",
       [c](const Request& req, const std::string&) { return card_status(*c, req); });
  post("/v1/history/lookup",
       [c](const Request& req, const std::string&) { return history_lookup(*c, req); });
  post(R"(/v1/holders/([A-Za-z0-9]+)/holding-form)",
       [c](const Request& req, const std::string& t) { return holding_form(*c, req, t); });
  post(R"(/v1/holders/([A-Za-z0-9]+)/status)",
       [c](const Request& req, const std::string&) { return holder_status(*c, req); });
  post(R"(/v1/holders/([A-Za-z0-9]+)/renewal)",
       [c](const Request& req, const std::string&) { return renewal(*c, req); });
  post("/v1/issuer/sessions",
       [c](const Request& req, const std::string& t) { return create_session(*c, req, t); });
  post(R"(/v1/issuer/sessions/([A-Za-z0-9]+)/phases/([a-z_]+)/open)",
       [c](const Request& req, const std::string& t) { return open_phase(*c, req, t); });
  post(R"(/v1/issuer/sessions/([A-Za-z0-9]+)/phases/([a-z_]+)/answers)",
       [c](const Request& req, const std::string& t) { return phase_answers(*c, req, t); });
  post("/v1/signing/nonces",
       [c](const Request& req, const std::string& t) { return signing_nonce(*c, req, t); });
  post("/v1/onestop/consents",
       [c](const Request& req, const std::string& t) { return start_consent(*c, req, t); });
  post(R"(/v1/onestop/consents/([A-Za-z0-9]+)/cancel)",
       [c](const Request& req, const std::string&) { return cancel_consent(*c, req); });
  post("/v1/portal/linkages",
       [c](const Request& req, const std::string& t) { return submit_linkage(*c, req, t); });
  get(R"(/v1/appointments/([A-Za-z0-9-]+))", true, [c](const Request& req, const std::string&) {
    return json_reply(appointment(*c, req.matches[1]));
  });
  post(R"(/v1/appointments/([A-Za-z0-9-]+)/check-in)",
       [c](const Request& req, const std::string& t) { return check_in(*c, req, t); });
  post(R"(/v1/appointments/([A-Za-z0-9-]+)/identity)",
       [c](const Request& req, const std::string& t) { return identify(*c, req, t); });
  post("/v1/staff/sign-in",
       [c](const Request& req, const std::string&) { return staff_sign_in(*c, req); });
  post("/v1/staff/calls",
       [c](const Request& req, const std::string& t) { return raise_staff_call(*c, req, t); });
  post(R"(/v1/staff/calls/([A-Za-z0-9]+)/answer)",
       [c](const Request& req, const std::string& t) { return answer_staff_call(*c, req, t); });
  get("/v1/staff/verifiers", true,
      [c](const Request&, const std::string&) { return staff_verifiers(*c); });
  post("/v1/audit/batches",
       [c](const Request& req, const std::string& t) { return audit(*c, req, t); });

  add_admin_routes(http, centre, server);

  http.set_error_handler([](const Request&, httplib::Response& res) {
    if (res.body.empty() && res.status == 404) {
      res.set_content(api::error_envelope({api::code::kNotFound, "no such resource", false}).dump(),
                      "application/json; charset=utf-8");
    }
  });
  http.set_exception_handler([](const Request&, httplib::Response& res, const std::exception_ptr&) {
    send(res, error_reply({500, api::code::kInternal, "the centre failed", true}));
  });
}

}  // namespace mk::center::sim
