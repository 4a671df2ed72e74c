#pragma once

// Internal to center/client: what a finished transfer means — the centre's answer, or an error the
// retry policy and the caller can act on. Only the centre's own answer counts (docs/center-api.md,
// "Whose answer is it").

#include <curl/curl.h>

#include "center/client/center_client.hpp"
#include "center/client/center_error.hpp"
#include "center/client/transfer.hpp"

namespace mk::center::client::detail {

// A transfer that ended without a usable HTTP answer. `verify_result` is OpenSSL's verdict on
// the server's certificate (X509_V_OK = 0 when it was fine or never checked).
// `dropped_after_handshake`: this transfer opened a new connection, completed the TLS handshake
// and lost the connection before any byte of an answer.
CenterError transport_error(const Job& job, CURLcode code, long verify_result,
                            bool dropped_after_handshake);

// A transfer that got an HTTP answer. A 2xx to a request with an Idempotency-Key must be a JSON
// object naming that key, and a refusal is final only in the centre's envelope with a code it
// documents as final. Anything else (a captive portal's 200 page, a proxy's 403, a 404 from a
// mistyped URL) is reported as retryable: trying later, once the network is right, may reach the
// centre.
CenterClient::Result http_result(const Job& job, long status, const std::string& content_type,
                                 long http_version);

}  // namespace mk::center::client::detail
