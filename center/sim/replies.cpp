// The centre simulator's answers and API failures (replies.hpp).
#include "center/sim/replies.hpp"

namespace mk::center::sim {

void fail(int http, const char* code, const std::string& message, bool retryable) {
  throw ApiFailure{http, code, message, retryable};
}

Reply json_reply(const api::Json& j, int status) {
  return {status, j.dump(), {}};
}

Reply with_echoed_key(Reply reply, const std::string& key) {
  if (reply.status < 200 || reply.status >= 300) {
    return reply;
  }
  api::Json body = api::Json::parse(reply.body, nullptr, false);
  if (body.is_object()) {
    body[api::kEchoedKeyField] = key;
    reply.body = body.dump();
  }
  return reply;
}

Reply error_reply(const ApiFailure& f) {
  return {f.http, api::error_envelope({f.code, f.message, f.retryable}).dump(), {}};
}

void send(httplib::Response& res, const Reply& reply) {
  res.status = reply.status;
  for (const auto& [k, v] : reply.headers) {
    res.set_header(k, v);
  }
  if (reply.status != 304) {
    res.set_content(reply.body, "application/json; charset=utf-8");
  }
}

void send_truncated(httplib::Response& res, const std::string& body) {
  res.status = 200;
  const std::string half = body.substr(0, body.size() / 2);
  res.set_content_provider(body.size() + 1, "application/json",
                           [half](size_t offset, size_t, httplib::DataSink& sink) {
                             if (offset == 0 && !half.empty()) {
                               sink.write(half.data(), half.size());
                             }
                             return false;  // abort: httplib closes the connection
                           });
}

}  // namespace mk::center::sim
