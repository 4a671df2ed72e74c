#include "devices/sim/sim_cli.hpp"

#include <csignal>

namespace mk::devices::sim {

namespace {
std::atomic<bool> g_stop{false};
extern "C" void on_signal(int /*signal*/) {
  g_stop.store(true);
}
}  // namespace

void add_sim_options(CLI::App& app, SimOptions& o, SimCliFlags& flags) {
  app.add_option("--card", o.card, "mynumber or dl")
      ->check(CLI::IsMember({"mynumber", "dl"}))
      ->capture_default_str();
  app.add_option("--fixture", o.fixture, "person TOML (devices/sim/fixtures/*.toml)")->required();
  app.add_option("--state", o.state_file, "card state JSON (created when missing)");
  app.add_option("--pki-cache", o.pki_cache, "folder for the generated test keys");
  app.add_option("--host", o.host, "vpcd host")->capture_default_str();
  app.add_option("--port", o.port, "vpcd port (35963 reader 0, 35964 reader 1)")
      ->capture_default_str();
  app.add_option("--remove-at", o.faults.remove_at_apdu, "remove the card at command APDU N");
  app.add_flag("--remove-before-answer", o.faults.remove_before_answer,
               "with --remove-at: remove before answering APDU N");
  app.add_option("--reinsert-after", o.faults.reinsert_after_ms,
                 "after a removal fault, insert the card again after MS (default: never)");
  app.add_option("--delay", o.faults.delay_ms, "delay every answer by MS");
  app.add_option("--garbage-at", o.faults.garbage_at_apdu, "answer APDU N with garbage");
  app.add_flag("--garbage-truncated", o.faults.garbage_truncated,
               "garbage is a truncated answer (default: a 1-byte answer)");
  app.add_flag("--nagle", flags.nagle,
               "leave Nagle's algorithm on (no TCP_NODELAY), for measuring");
  app.add_flag("--no-quickack", flags.no_quickack,
               "leave delayed ACKs on (no TCP_QUICKACK), for measuring");
  app.add_option("--today", flags.today,
                 "the card's today (YYYY-MM-DD, for a fixture's \"today\" dates); default: today "
                 "in Japan")
      ->check([](const std::string& s) {
        const Date d = parse_date(s);
        return d.year == 0 ? std::string("not a date (YYYY-MM-DD)") : std::string();
      });
  app.add_flag("--trace", o.trace, "one line per APDU with timings on stderr");
}

void finish_sim_options(SimOptions& o, const SimCliFlags& flags) {
  o.tcp_nodelay = !flags.nagle;
  o.tcp_quickack = !flags.no_quickack;
  if (!flags.today.empty()) {
    o.today = parse_date(flags.today);
  }
}

const std::atomic<bool>* stop_on_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  return &g_stop;
}

}  // namespace mk::devices::sim
