#pragma once

// The flows' PrintRequests (a slip to take away), laid out (kiosk/print/slip_document.hpp) and
// printed through CUPS on a worker thread of their own — a printer that takes its time never
// holds up the screen — and answered as Event::printed(name, "ok" | "refused" | "failed" |
// "timeout" | "error"): "ok" only when the spooler reports the job completed. A slip that did
// not print is a problem for staff (docs/operations.md), not only the person's.

#include "base/worker.hpp"
#include "devices/printer/cups_printer.hpp"
#include "flows/engine/effect.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/print/slip_document.hpp"
#include "kiosk/runtime/flow_runtime.hpp"
#include "kiosk/runtime/problem_reporter.hpp"

namespace mk::kiosk {

class PrintService {
 public:
  // `problems` (may be null) hears of a slip that did not print (MK-PRINTER-FAILED, for staff:
  // paper, a jam, a printer switched off) and of one the kiosk could not lay out
  // (MK-PRINTER-SLIP-BROKEN).
  // `helper`: the slip's renderer process (kiosk/print/slip_renderer.hpp).
  PrintService(devices::CupsPrinter printer, const Catalog& catalog, SlipLayout layout,
               ProblemReporter* problems, std::filesystem::path helper);
  ~PrintService();  // stop()
  PrintService(const PrintService&) = delete;
  PrintService& operator=(const PrintService&) = delete;

  // Stops after the job in hand; nothing is posted after this returns.
  void stop();

  // FlowServices::print
  void submit(flows::PrintRequest request, Post post);

 private:
  struct Job {
    flows::PrintRequest request;
    Post post;
  };
  void serve(Job& job);

  devices::CupsPrinter printer_;
  const Catalog& catalog_;
  SlipLayout layout_;
  std::filesystem::path helper_;
  ProblemReporter* problems_;
  base::Worker<Job> worker_;  // last: its thread uses what comes before
};

}  // namespace mk::kiosk
