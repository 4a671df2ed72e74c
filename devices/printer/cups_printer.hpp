#pragma once

// A printer behind CUPS (libcups): one document a job, "done" only when the spooler says the job
// completed — a job still pending when its time is up (a printer out of paper, switched off,
// paused) is cancelled, so that it does not come out later for the next person.
//
// The spooler is CUPS's own choice: CUPS_SERVER, /etc/cups/client.conf, else the local one; each
// print opens its own connection to it.

#include <chrono>
#include <span>
#include <string>

namespace mk::devices {

struct PrintOutcome {
  enum class Kind {
    completed,  // the spooler finished the job (for a real printer: the data was accepted)
    refused,    // the spooler did not take the job (no such queue, not accepting, no server)
    failed,     // the job was aborted or cancelled on the spooler's side (a filter, the device)
    timed_out,  // not finished in time: cancelled
  };
  Kind kind = Kind::failed;
  int job_id = 0;
  std::string detail;  // the spooler's words, for the log (never shown to the person)

  bool ok() const { return kind == Kind::completed; }
  // "ok", "refused", "failed", "timeout": the flow's event outcome.
  const char* code() const;
};

// The queue as the spooler reports it now (for the kiosk's health check).
struct PrinterStatus {
  bool reachable = false;  // the spooler answered
  bool exists = false;     // it knows the queue
  bool accepting = false;  // printer-is-accepting-jobs
  std::string state;       // "idle", "processing", "stopped" (printer-state)
  std::string reasons;     // printer-state-reasons ("none", "media-empty-error", ...)

  // Ready to print a slip now: reached, known, accepting and not stopped.
  bool ready() const { return reachable && exists && accepting && state != "stopped"; }
};

class CupsPrinter {
 public:
  // `queue`: the CUPS destination; `timeout`: how long a job may take to complete.
  CupsPrinter(std::string queue, std::chrono::milliseconds timeout);

  // Prints `document` (`format`: a MIME type CUPS knows, "application/postscript") as one job
  // titled `title`, then waits for the spooler's final job state.
  PrintOutcome print(std::span<const uint8_t> document, const std::string& format,
                     const std::string& title);

  PrinterStatus status() const;

  const std::string& queue() const { return queue_; }

 private:
  std::string queue_;
  std::chrono::milliseconds timeout_;
};

}  // namespace mk::devices
