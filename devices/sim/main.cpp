// mynacard-sim: one virtual card (My Number card or conventional IC driver's license) attached to
// pcscd's vpcd driver. The same options as `mynacard sim`; see docs/virtual-cards.md.

#include <atomic>
#include <csignal>

// GCC 12 at -O2 sees a null dereference inside CLI11's string splitting that cannot happen.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop

#include "devices/sim/runner.hpp"

namespace {
std::atomic<bool> g_stop{false};
extern "C" void on_signal(int /*signal*/) {
  g_stop.store(true);
}
}  // namespace

int main(int argc, char** argv) {
  mk::devices::sim::SimOptions o;
  CLI::App app{"Virtual My Number / driver's license card for pcscd's vpcd reader"};
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
  bool nagle = false;
  app.add_flag("--nagle", nagle, "leave Nagle's algorithm on (no TCP_NODELAY), for measuring");
  bool no_quickack = false;
  app.add_flag("--no-quickack", no_quickack,
               "leave delayed ACKs on (no TCP_QUICKACK), for measuring");
  app.add_flag("--trace", o.trace, "one line per APDU with timings on stderr");
  CLI11_PARSE(app, argc, argv);
  o.tcp_nodelay = !nagle;
  o.tcp_quickack = !no_quickack;

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  o.stop = &g_stop;
  return mk::devices::sim::run_virtual_card(o);
}
