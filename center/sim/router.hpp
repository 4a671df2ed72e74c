#pragma once

// The centre simulator's router: every API route to its handler, each request run the same way
// (the request's injected fault, the kiosk's client certificate, idempotency for writes, errors
// as envelopes), one at a time against the database.

#include <string>

#include <httplib.h>

namespace mk::center::sim {

class Server;
struct SimulatorState;

// The kiosk a request comes from: the common name of its client certificate; empty without one.
std::string terminal_of(const httplib::Request& req);

// Adds the API routes, the admin routes and the error handlers.
void add_routes(httplib::Server& http, SimulatorState& centre, Server& server);

}  // namespace mk::center::sim
