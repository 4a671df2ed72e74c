// offline_cache_crash_child: the process the kill -9 test (crash_test.cpp) kills. It opens the
// store, enqueues submissions (writing each key to a journal, fsync'd, once enqueue returned),
// delivers them to a receiver, and drains the outbox. The parent SIGKILLs it at a random moment,
// or it raises SIGKILL itself at a named commit point:
//   MK_CACHE_CRASH_POINT=<point> MK_CACHE_CRASH_HIT=<n>   (the n-th time the point is passed)
// Points: the store's (outbox.enqueue.before_commit, ...; see docs/offline-cache.md) and the
// receiver's (receiver.before_commit, receiver.after_commit).
//
// The delivery function is pluggable (make_deliverer):
//   sqlite:<file>                          a receiver that stores each idempotency key once,
//                                          durably, as the centre does;
//   center:<port>:<tls dir>:<payload file> the centre simulator on loopback, through the kiosk's
//                                          own delivery (kiosk/runtime/center_sync.hpp) as
//                                          "portal-linkage" submissions: the file is a JSON object
//                                          of each key's request body.
//
// Usage: offline_cache_crash_child <store dir> <key file> <receiver spec> <journal> <run> <count>
// Exit: 0 drained, 2 usage, 3 the store was found corrupt at open, 4 an error.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "center/client/center_api.hpp"
#include "center/sim/test_tls.hpp"
#include "kiosk/runtime/center_sync.hpp"
#include "offline-cache/database.hpp"
#include "offline-cache/store.hpp"

namespace oc = mk::offline_cache;

namespace {

std::string g_crash_point;
long g_crash_hit = 0;
long g_hits = 0;

void commit_point(std::string_view point) {
  if (!g_crash_point.empty() && point == g_crash_point && ++g_hits == g_crash_hit) {
    std::raise(SIGKILL);
  }
}

// The payload of a key: the centre mode's signed submission for that key (each signed under its
// own nonce), or a marked text the parent can recognise.
nlohmann::json g_center_payloads;
std::string payload_for(const std::string& key) {
  if (!g_center_payloads.is_null()) {
    return g_center_payloads.at(key).get<std::string>();
  }
  return "PAYLOAD-" + key + "-CRASHMARKER";
}

// The kiosk's centre link and delivery, killed at the same points as the SQLite receiver: right
// before the request, and after the centre acknowledged but before the outbox knows.
struct CenterReceiver {
  std::unique_ptr<mk::center::client::CenterClient> link;
  std::unique_ptr<mk::center::client::CenterApi> api;

  CenterReceiver(const std::string& port, const std::string& tls_dir) {
    mk::center::client::CenterLinkConfig c;
    c.base_url = "https://localhost:" + port;
    const auto tls = mk::center::sim::ensure_test_tls(tls_dir);
    c.ca_file = tls.ca_cert;
    c.client_cert_file = tls.client_cert;
    c.client_key_file = tls.client_key;
    c.terminal_id = mk::center::sim::kTestTerminalId;
    c.retry.max_attempts = 1;  // the outbox retries
    link = std::make_unique<mk::center::client::CenterClient>(c);
    api = std::make_unique<mk::center::client::CenterApi>(*link);
  }
  oc::DeliveryResult deliver(const oc::OutboxItem& item) {
    commit_point("receiver.before_commit");
    auto result = mk::kiosk::deliver_to_center(*api, item);
    if (result.outcome == oc::DeliveryResult::Outcome::acknowledged) {
      commit_point("receiver.after_commit");
    }
    return result;
  }
};

// A receiver in its own SQLite file: INSERT once per idempotency key, count the copies.
class SqliteReceiver {
 public:
  explicit SqliteReceiver(const std::string& path) : db_(oc::open_database(path)) {
    sqlite3_busy_timeout(db_.handle(), 5000);
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = FULL");
    db_.exec(
        "CREATE TABLE IF NOT EXISTS received (idempotency_key TEXT PRIMARY KEY, kind TEXT, "
        "payload BLOB NOT NULL, copies INTEGER NOT NULL)");
  }

  oc::DeliveryResult deliver(const oc::OutboxItem& item) {
    mk::base::sqlite::Transaction transaction(db_);
    auto insert = db_.prepare(
        "INSERT INTO received (idempotency_key, kind, payload, copies) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (idempotency_key) DO UPDATE SET copies = copies + 1");
    insert.bind(1, item.idempotency_key).bind(2, item.kind).bind(3, item.payload.bytes()).run();
    commit_point("receiver.before_commit");
    transaction.commit();
    commit_point("receiver.after_commit");
    return oc::DeliveryResult::acknowledged();
  }

