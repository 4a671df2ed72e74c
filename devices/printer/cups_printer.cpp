#include "devices/printer/cups_printer.hpp"

#include <memory>
#include <thread>

#include <cups/cups.h>

namespace mk::devices {

namespace {

std::string last_error() {
  const char* text = cupsLastErrorString();
  return text != nullptr ? text : ippErrorString(cupsLastError());
}

// The job's state as the spooler reports it; IPP_JSTATE_PENDING when it cannot be read yet.
ipp_jstate_t job_state(http_t* http, const std::string& queue, int job_id) {
  cups_job_t* jobs = nullptr;
  const int count = cupsGetJobs2(http, &jobs, queue.c_str(), 0, CUPS_WHICHJOBS_ALL);
  ipp_jstate_t state = IPP_JSTATE_PENDING;
  for (int i = 0; i < count; ++i) {
    if (jobs[i].id == job_id) {
      state = jobs[i].state;
    }
  }
  cupsFreeJobs(count, jobs);
  return state;
}

using Connection = std::unique_ptr<http_t, decltype(&httpClose)>;

// A connection of its own to the spooler (null when it cannot be reached): a spooler restarted
// since the last use (an upgrade) is simply reached again.
Connection connect_to_spooler() {
  return {httpConnect2(cupsServer(), ippPort(), nullptr, AF_UNSPEC, cupsEncryption(), 1, 10'000,
                       nullptr),
          &httpClose};
}

}  // namespace

PrinterStatus CupsPrinter::status() const {
  PrinterStatus st;
  const Connection connection = connect_to_spooler();
  if (!connection) {
    return st;
  }
  st.reachable = true;
  cups_dest_t* dest = cupsGetNamedDest(connection.get(), queue_.c_str(), nullptr);
  if (dest == nullptr) {
    return st;
  }
  st.exists = true;
  const auto option = [&](const char* name) {
    const char* v = cupsGetOption(name, dest->num_options, dest->options);
    return std::string(v != nullptr ? v : "");
  };
  st.accepting = option("printer-is-accepting-jobs") == "true";
  const std::string state = option("printer-state");
  st.state = state == "3" ? "idle" : state == "4" ? "processing" : state == "5" ? "stopped" : state;
  st.reasons = option("printer-state-reasons");
  cupsFreeDests(1, dest);
  return st;
}

const char* PrintOutcome::code() const {
  switch (kind) {
    case Kind::completed:
      return "ok";
    case Kind::refused:
      return "refused";
    case Kind::failed:
      return "failed";
    case Kind::timed_out:
      return "timeout";
  }
  return "failed";
}

CupsPrinter::CupsPrinter(std::string queue, std::chrono::milliseconds timeout)
    : queue_(std::move(queue)), timeout_(timeout) {}

PrintOutcome CupsPrinter::print(std::span<const uint8_t> document, const std::string& format,
                                const std::string& title) {
  PrintOutcome out;
  const Connection connection = connect_to_spooler();
  http_t* http = connection.get();
  if (http == nullptr) {
    out.kind = PrintOutcome::Kind::refused;
    out.detail = std::string("no spooler at ") + cupsServer() + ": " + last_error();
    return out;
  }
  const int job = cupsCreateJob(http, queue_.c_str(), title.c_str(), 0, nullptr);
  if (job == 0) {
    out.kind = PrintOutcome::Kind::refused;
    out.detail = "create job on " + queue_ + ": " + last_error();
    return out;
  }
  out.job_id = job;
  if (cupsStartDocument(http, queue_.c_str(), job, title.c_str(), format.c_str(), 1) !=
          HTTP_STATUS_CONTINUE ||
      cupsWriteRequestData(http, reinterpret_cast<const char*>(document.data()), document.size()) !=
          HTTP_STATUS_CONTINUE ||
      cupsFinishDocument(http, queue_.c_str()) != IPP_STATUS_OK) {
    out.kind = PrintOutcome::Kind::refused;
    out.detail = "send document: " + last_error();
    cupsCancelJob2(http, queue_.c_str(), job, 0);
    return out;
  }
  // The spooler's word, not ours: poll the job until it is in a final state.
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (std::chrono::steady_clock::now() < deadline) {
    switch (job_state(http, queue_, job)) {
      case IPP_JSTATE_COMPLETED:
        out.kind = PrintOutcome::Kind::completed;
        return out;
      case IPP_JSTATE_ABORTED:
        out.kind = PrintOutcome::Kind::failed;
        out.detail = "job " + std::to_string(job) + " aborted by the spooler";
        return out;
      case IPP_JSTATE_CANCELED:
        out.kind = PrintOutcome::Kind::failed;
        out.detail = "job " + std::to_string(job) + " cancelled on the spooler";
        return out;
      case IPP_JSTATE_PENDING:
      case IPP_JSTATE_HELD:
      case IPP_JSTATE_PROCESSING:
      case IPP_JSTATE_STOPPED:
        break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // A job left waiting would print for whoever stands here when the printer comes back.
  cupsCancelJob2(http, queue_.c_str(), job, 0);
  out.kind = PrintOutcome::Kind::timed_out;
  out.detail = "job " + std::to_string(job) + " not completed in " +
               std::to_string(timeout_.count()) + " ms; cancelled";
  return out;
}

}  // namespace mk::devices
