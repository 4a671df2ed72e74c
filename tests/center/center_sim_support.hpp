#pragma once

// A centre simulator on a free loopback port for one test, and an httplib client with the test
// kiosk's certificate (the kiosk's own curl client is tested elsewhere).
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/sha.h>
#include <unistd.h>

#include "base/hex.hpp"
#include "center/api/wire.hpp"
#include "center/sim/center_simulator.hpp"
#include "center/sim/test_tls.hpp"
#include "devices/sim/cards.hpp"
#include "devices/sim/fixture.hpp"
#include "devices/sim/pki.hpp"

namespace mk::center::sim::testing {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;
using Bytes = api::Bytes;

inline fs::path fixtures_dir() {
  return fs::path(MK_SOURCE_DIR) / "devices/sim/fixtures";
}

// The day the test suite runs on (tests/CMakeLists.txt): the centre's clock starts on it.
inline devices::sim::Date test_today() {
  return devices::sim::parse_date(MK_TEST_TODAY);
}

// Seconds from today in Japan to the suite's day, at this moment's time of day.
inline int64_t pinned_day_offset_s() {
  const auto days = [](const devices::sim::Date& d) {
    return std::chrono::sys_days(
               std::chrono::year_month_day(std::chrono::year(d.year),
                                           std::chrono::month(static_cast<unsigned>(d.month)),
                                           std::chrono::day(static_cast<unsigned>(d.day))))
        .time_since_epoch()
        .count();
  };
  return (days(test_today()) - days(devices::sim::today_in_japan())) * int64_t{86400};
}

// Now, on the suite's day.
inline Clock::time_point pinned_now() {
  return Clock::now() + std::chrono::seconds(pinned_day_offset_s());
}

// `hours:minutes` in Japan on the day the suite runs on (the seeded PIN unlock appointments'
// slot is 18:00-18:30).
inline Clock::time_point japan_time(int hours, int minutes) {
  const auto day = std::chrono::floor<std::chrono::days>(pinned_now() + std::chrono::hours(9));
  return day + std::chrono::hours(hours - 9) + std::chrono::minutes(minutes);
}

inline devices::sim::Person person(const std::string& id) {
  return devices::sim::load_person(fixtures_dir() / (id + ".toml"), test_today());
}

// The JPKI credentials devices/sim gives a fixture person's virtual card.
inline devices::sim::JpkiCredentials jpki(const std::string& id) {
  const devices::sim::Person p = person(id);
  devices::sim::PkiCache cache(devices::sim::PkiCache::default_dir());
  return devices::sim::person_jpki(p, cache);
}

// The identity the kiosk derives from a fixture person's (first) My Number card: SHA-256 of its
// JPKI authentication certificate, in the wire's lowercase hex.
inline std::string card_id(const std::string& id) {
  const auto creds = jpki(id);
  unsigned char md[32];
  SHA256(creds.auth.der.data(), creds.auth.der.size(), md);
  return base::to_lower_hex(std::span<const uint8_t>(md, 32));
}

class CenterWorld {
 public:
  // `prefecture`: the one this centre serves (empty: home to everybody).
  explicit CenterWorld(const std::string& name, bool rogue_server = false,
                       const std::string& prefecture = "") {
    dir_ = fs::path(::testing::TempDir()) / ("center-" + name + "-" + std::to_string(::getpid()) +
                                             "-" + std::to_string(counter()++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    tls_ = ensure_test_tls(fs::path(::testing::TempDir()) /
                           ("center-tls-" + std::to_string(::getpid())));
    CenterSimulatorConfig c;
    c.db = dir_ / "center.db";
    c.tls_dir = tls_.dir;
    c.fixtures = fixtures_dir();
    c.pki_cache = devices::sim::PkiCache::default_dir();
    c.rogue_server_certificate = rogue_server;
    c.prefecture = prefecture;
    c.clock = [this] {
      const int64_t offset = offset_s_.load();
      return Clock::now() + std::chrono::seconds(offset);
    };
    sim_ = std::make_unique<CenterSimulator>(c);
    sim_->start();
  }

  CenterSimulator& sim() { return *sim_; }
  fs::path db_path() const { return dir_ / "center.db"; }
  const TestTls& tls() const { return tls_; }
  int port() const { return sim_->port(); }

  // Moves the centre's clock so that "now" is `t`.
  void set_now(Clock::time_point t) {
    offset_s_ = std::chrono::duration_cast<std::chrono::seconds>(t - Clock::now()).count();
  }

  std::unique_ptr<httplib::SSLClient> client(bool with_cert = true, bool rogue_cert = false) const {
    std::unique_ptr<httplib::SSLClient> c;
    if (!with_cert) {
      c = std::make_unique<httplib::SSLClient>("localhost", port());
    } else if (rogue_cert) {
      c = std::make_unique<httplib::SSLClient>("localhost", port(), tls_.rogue_client_cert.string(),
                                               tls_.rogue_client_key.string());
    } else {
      c = std::make_unique<httplib::SSLClient>("localhost", port(), tls_.client_cert.string(),
                                               tls_.client_key.string());
    }
    c->set_ca_cert_path(tls_.ca_cert.string());
    c->enable_server_certificate_verification(true);
    c->set_read_timeout(10, 0);
    return c;
  }

  httplib::Result post(const std::string& path, const api::Json& body, const std::string& key) {
    httplib::Headers h;
    if (!key.empty()) {
      h.emplace("Idempotency-Key", key);
    }
    return client()->Post(path, h, body.dump(), "application/json");
  }
  httplib::Result get(const std::string& path) { return client()->Get(path); }

  // A fresh idempotency key.
  std::string key() { return "key-" + std::to_string(++keys_); }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  fs::path dir_;
  TestTls tls_;
  std::atomic<int64_t> offset_s_{pinned_day_offset_s()};
  std::unique_ptr<CenterSimulator> sim_;
  int keys_ = 0;
};

// The error code of an envelope body ("" when it is not one).
inline std::string error_code(const httplib::Result& r) {
  if (!r) {
    return "transport:" + httplib::to_string(r.error());
  }
  try {
    return api::parse_error_envelope(r->body).code;
  } catch (const api::WireError&) {
    return "";
  }
}

}  // namespace mk::center::sim::testing
