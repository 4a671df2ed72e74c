// The centre client's request and response types (center_client.hpp): the builders and lookups.
#include <utility>

#include "center/client/center_client.hpp"

namespace mk::center::client {

std::string_view to_string(Method method) {
  switch (method) {
    case Method::get:
      return "GET";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
    case Method::patch:
      return "PATCH";
    case Method::del:
      return "DELETE";
  }
  return "GET";
}

Request Request::get(std::string path) {
  Request r;
  r.method = Method::get;
  r.path = std::move(path);
  return r;
}

Request Request::post(std::string path, std::string json_body) {
  Request r;
  r.method = Method::post;
  r.path = std::move(path);
  r.body = std::move(json_body);
  return r;
}

Request& Request::with_idempotency_key(std::string key) {
  idempotency_key = std::move(key);
  return *this;
}

Request& Request::with_timeout(std::chrono::milliseconds total) {
  timeout = total;
  return *this;
}

Request& Request::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace mk::center::client
