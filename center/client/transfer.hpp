#pragma once

// Internal to center/client: one request from submit() to its callback (a Job) as the worker
// thread carries it — its curl easy handle, the reply as it arrives, the attempts so far.

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "center/client/center_client.hpp"
#include "center/client/center_error.hpp"
#include "center/client/http_text.hpp"

namespace mk::center::client::detail {

using Clock = std::chrono::steady_clock;

// One request from submit() to its callback; lives on the worker thread after submit().
struct Job {
  Request request;
  CenterClient::Callback done;
  std::string url;
  bool idempotent = false;
  int attempts = 0;
  Clock::time_point attempt_start{};
  // The current attempt.
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  std::string reply;
  bool reply_too_large = false;
  std::vector<std::pair<std::string, std::string>> reply_headers;
  std::array<char, CURL_ERROR_SIZE> error_text{};

  std::string what() const {
    return std::string(to_string(request.method)) + " " + loggable_path(request.path);
  }

  // Frees the attempt's curl handle (already removed from the multi handle).
  void release_attempt() {
    if (easy != nullptr) {
      curl_easy_cleanup(easy);
      easy = nullptr;
    }
    if (header_list != nullptr) {
      curl_slist_free_all(header_list);
      header_list = nullptr;
    }
  }
  Job() = default;
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;
  Job(Job&&) = delete;
  Job& operator=(Job&&) = delete;
  // The request body may hold a PIN (inside the TLS body, nowhere else) and the reply personal
  // data: wiped before the memory goes back to the allocator.
  ~Job() {
    release_attempt();
    OPENSSL_cleanse(request.body.data(), request.body.size());
    OPENSSL_cleanse(reply.data(), reply.size());
  }
};

// The curl write and header callbacks of a Job's transfer (`user` is the Job).
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user);
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user);

CenterError cancelled_error(const Job& job);

}  // namespace mk::center::client::detail
