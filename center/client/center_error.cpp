#include "center/client/center_error.hpp"

#include <utility>

namespace mk::center::client {

std::string_view to_string(CenterErrorKind kind) {
  switch (kind) {
    case CenterErrorKind::unreachable:
      return "unreachable";
    case CenterErrorKind::timeout:
      return "timeout";
    case CenterErrorKind::tls_server_untrusted:
      return "tls_server_untrusted";
    case CenterErrorKind::tls_client_refused:
      return "tls_client_refused";
    case CenterErrorKind::http_rejected:
      return "http_rejected";
    case CenterErrorKind::server_error:
      return "server_error";
    case CenterErrorKind::malformed_reply:
      return "malformed_reply";
    case CenterErrorKind::cancelled:
      return "cancelled";
  }
  return "unknown";
}

CenterError::CenterError(CenterErrorKind error_kind, std::string detail, long status,
                         std::string error_code, bool is_retryable, int attempt_count,
                         std::string message)
    : std::runtime_error(std::move(detail)),
      kind(error_kind),
      http_status(status),
      code(std::move(error_code)),
      retryable(is_retryable),
      attempts(attempt_count),
      server_message(std::move(message)) {}

std::string_view user_message_key(const CenterError& error) {
  switch (error.kind) {
    case CenterErrorKind::unreachable:
      return "center.error.unreachable";
    case CenterErrorKind::timeout:
      return "center.error.timeout";
    case CenterErrorKind::tls_server_untrusted:
      return "center.error.tls_server_untrusted";
    case CenterErrorKind::tls_client_refused:
      return "center.error.tls_client_refused";
    case CenterErrorKind::http_rejected:
      return "center.error.http_rejected";
    case CenterErrorKind::server_error:
      return "center.error.server_error";
    case CenterErrorKind::malformed_reply:
      return "center.error.malformed_reply";
    case CenterErrorKind::cancelled:
      return "center.error.cancelled";
  }
  return "center.error.unreachable";
}

}  // namespace mk::center::client
