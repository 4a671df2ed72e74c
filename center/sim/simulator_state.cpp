// What the centre simulator's handlers share: set up from the configuration (simulator_state.hpp).
#include "center/sim/simulator_state.hpp"

#include "center/api/wire.hpp"
#include "center/sim/appointments.hpp"
#include "center/sim/formats.hpp"
#include "center/sim/holder_records.hpp"
#include "center/sim/relying_party.hpp"
#include "center/sim/replies.hpp"
#include "center/sim/revocation.hpp"
#include "center/sim/schema.hpp"
#include "center/sim/sealing.hpp"
#include "center/sim/staff.hpp"

namespace mk::center::sim {

namespace {

issuer::MasterKeys load_master(devices::sim::PkiCache& pki) {
  (void)devices::sim::load_or_create_issuer_master_keys(pki);
  return issuer::load_master_keys(pki.dir() / "issuer-master-keys.json");
}

}  // namespace

SimulatorState::SimulatorState(CenterSimulatorConfig c)
    : cfg(std::move(c)),
      tls(ensure_test_tls(cfg.tls_dir)),
      pki(cfg.pki_cache),
      master(load_master(pki)),
      authority(devices::sim::make_license_authority(pki)),
      secret(load_or_create_secret(std::filesystem::path(cfg.db.string() + ".secret"))),
      db(base::sqlite::Database::open(cfg.db)) {
  create_schema(db);
  load_holders(*this);
  base::sqlite::Transaction tx(db);
  base::sqlite::Statement(db, "INSERT OR IGNORE INTO terminals VALUES(?,?)")
      .bind(1, std::string(kTestTerminalId))
      .bind(2, rfc3339_jst(now()))
      .run();
  seed_appointments(*this);
  seed_staff(*this);
  tx.commit();
  publish_crls(*this);
}

SimulatorState::~SimulatorState() {
  base::wipe(secret);
}

std::string SimulatorState::today() const {
  return jst_date(now());
}

devices::sim::Date SimulatorState::today_date() const {
  const auto jst = now() + std::chrono::hours(9);
  const std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(jst)};
  return clamped(d);
}

const Holder& SimulatorState::holder(const std::string& ref) const {
  const auto it = holders.find(ref);
  if (it == holders.end()) {
    fail(404, api::code::kHolderNotFound, "no holder with this reference");
  }
  return it->second;
}

std::string SimulatorState::ref_of(const std::string& fixture_id) const {
  for (const auto& [ref, h] : holders) {
    if (h.person.id == fixture_id) {
      return ref;
    }
  }
  throw std::runtime_error("no fixture person " + fixture_id);
}

bool SimulatorState::at_home(const devices::sim::Person& p) const {
  return cfg.prefecture.empty() || p.prefecture == cfg.prefecture;
}

}  // namespace mk::center::sim
