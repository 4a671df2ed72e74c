// The centre client's reading of a finished transfer (answer.hpp).
#include "center/client/answer.hpp"

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "center/api/wire.hpp"

namespace mk::center::client::detail {

namespace {

std::string protocol_name(long version) {
  switch (version) {
    case CURL_HTTP_VERSION_1_0:
      return "HTTP/1.0";
    case CURL_HTTP_VERSION_1_1:
      return "HTTP/1.1";
    case CURL_HTTP_VERSION_2_0:
      return "HTTP/2";
    case CURL_HTTP_VERSION_3:
      return "HTTP/3";
    default:
      return "HTTP/?";
  }
}

// The envelope {"error":{"code","message","retryable"}} of a non-2xx answer, when there is one.
struct Envelope {
  std::string code;
  std::string message;
  bool retryable = false;
};

std::optional<Envelope> parse_envelope(const std::string& content_type, const std::string& body) {
  if (!is_json_content_type(content_type)) {
    return std::nullopt;
  }
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return std::nullopt;
  }
  const auto error = json.find("error");
  if (error == json.end() || !error->is_object()) {
    return std::nullopt;
  }
  const auto code = error->find("code");
  if (code == error->end() || !code->is_string()) {
    return std::nullopt;
  }
  Envelope envelope;
  envelope.code = code->get<std::string>();
  if (const auto message = error->find("message");
      message != error->end() && message->is_string()) {
    envelope.message = message->get<std::string>();
  }
  if (const auto retryable = error->find("retryable");
      retryable != error->end() && retryable->is_boolean()) {
    envelope.retryable = retryable->get<bool>();
  }
  return envelope;
}

}  // namespace

CenterError transport_error(const Job& job, CURLcode code, long verify_result,
                            bool dropped_after_handshake) {
  const std::string reason =
      job.error_text[0] != '\0' ? std::string(job.error_text.data()) : curl_easy_strerror(code);
  // OpenSSL names an alert the peer sent as "... alert ..." ("tlsv13 alert certificate
  // required", "tlsv1 alert unknown ca"): the server broke off the handshake, which with a
  // server we trust means it refused our client certificate.
  const bool peer_alert = reason.find("alert") != std::string::npos;
  const auto make = [&](CenterErrorKind kind, bool retryable, const std::string& what) {
    return CenterError(kind, job.what() + ": " + what + " (" + reason + ")", 0, {}, retryable,
                       job.attempts);
  };
  if (verify_result != 0) {
    // curl reports the first error on OpenSSL's queue, which for a certificate from another CA
    // can be an ASN.1 detail rather than "certificate verify failed"; the verdict is certain.
    return make(CenterErrorKind::tls_server_untrusted, false,
                "the server's certificate is not the centre's (X.509 verify error " +
                    std::to_string(verify_result) + ")");
  }
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return make(CenterErrorKind::unreachable, true, "the centre cannot be reached");
    case CURLE_OPERATION_TIMEDOUT:
      return make(CenterErrorKind::timeout, true, "no answer in time");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return make(CenterErrorKind::tls_server_untrusted, false,
                  "the server's certificate is not the centre's");
    case CURLE_SSL_CERTPROBLEM:
      return make(CenterErrorKind::tls_client_refused, false,
                  "our client certificate could not be used");
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
      if (peer_alert) {
        return make(CenterErrorKind::tls_client_refused, false,
                    "the centre refused the TLS handshake (our client certificate)");
      }
      // In TLS 1.3 the server checks our certificate after the client's side of the handshake
      // is done, so its refusal races our request: usually we see only the connection closing
      // (EPIPE, reset) instead of its alert. A server that accepted us does not drop a new
      // connection before answering its first request, so that is read as a refusal too.
      if (dropped_after_handshake) {
        return make(CenterErrorKind::tls_client_refused, false,
                    "the centre closed a new connection right after the TLS handshake (it "
                    "refused our client certificate)");
      }
      return make(CenterErrorKind::unreachable, true, "the connection to the centre broke");
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return make(CenterErrorKind::unreachable, true, "the connection to the centre broke");
    case CURLE_WRITE_ERROR:
      if (job.reply_too_large) {
        return make(CenterErrorKind::malformed_reply, false, "the reply is too large");
      }
      return make(CenterErrorKind::unreachable, false, "the reply could not be received");
    default:
      return make(CenterErrorKind::unreachable, false, "the request failed");
  }
}

CenterClient::Result http_result(const Job& job, long status, const std::string& content_type,
                                 long http_version) {
  const std::string status_text = "HTTP " + std::to_string(status);
  const auto not_the_centre = [&](const std::string& why) {
    CenterError error(CenterErrorKind::malformed_reply, job.what() + ": " + status_text + " " + why,
                      status, {}, true, job.attempts);
    error.content_type = content_type;
    return error;
  };
  if ((status >= 200 && status < 300) || status == 304) {
    Response response;
    response.http_status = status;
    response.attempts = job.attempts;
    response.protocol = protocol_name(http_version);
    response.headers = job.reply_headers;
    if (job.request.idempotency_key && (status == 204 || status == 304)) {
      return not_the_centre("has no body to name the request's idempotency key");
    }
    if (status == 204 || status == 304) {
      return response;
    }
    if (!is_json_content_type(content_type)) {
      return not_the_centre("with content type \"" + content_type + "\", not application/json");
    }
    response.body = nlohmann::json::parse(job.reply, nullptr, false);
    if (response.body.is_discarded()) {
      return not_the_centre("body is not JSON");
    }
    if (const auto& key = job.request.idempotency_key) {
      const auto echoed = response.body.is_object() ? response.body.find(api::kEchoedKeyField)
                                                    : response.body.end();
      if (echoed == response.body.end() || !echoed->is_string() ||
          echoed->get_ref<const std::string&>() != *key) {
        return not_the_centre("does not name the request's idempotency key");
      }
    }
    return response;
  }
  const auto envelope = parse_envelope(content_type, job.reply);
  const std::string code = envelope ? envelope->code : std::string();
  const std::string message = envelope ? envelope->message : std::string();
  const bool envelope_retryable = envelope && envelope->retryable;
  const bool final_refusal = envelope && api::is_final_refusal(code);
  const std::string described = job.what() + ": " + status_text +
                                (envelope ? " " + code : std::string(" without an error envelope"));
  CenterError error(CenterErrorKind::malformed_reply, job.what() + ": unexpected " + status_text,
                    status, code, false, job.attempts, message);
  if (status >= 400 && status < 500) {
    error =
        CenterError(CenterErrorKind::http_rejected, described, status, code,
                    status == 429 || envelope_retryable || !final_refusal, job.attempts, message);
  } else if (status >= 500 && status < 600) {
    const bool gateway = status == 502 || status == 503 || status == 504;
    error = CenterError(CenterErrorKind::server_error, described, status, code,
                        gateway || envelope_retryable, job.attempts, message);
  }
  error.content_type = content_type;
  return error;
}

}  // namespace mk::center::client::detail
