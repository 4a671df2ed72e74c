#include "kiosk/runtime/print_service.hpp"

#include "kiosk/logging/log.hpp"
#include "kiosk/print/slip_renderer.hpp"

namespace mk::kiosk {

PrintService::PrintService(devices::CupsPrinter printer, const Catalog& catalog, SlipLayout layout,
                           ProblemReporter* problems, std::filesystem::path helper)
    : printer_(std::move(printer)),
      catalog_(catalog),
      layout_(std::move(layout)),
      helper_(std::move(helper)),
      problems_(problems),
      worker_([this](Job& job) { serve(job); }) {}

PrintService::~PrintService() {
  stop();
}

void PrintService::stop() {
  worker_.stop();
}

void PrintService::submit(flows::PrintRequest request, Post post) {
  worker_.post({std::move(request), std::move(post)});
}

void PrintService::serve(Job& job) {
  auto log = logger("printer");
  std::string outcome = "error";
  try {
    const std::string document =
        render_slip(helper_, slip_text(job.request.document, catalog_), layout_);
    const auto bytes =
        std::span(reinterpret_cast<const uint8_t*>(document.data()), document.size());
    // The job's title is what the spooler and a PDF printer name it by: the slip's kind, never
    // anything of the person.
    const devices::PrintOutcome printed =
        printer_.print(bytes, "application/postscript", "mynakiosk-" + job.request.name);
    outcome = printed.code();
    if (printed.ok()) {
      log->info("printed {} on {} (job {})", job.request.name, printer_.queue(), printed.job_id);
    } else if (problems_ != nullptr) {
      problems_->report("MK-PRINTER-FAILED", true,
                        job.request.name + " not printed on " + printer_.queue() + ": " + outcome +
                            " (" + printed.detail + ")");
    } else {
      log->error("{} not printed on {}: {} ({})", job.request.name, printer_.queue(), outcome,
                 printed.detail);
    }
  } catch (const std::exception& e) {
    if (problems_ != nullptr) {
      problems_->report("MK-PRINTER-SLIP-BROKEN", true,
                        job.request.name + " could not be laid out: " + e.what());
    } else {
      log->error("{} not printed: {}", job.request.name, e.what());
    }
  }
  job.post(flows::Event::printed(job.request.name, outcome));
}

}  // namespace mk::kiosk
