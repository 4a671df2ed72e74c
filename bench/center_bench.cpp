// mynakiosk-center-bench: the centre link's numbers, as docs/performance.md quotes them.
//   - delivery: N (10,000) portal-linkage submissions queued in the outbox, delivered by the
//     kiosk's own delivery function (kiosk/runtime/center_sync.hpp) over mutual TLS to the
//     centre simulator in this process, one at a time as the background sender does; the
//     simulator must then hold exactly N linkages;
//   - kiosk start: the real mynakiosk (headless, up to its first frame, the built-in centre
//     simulator included) with an empty store and with a store holding a year of audit rows
//     (100,000); the start time must not grow with the table.
// It writes one JSON object to --out, prints a summary, and exits non-zero when a measurement
// failed, the centre holds the wrong number of linkages, or the start time grew with the audit
// table (more than 1.5x + 50 ms; --no-start-gate for a smoke run beside other tests).
#include <array>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include "bench/bench_support.hpp"
#include "center/api/wire.hpp"
#include "center/client/center_api.hpp"
#include "center/sim/center_simulator.hpp"
#include "center/sim/test_tls.hpp"
#include "devices/sim/cards.hpp"
#include "devices/sim/fixture.hpp"
#include "devices/sim/pki.hpp"
#include "kiosk/runtime/center_sync.hpp"
#include "offline-cache/store.hpp"

extern char** environ;

namespace {

using namespace mk::bench;
namespace oc = mk::offline_cache;
namespace api = mk::center::api;
namespace sim = mk::center::sim;
namespace dsim = mk::devices::sim;

oc::KeyFile bench_key() {
  std::array<uint8_t, 32> key{};
  key.fill(0x42);
  return oc::KeyFile::from_bytes(key);
}

struct Delivery {
  json result;
  bool ok = false;
};

Delivery measure_delivery(const fs::path& dir, int count) {
  Delivery d;
  const auto tls = sim::ensure_test_tls(dir / "tls");
  sim::CenterSimulatorConfig c;
  c.db = dir / "center.db";
  c.tls_dir = tls.dir;
  c.fixtures = fs::path(MK_SOURCE_DIR) / "devices/sim/fixtures";
  c.pki_cache = dsim::PkiCache::default_dir();
  sim::CenterSimulator centre(c);
  centre.start();

  auto store = oc::Store::open(dir / "store", bench_key());
  // yamada-taro's linkage requests, each signed by his virtual card's key under its own nonce
  // (a nonce serves one request): made before the clock starts.
  std::vector<std::string> payloads;
  payloads.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    payloads.push_back(
        api::Json(centre.signed_linkage("yamada-taro", sim::kTestTerminalId)).dump());
  }
  auto started = Clock::now();
  for (int i = 0; i < count; ++i) {
    const std::string& payload = payloads[static_cast<size_t>(i)];
    store->outbox().enqueue(
        "portal-linkage", "bench-" + std::to_string(i),
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(payload.data()), payload.size()));
  }
  const double enqueue_ms = ms_since(started);

  mk::center::client::CenterLinkConfig link;
  link.base_url = "https://localhost:" + std::to_string(centre.port());
  link.ca_file = tls.ca_cert;
  link.client_cert_file = tls.client_cert;
  link.client_key_file = tls.client_key;
  link.terminal_id = sim::kTestTerminalId;
  mk::center::client::CenterClient client(link, {{}, [](const auto&) {}});  // no per-call log
  mk::center::client::CenterApi centre_api(client);
  std::vector<double> each;
  each.reserve(static_cast<size_t>(count));
  started = Clock::now();
  int rounds = 0;
  while (store->outbox().pending_count() > 0 && rounds < 100'000) {
    ++rounds;
    store->outbox().deliver_due(
        oc::system_now() + std::chrono::hours(1),
        [&](const oc::OutboxItem& item) {
          const auto t = Clock::now();
          auto r = mk::kiosk::deliver_to_center(centre_api, item);
          each.push_back(ms_since(t));
          return r;
        },
        64);
  }
  const double total_ms = ms_since(started);
  const int64_t linkages = centre.count_rows("linkages");
  const int64_t pending = store->outbox().pending_count();
  const int64_t dead = store->outbox().dead_letter_count();
  d.ok = linkages == count && pending == 0 && dead == 0;
  d.result = {
      {"submissions", count},           {"enqueue_total_ms", enqueue_ms},
      {"delivery_total_ms", total_ms},  {"deliveries_per_second", count / (total_ms / 1000.0)},
      {"attempts", each.size()},        {"per_delivery", to_json(stats(each))},
      {"linkages_at_centre", linkages}, {"pending_after", pending},
      {"dead_letters_after", dead}};
  return d;
}

