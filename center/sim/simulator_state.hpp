#pragma once

// What the centre simulator's handlers share (internal to center/sim): its configuration and
// keys, the database, the fixture people as holders, the open issuer sessions and challenges,
// and the centre's clock. `mutex` serialises every request that touches the database or the
// sessions.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "base/sqlite/database.hpp"
#include "center/issuer/master_keys.hpp"
#include "center/sim/center_simulator.hpp"
#include "center/sim/issuer_sessions.hpp"
#include "center/sim/test_tls.hpp"
#include "devices/sim/cards.hpp"
#include "devices/sim/fixture.hpp"
#include "devices/sim/pki.hpp"

namespace mk::center::sim {

using Clock = std::chrono::system_clock;

// A fixture person the centre knows by an opaque reference.
struct Holder {
  std::string ref;
  devices::sim::Person person;
  std::string license_number;
};

struct SimulatorState {
  // Opens the database, loads the fixture people, seeds the test kiosk and the appointments.
  explicit SimulatorState(CenterSimulatorConfig c);
  ~SimulatorState();  // wipes the secret
  SimulatorState(const SimulatorState&) = delete;
  SimulatorState& operator=(const SimulatorState&) = delete;

  CenterSimulatorConfig cfg;
  TestTls tls;
  devices::sim::PkiCache pki;
  issuer::MasterKeys master;
  devices::sim::LicenseAuthority authority;
  std::vector<uint8_t> secret;
  base::sqlite::Database db;
  std::mutex mutex;  // one request at a time touches the database and the sessions
  std::map<std::string, Holder> holders;  // by ref
  std::map<std::string, IssuerSessionState> sessions;
  std::map<std::string, Clock::time_point> challenges;  // hex -> expiry; each used once

  Clock::time_point now() const { return cfg.clock ? cfg.clock() : Clock::now(); }
  std::string today() const;              // JST, YYYY-MM-DD
  devices::sim::Date today_date() const;  // the centre's own day (its clock, in Japan)

  std::span<const uint8_t> mac_key() const { return std::span(secret).first(32); }
  std::span<const uint8_t> seal_key() const { return std::span(secret).last(32); }

  // The holder with this reference; fails with holder_not_found (404).
  const Holder& holder(const std::string& ref) const;
  // The reference of a fixture person ("yamada-taro"); throws std::runtime_error.
  std::string ref_of(const std::string& fixture_id) const;
  // The prefecture this centre serves is the person's (R-VIA).
  bool at_home(const devices::sim::Person& p) const;
};

}  // namespace mk::center::sim
