#include "center/sim/revocation.hpp"

#include <fstream>

#include "center/sim/formats.hpp"
#include "center/sim/simulator_state.hpp"

namespace mk::center::sim {

using base::sqlite::Statement;

namespace {

void publish_crl(SimulatorState& centre, const std::string& ca) {
  if (!std::filesystem::exists(centre.pki.dir() / (ca + ".pem"))) {
    return;  // the test PKI makes its CAs with the first person's card: published then
  }
  std::vector<devices::sim::Revoked> revoked;
  Statement s(centre.db, "SELECT serial, revoked_at FROM revoked_certificates WHERE ca=?");
  s.bind(1, ca);
  while (s.step()) {
    const auto at = parse_rfc3339(s.column_text(1)).value_or(centre.now());
    revoked.push_back({s.column_text(0), Clock::to_time_t(at)});
  }
  const std::string pem =
      devices::sim::make_crl(centre.pki, ca, revoked, Clock::to_time_t(centre.now()));
  // Replaced whole: a reader never sees half a list.
  const auto path = crl_path(centre, ca);
  const auto tmp = std::filesystem::path(path.string() + ".tmp");
  std::ofstream(tmp, std::ios::binary | std::ios::trunc) << pem;
  std::filesystem::rename(tmp, path);
}

}  // namespace

std::filesystem::path crl_path(const SimulatorState& centre, const std::string& ca) {
  return std::filesystem::path(centre.cfg.db.string() + "." + ca + ".crl");
}

std::filesystem::path published_crl(SimulatorState& centre, const std::string& ca) {
  auto path = crl_path(centre, ca);
  if (!std::filesystem::exists(path)) {
    publish_crl(centre, ca);
  }
  return path;
}

void publish_crls(SimulatorState& centre) {
  for (const char* ca : kJpkiCas) {
    publish_crl(centre, ca);
  }
}

void revoke(SimulatorState& centre, const std::string& serial, const std::string& ca) {
  Statement(centre.db,
            "INSERT OR IGNORE INTO revoked_certificates(serial, revoked_at, ca) VALUES(?,?,?)")
      .bind(1, serial)
      .bind(2, rfc3339_jst(centre.now()))
      .bind(3, ca)
      .run();
  publish_crl(centre, ca);
}

void reinstate(SimulatorState& centre, const std::string& serial, const std::string& ca) {
  Statement(centre.db, "DELETE FROM revoked_certificates WHERE serial=? AND ca=?")
      .bind(1, serial)
      .bind(2, ca)
      .run();
  publish_crl(centre, ca);
}

}  // namespace mk::center::sim
