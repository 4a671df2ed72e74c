#pragma once

// The centre simulator's answers (docs/center-api.md): a reply, the API failure a handler throws
// to answer with an error envelope, and how either goes out on an httplib response.

#include <map>
#include <string>

#include <httplib.h>

#include "center/api/wire.hpp"

namespace mk::center::sim {

// An API error answer: thrown by handlers, turned into the envelope by the router.
struct ApiFailure {
  int http = 400;
  std::string code;
  std::string message;
  bool retryable = false;
};

[[noreturn]] void fail(int http, const char* code, const std::string& message,
                       bool retryable = false);

struct Reply {
  int status = 200;
  std::string body;
  std::map<std::string, std::string> headers;
};

Reply json_reply(const api::Json& j, int status = 200);
// A write's 2xx answer names the request's Idempotency-Key (docs/center-api.md, "Whose answer is
// it"), so the kiosk can tell it from a proxy's or a captive portal's 200.
Reply with_echoed_key(Reply reply, const std::string& key);
Reply error_reply(const ApiFailure& f);

void send(httplib::Response& res, const Reply& reply);
// Announces the whole body, sends half of it and closes the connection.
void send_truncated(httplib::Response& res, const std::string& body);

}  // namespace mk::center::sim
