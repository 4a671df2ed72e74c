// mynacenter: the centre simulator (docs/center-sim.md). Serves the centre API over HTTPS with
// mutual TLS until SIGTERM or SIGINT.
#include <csignal>
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "center/sim/center_simulator.hpp"
#include "center/sim/test_tls.hpp"
#include "devices/sim/pki.hpp"
#include "flows/rules/calendar.hpp"

int main(int argc, char** argv) {
  namespace sim = mk::center::sim;
  sim::CenterSimulatorConfig config;
  config.tls_dir = sim::default_test_tls_dir();
  config.pki_cache = mk::devices::sim::PkiCache::default_dir();
  config.fixtures = MK_FIXTURES_DIR;
  config.db = "mynacenter.db";
  bool print_port = false;
  bool rogue = false;
  std::string today;

  CLI::App app{"MynaKiosk centre simulator: the centre API over HTTPS with mutual TLS"};
  app.add_option("--port", config.port, "TCP port (0: any free port)")->check(CLI::Range(0, 65535));
  app.add_option("--bind", config.bind, "address to listen on (loopback by default)");
  app.add_option("--db", config.db, "SQLite database file (created)");
  app.add_option("--tls-dir", config.tls_dir, "the test TLS world (created when missing)");
  app.add_option("--fixtures", config.fixtures, "devices/sim fixture people")
      ->check(CLI::ExistingDirectory);
  app.add_option("--pki-cache", config.pki_cache, "devices/sim PKI cache folder");
  app.add_option("--prefecture", config.prefecture,
                 "the prefecture this centre serves (a fixture's, e.g. Tokyo); default: every one");
  app.add_option("--today", today,
                 "the centre's day (YYYY-MM-DD in Japan), at this moment's time of day: renewal "
                 "periods, recording dates and the fixtures' \"today\" follow it; default: today")
      ->check([](const std::string& s) {
        return mk::flows::parse_iso_date(s) ? std::string() : std::string("not a day (YYYY-MM-DD)");
      });
  app.add_flag("--print-port", print_port, "print the bound port on stdout once listening");
  app.add_flag("--rogue-server-cert", rogue, "serve the rogue CA's certificate (wrong TLS)");
  CLI11_PARSE(app, argc, argv);
  config.rogue_server_certificate = rogue;
  if (const auto day = mk::flows::parse_iso_date(today)) {
    const auto now_in_japan = std::chrono::system_clock::now() + std::chrono::hours(9);
    const auto shift =
        mk::flows::to_days(*day) - std::chrono::floor<std::chrono::days>(now_in_japan);
    config.clock = [shift] { return std::chrono::system_clock::now() + shift; };
  }

  // Block the signals in every thread; this one waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    sim::CenterSimulator center(config);
    center.start();
    if (print_port) {
      std::cout << center.port() << std::endl;
    }
    std::cerr << "mynacenter: listening on https://" << config.bind << ":" << center.port()
              << " (db " << config.db.string() << ")\n";
    int received = 0;
    sigwait(&signals, &received);
    center.stop();
    std::cerr << "mynacenter: stopped\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "mynacenter: " << e.what() << "\n";
    return 1;
  }
}