 private:
  mk::base::sqlite::Database db_;
};

oc::Outbox::Deliver make_deliverer(const std::string& spec) {
  if (spec.rfind("sqlite:", 0) == 0) {
    auto receiver = std::make_shared<SqliteReceiver>(spec.substr(7));
    return [receiver](const oc::OutboxItem& item) {
      // Some first attempts fail, so the retry path is crossed by kills too.
      if (item.attempts == 0 && std::hash<std::string>{}(item.idempotency_key) % 4 == 0) {
        return oc::DeliveryResult::retry_later("receiver busy (simulated)");
      }
      return receiver->deliver(item);
    };
  }
  if (spec.rfind("center:", 0) == 0) {
    // center:<port>:<tls dir>:<payload file>
    const auto a = spec.find(':', 7);
    const auto b = spec.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) {
      throw std::invalid_argument("center receiver spec: center:<port>:<tls dir>:<payload file>");
    }
    std::ifstream in(spec.substr(b + 1), std::ios::binary);
    g_center_payloads = nlohmann::json::parse(in);
    auto receiver =
        std::make_shared<CenterReceiver>(spec.substr(7, a - 7), spec.substr(a + 1, b - a - 1));
    return [receiver](const oc::OutboxItem& item) {
      if (item.attempts == 0 && std::hash<std::string>{}(item.idempotency_key) % 4 == 0) {
        return oc::DeliveryResult::retry_later("centre busy (simulated)");
      }
      return receiver->deliver(item);
    };
  }
  throw std::invalid_argument("unknown receiver spec " + spec);
}

void append_journal(int fd, const std::string& key) {
  const std::string line = key + "\n";
  if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
      ::fsync(fd) != 0) {
    throw std::runtime_error(std::string("journal write failed: ") + std::strerror(errno));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "usage: " << argv[0]
              << " <store dir> <key file> <receiver spec> <journal> <run> <count>\n";
    return 2;
  }
  if (const char* point = std::getenv("MK_CACHE_CRASH_POINT")) {
    g_crash_point = point;
    const char* hit = std::getenv("MK_CACHE_CRASH_HIT");
    g_crash_hit = hit != nullptr ? std::strtol(hit, nullptr, 10) : 1;
  }
  const std::string run = argv[5];
  const int count = std::atoi(argv[6]);
  try {
    oc::StoreOptions options;
    options.commit_hook = commit_point;
    options.outbox.backoff = {std::chrono::milliseconds(1), std::chrono::milliseconds(5)};
    options.terminal = "crash-child";
    auto store = oc::Store::open(argv[1], oc::KeyFile::load(argv[2]), std::move(options));
    if (store->open_report().recovered_from_corruption()) {
      std::cerr << store->open_report().summary() << "\n";
      return 3;
    }
    auto deliver = make_deliverer(argv[3]);
    const int journal = ::open(argv[4], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (journal < 0) {
      throw std::runtime_error("cannot open the journal");
    }
    auto& outbox = store->outbox();
    auto& audit = store->audit();
    const auto audit_step = [&](const std::string& action, const std::string& detail) {
      oc::AuditEntry entry;
      entry.actor = "holder";
      entry.action = action;
      entry.result = "ok";
      entry.terminal = "crash-child";
      entry.detail = detail;
      audit.append(entry);
    };
    for (int i = 0; i < count; ++i) {
      const std::string key = "r" + run + "-" + std::to_string(i);
      const std::string payload = payload_for(key);
      outbox.enqueue(g_center_payloads.is_null() ? "holding-form" : "portal-linkage", key,
                     std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(payload.data()),
                                              payload.size()),
                     "{\"run\":" + run + "}");
      append_journal(journal, key);  // after enqueue returned: the parent's promise list
      audit_step("outbox.enqueue", key);
      if (i % 3 == 2) {
        const auto report = outbox.deliver_due(oc::system_now(), deliver, 4);
        audit_step("outbox.deliver", std::to_string(report.acknowledged) + " acknowledged");
      }
    }
    for (int round = 0; round < 10'000 && outbox.pending_count() > 0; ++round) {
      const auto report = outbox.deliver_due(oc::system_now(), deliver, 8);
      if (report.handled() == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      } else {
        audit_step("outbox.deliver", std::to_string(report.acknowledged) + " acknowledged");
      }
    }
    ::close(journal);
    if (outbox.pending_count() != 0 || outbox.dead_letter_count() != 0) {
      std::cerr << "not drained: " << outbox.pending_count() << " pending, "
                << outbox.dead_letter_count() << " dead\n";
      return 4;
    }
  } catch (const std::exception& error) {
    std::cerr << "crash child: " << error.what() << "\n";
    return 4;
  }
  return 0;
}
