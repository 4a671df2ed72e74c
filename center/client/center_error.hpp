#pragma once

// What can go wrong between the kiosk and the centre, as one exception type the flows can turn
// into a sentence for the person at the kiosk (user_message_key) and the log into a line (what()).

#include <stdexcept>
#include <string>
#include <string_view>

namespace mk::center::client {

enum class CenterErrorKind {
  unreachable,           // DNS failure, connection refused or lost: no answer from the centre
  timeout,               // connect or total timeout ran out
  tls_server_untrusted,  // the server's certificate is not from the pinned CA, or names another
                         // host
  tls_client_refused,    // the server refused our client certificate (a TLS alert in the handshake)
  http_rejected,         // 4xx: the centre understood and said no (code says why)
  server_error,          // 5xx: the centre failed
  malformed_reply,       // not JSON, wrong content type, missing fields, too large
  cancelled,             // the client shut down before the answer came
};

// "unreachable", "timeout", ... (the enumerator's name).
std::string_view to_string(CenterErrorKind kind);

// One failed request. what() is an English sentence for the log: method, path, status, code,
// attempts and the transport's reason. It never holds a request or reply body (they carry
// personal data), and the centre's free-text message is kept apart in `server_message`.
class CenterError : public std::runtime_error {
 public:
  CenterError(CenterErrorKind kind, std::string detail, long http_status = 0, std::string code = {},
              bool retryable = false, int attempts = 0, std::string server_message = {});

  CenterErrorKind kind;
  long http_status;  // 0 when no HTTP answer came
  std::string code;  // the envelope's snake_case code ("holder_not_found"), empty if none
  bool retryable;  // trying again later may succeed (transient), whether or not we retried already
  int attempts;    // attempts made, including the first
  std::string server_message;  // the envelope's message (English, for staff), empty if none
  std::string content_type;    // the answer's Content-Type, when an HTTP answer came (for logs)
};

// The text key the kiosk shows for this error: "center.error.<kind>" (assets/texts/*.toml).
std::string_view user_message_key(const CenterError& error);

}  // namespace mk::center::client
