#pragma once

// A private CUPS spooler for a test: its own cupsd (configuration, spool, logs in the test's
// folder) on a local socket, with a cups-pdf queue whose PDFs land in the test's folder. The kiosk
// reaches it through CUPS_SERVER, as it would a site's spooler through client.conf.
//
// Needs root, as on the CI machines (docs: ../shared/dev-notes.md): cupsd runs the cups-pdf
// backend as root, and cups-pdf reads a queue's settings from /etc/cups/cups-pdf-<name>.conf (the
// name in its device URI, cups-pdf:/<name>), which this writes and removes again.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <unistd.h>

#include "tests/support/processes.hpp"
#include "tests/support/run_process.hpp"

namespace mk::test {

class CupsSpooler {
 public:
  // Starts cupsd in `dir` with the cups-pdf queue `queue`; throws std::runtime_error when it
  // cannot (not root, CUPS or cups-pdf not installed).
  CupsSpooler(const std::filesystem::path& dir, const std::string& queue)
      : dir_(dir), queue_(queue) {
    namespace fs = std::filesystem;
    if (::geteuid() != 0) {
      throw std::runtime_error("a private cupsd with cups-pdf needs root");
    }
    for (const char* sub : {"root", "spool", "cache", "state", "log", "pdf"}) {
      fs::create_directories(dir_ / sub);
    }
    fs::create_directories(dir_ / "tmp");
    // Filters run as lp: its temporary files, and the PDFs cups-pdf hands over.
    fs::permissions(dir_ / "tmp", fs::perms::all | fs::perms::sticky_bit);
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    std::ofstream(dir_ / "cups-files.conf")
        << "ServerRoot " << (dir_ / "root").string() << "\nRequestRoot "
        << (dir_ / "spool").string() << "\nCacheDir " << (dir_ / "cache").string() << "\nStateDir "
        << (dir_ / "state").string() << "\nTempDir " << (dir_ / "tmp").string() << "\nErrorLog "
        << (dir_ / "log/error_log").string() << "\nAccessLog " << (dir_ / "log/access_log").string()
        << "\nPageLog " << (dir_ / "log/page_log").string()
        << "\nUser lp\nGroup lp\nSystemGroup root lpadmin\n";
    // A failed job is aborted (the kiosk hears "failed"), not left to stop the queue.
    std::ofstream(dir_ / "cupsd.conf")
        << "Listen " << socket() << "\nLogLevel info\nBrowsing Off\nWebInterface No\n"
        << "ErrorPolicy abort-job\nDefaultAuthType None\n"
        << "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        << "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n";
    conf_ = "/etc/cups/cups-pdf-" + queue_ + ".conf";
    std::ofstream(conf_) << "Out " << (dir_ / "pdf").string() << "\nAnonDirName "
                         << (dir_ / "pdf").string() << "\nLabel 1\n";
    cupsd_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/sbin/cupsd", "-f", "-c", (dir_ / "cupsd.conf").string(),
                                 "-s", (dir_ / "cups-files.conf").string()},
        std::vector<std::string>{});
    for (int i = 0; i < 100 && !fs::exists(socket()); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const auto added = lp("lpadmin -p " + queue_ + " -v cups-pdf:/" + queue_ +
                          " -E -m lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd");
    if (added.exit_code != 0) {
      throw std::runtime_error("lpadmin: " + added.output + " (cupsd log: " + log() + ")");
    }
  }
  ~CupsSpooler() {
    cupsd_.reset();
    std::error_code ignored;
    std::filesystem::remove(conf_, ignored);
  }
  CupsSpooler(const CupsSpooler&) = delete;
  CupsSpooler& operator=(const CupsSpooler&) = delete;

  std::string socket() const { return (dir_ / "cups.sock").string(); }
  // What the kiosk's environment needs to reach this spooler.
  std::string environment() const { return "CUPS_SERVER=" + socket(); }
  const std::string& queue() const { return queue_; }

  // A CUPS command line tool against this spooler ("lpstat -o").
  ProcessResult lp(const std::string& command) const {
    return run_process(environment() + " " + command + " 2>&1");
  }
  // The queue stops printing (a printer out of paper): jobs wait.
  void pause() const { lp("cupsdisable " + queue_); }

  // The PDFs cups-pdf has written so far.
  std::vector<std::filesystem::path> pdfs() const {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(dir_ / "pdf")) {
      if (e.path().extension() == ".pdf") {
        out.push_back(e.path());
      }
    }
    return out;
  }

  std::string log() const {
    std::ifstream in(dir_ / "log/error_log");
    std::string text;
    std::getline(in, text, '\0');
    return text;
  }

 private:
  std::filesystem::path dir_;
  std::string queue_;
  std::string conf_;
  std::unique_ptr<ChildProcess> cupsd_;
};

}  // namespace mk::test
