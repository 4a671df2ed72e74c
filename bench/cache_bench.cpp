// mynakiosk-cache-bench: the offline cache's numbers, as docs/performance.md quotes them.
//   - durable enqueue rate: Outbox::enqueue, one commit each (WAL, synchronous=FULL), with the
//     latency of each call;
//   - Store::open time with 0 and with N (100,000: a year) audit rows; it must be flat, since
//     nothing at open reads the audit log row by row;
//   - audit append rate, incremental verify() of new rows, and the on-demand full verify_all().
// It writes one JSON object to --out, prints a summary, and exits non-zero when a measurement
// failed or the open time grew with the audit table (more than 2x + 2 ms).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench/bench_support.hpp"
#include "offline-cache/store.hpp"

namespace {

namespace fs = std::filesystem;
namespace oc = mk::offline_cache;
using namespace mk::bench;

oc::KeyFile bench_key() {
  std::array<uint8_t, 32> key{};
  key.fill(0x3C);
  return oc::KeyFile::from_bytes(key);
}

oc::AuditEntry audit_entry(int64_t i) {
  oc::AuditEntry entry;
  entry.actor = i % 3 == 0 ? "staff:tanaka" : "holder";
  entry.action = i % 2 == 0 ? "onestop.submit" : "card.read";
  entry.result = "ok";
  entry.terminal = "kiosk-07";
  entry.detail = "step " + std::to_string(i);
  return entry;
}

// Median-ish open times of a store directory: `runs` opens and closes.
std::vector<double> open_times(const fs::path& directory, int runs) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    auto store = oc::Store::open(directory, bench_key());
    times.push_back(ms_since(start));
    if (store->open_report().recovered_from_corruption()) {
      throw std::runtime_error("bench store was found corrupt");
    }
  }
  return times;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"mynakiosk-cache-bench: durable enqueue rate and store open time of offline-cache"};
  std::string out = "bench-results/cache.json";
  fs::path work_dir = fs::temp_directory_path();
  int enqueues = 2000;
  int audit_rows = 100'000;
  int open_runs = 20;
  int payload_bytes = 2048;
  cli.add_option("--out", out, "where to write the JSON results")->capture_default_str();
  cli.add_option("--dir", work_dir, "where to create the bench stores (the disk to measure)")
      ->capture_default_str();
  cli.add_option("--enqueues", enqueues, "durable enqueues to time")->capture_default_str();
  cli.add_option("--audit-rows", audit_rows, "audit rows in the big store")->capture_default_str();
  cli.add_option("--open-runs", open_runs, "opens of each store")->capture_default_str();
  cli.add_option("--payload-bytes", payload_bytes, "size of each outbox payload")
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  std::string pattern = (work_dir / "mk-cache-bench-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "cannot create a directory in " << work_dir << "\n";
    return 1;
  }
  const fs::path root = pattern;
  std::vector<std::string> failures;
  json result;
  result["benchmark"] = "mynakiosk-cache-bench";
  result["build_type"] = MK_BUILD_TYPE;
  result["machine"] = machine();
  result["machine"]["filesystem_dir"] = work_dir.string();
  try {
    // 1. Durable enqueue rate.
    {
      auto store = oc::Store::open(root / "enqueue", bench_key());
      const std::string payload(static_cast<size_t>(payload_bytes), 'x');
      const auto bytes = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(payload.data()),
                                                  payload.size());
      std::vector<double> latencies;
      const auto start = Clock::now();
      for (int i = 0; i < enqueues; ++i) {
        const auto t = Clock::now();
        store->outbox().enqueue("onestop-consent", "bench-" + std::to_string(i), bytes, "{}");
        latencies.push_back(ms_since(t));
      }
      const double total = ms_since(start);
      if (store->outbox().pending_count() != enqueues) {
        failures.push_back("enqueue: rows missing");
      }
      result["enqueue"] = {{"count", enqueues},
                           {"payload_bytes", payload_bytes},
                           {"commits_per_second", enqueues / (total / 1000.0)},
                           {"latency", to_json(stats(latencies))}};
    }
    // What reading the whole audit table costs here (a full verify): the scale an open that
    // reads it would show, on this machine, in this build, under this load.
    double verify_all_ms = 0;
    // 2. Audit appends (one commit each) and the big store.
    {
      auto store = oc::Store::open(root / "audit-big", bench_key());
      const int single = 1000;
      const auto start = Clock::now();
      for (int i = 0; i < single; ++i) {
        store->audit().append(audit_entry(i));
      }
      const double single_ms = ms_since(start);
      std::vector<oc::AuditEntry> batch;
      const auto fill_start = Clock::now();
      for (int64_t i = single; i < audit_rows; ++i) {
        batch.push_back(audit_entry(i));
        if (batch.size() == 1000 || i + 1 == audit_rows) {
          store->audit().append_batch(batch);
          batch.clear();
        }
      }
      const double fill_ms = ms_since(fill_start);
      const auto all_start = Clock::now();
      const auto all = store->audit().verify_all();
      const double all_ms = ms_since(all_start);
      verify_all_ms = all_ms;
      if (!all.ok) {
        failures.push_back("verify_all failed: " + all.problem);
      }
      store->audit().verify();  // checkpoint at the head
      for (int i = 0; i < 100; ++i) {
        store->audit().append(audit_entry(audit_rows + i));
      }
      const auto incremental_start = Clock::now();
      const auto incremental = store->audit().verify();
      const double incremental_ms = ms_since(incremental_start);
      if (!incremental.ok || incremental.rows_checked != 100) {
        failures.push_back("incremental verify did not check the 100 new rows");
      }
      result["audit"] = {{"append_commits_per_second", single / (single_ms / 1000.0)},
                         {"rows", store->audit().row_count()},
                         {"fill_ms", fill_ms},
                         {"verify_all_ms", all_ms},
                         {"verify_all_rows", all.rows_checked},
                         {"verify_incremental_100_rows_ms", incremental_ms}};
    }
    // 3. Open time: an empty store vs the big one.
    {
      oc::Store::open(root / "audit-empty", bench_key());
      const auto empty = stats(open_times(root / "audit-empty", open_runs));
      const auto big = stats(open_times(root / "audit-big", open_runs));
      const auto size = [](const fs::path& p) {
        return static_cast<double>(fs::file_size(p)) / (1024.0 * 1024.0);
      };
      result["open"] = {{"runs", open_runs},
                        {"audit_rows_0", to_json(empty)},
                        {"audit_rows_big", to_json(big)},
                        {"audit_rows_big_count", audit_rows},
                        {"audit_db_big_mib", size(root / "audit-big" / "audit.db")},
                        {"ratio_p50", big.p50 / std::max(empty.p50, 1e-6)}};
      // Flat: an open that reads the table would take about a full verify (95 ms for 5,000 rows
      // under ASan); a busy machine's jitter (a few ms) is no growth.
      if (big.p50 > 2 * empty.p50 + std::max(2.0, verify_all_ms / 4)) {
        failures.push_back("open time grows with the audit table: p50 " +
                           std::to_string(empty.p50) + " ms empty vs " + std::to_string(big.p50) +
                           " ms with " + std::to_string(audit_rows) + " rows");
      }
    }
  } catch (const std::exception& error) {
    failures.push_back(std::string("error: ") + error.what());
  }
  std::error_code ignored;
  fs::remove_all(root, ignored);
  result["failures"] = failures;

  const fs::path out_path = out;
  if (out_path.has_parent_path()) {
    fs::create_directories(out_path.parent_path(), ignored);
  }
  std::ofstream(out_path) << result.dump(2) << "\n";
  std::cout << result.dump(2) << "\n";
  for (const auto& failure : failures) {
    std::cerr << "FAILED: " << failure << "\n";
  }
  return failures.empty() ? 0 : 1;
}