// Wall time of one mynakiosk start to its first frame, headless.
double kiosk_start_ms(const fs::path& config) {
  std::vector<std::string> args = {MK_KIOSK_EXE, "--headless", "--exit-after-first-frame",
                                   "--config", config.string()};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const auto started = Clock::now();
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return -1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const double ms = ms_since(started);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ms : -1;
}

json measure_starts(const fs::path& dir, int audit_rows, int starts, bool gate, bool& ok) {
  json out = json::object();
  std::vector<double> p50s;
  for (const int rows : {0, audit_rows}) {
    const fs::path store_dir = dir / ("kiosk-store-" + std::to_string(rows));
    fs::create_directories(store_dir);
    oc::KeyFile::create(store_dir / "store.key");
    {
      auto store = oc::Store::open(store_dir, oc::KeyFile::load(store_dir / "store.key"));
      std::vector<oc::AuditEntry> batch;
      for (int done = 0; done < rows;) {
        batch.clear();
        for (int i = 0; i < 1000 && done < rows; ++i, ++done) {
          batch.push_back({"holder",
                           "record.write",
                           "complete",
                           "KIOSK-BENCH",
                           "row " + std::to_string(done),
                           std::nullopt,
                           {}});
        }
        store->audit().append_batch(batch);
      }
    }
    const fs::path config = dir / ("kiosk-" + std::to_string(rows) + ".toml");
    std::ofstream(config) << "[store]\ndir = \"" << store_dir.string() << "\"\nkey_file = \""
                          << (store_dir / "store.key").string() << "\"\n[log]\njournal = \"off\"\n";
    std::vector<double> times;
    for (int i = 0; i < starts; ++i) {
      const double ms = kiosk_start_ms(config);
      if (ms < 0) {
        ok = false;
      }
      times.push_back(ms);
    }
    const Stats s = stats(times);
    p50s.push_back(s.p50);
    out[rows == 0 ? "empty_store" : "audit_rows_" + std::to_string(rows)] = to_json(s);
  }
  out["ratio_p50"] = p50s[0] > 0 ? p50s[1] / p50s[0] : 0.0;
  if (gate && p50s[1] > 1.5 * p50s[0] + 50) {
    ok = false;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"mynakiosk-center-bench: outbox delivery to the centre, and kiosk start time"};
  int submissions = 10'000;
  int audit_rows = 100'000;
  int starts = 5;
  std::string out = "center-bench.json";
  std::string dir = "/var/tmp";
  cli.add_option("--submissions", submissions, "queued submissions to deliver")
      ->check(CLI::Range(1, 1'000'000));
  cli.add_option("--audit-rows", audit_rows, "audit rows in the big store")
      ->check(CLI::Range(1, 10'000'000));
  cli.add_option("--starts", starts, "kiosk starts per store")->check(CLI::Range(1, 100));
  cli.add_option("--out", out, "JSON results");
  cli.add_option("--dir", dir, "where the stores go (a real disk)");
  bool no_start_gate = false;
  cli.add_flag("--no-start-gate", no_start_gate,
               "measure the start times without judging them (a smoke run on a busy machine: a "
               "couple of starts beside other tests say nothing about growth)");
  CLI11_PARSE(cli, argc, argv);

  const fs::path work = fs::path(dir) / ("mynakiosk-center-bench-" + std::to_string(getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  bool ok = true;
  json result = {
      {"bench", "mynakiosk-center-bench"}, {"build_type", MK_BUILD_TYPE}, {"machine", machine()}};
  try {
    const Delivery d = measure_delivery(work, submissions);
    ok = ok && d.ok;
    result["delivery"] = d.result;
    result["kiosk_start"] = measure_starts(work, audit_rows, starts, !no_start_gate, ok);
  } catch (const std::exception& e) {
    std::cerr << "center bench: " << e.what() << "\n";
    ok = false;
  }
  fs::remove_all(work);
  std::ofstream(out) << result.dump(2) << "\n";
  std::cout << result.dump(2) << "\n";
  return ok ? 0 : 1;
}
