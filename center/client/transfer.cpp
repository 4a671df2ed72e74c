// A Job's curl callbacks and its cancellation (transfer.hpp).
#include "center/client/transfer.hpp"

#include <string_view>

namespace mk::center::client::detail {

// A reply larger than this is not a centre API answer; refusing it bounds the memory a broken
// or hostile peer can make us hold.
constexpr std::size_t kMaxReplyBytes = std::size_t{4} * 1024U * 1024U;

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* job = static_cast<Job*>(user);
  const std::size_t bytes = size * count;
  if (job->reply.size() + bytes > kMaxReplyBytes) {
    job->reply_too_large = true;
    return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
  }
  job->reply.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* job = static_cast<Job*>(user);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    job->reply_headers.clear();  // a new response (after a 100 Continue, say)
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    job->reply_headers.emplace_back(lower(trim(line.substr(0, colon))),
                                    std::string(trim(line.substr(colon + 1))));
  }
  return bytes;
}

CenterError cancelled_error(const Job& job) {
  return CenterError(CenterErrorKind::cancelled,
                     job.what() + ": cancelled, the centre link is shutting down", 0, {}, false,
                     job.attempts);
}

}  // namespace mk::center::client::detail
