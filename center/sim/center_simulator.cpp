// CenterSimulator: the public face of the centre simulator (center_simulator.hpp) over its state
// (simulator_state.hpp), its server (server.hpp) and the handlers the router calls.
#include "center/sim/center_simulator.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "base/hex.hpp"
#include "center/sim/holder_records.hpp"
#include "center/sim/relying_party.hpp"
#include "center/sim/renewals.hpp"
#include "center/sim/revocation.hpp"
#include "center/sim/sealing.hpp"
#include "center/sim/server.hpp"
#include "center/sim/simulator_state.hpp"
#include "center/sim/staff.hpp"
#include "center/sim/submissions.hpp"
#include "devices/sim/cards.hpp"
#include "devices/sim/pki.hpp"
#include "flows/rules/portal_linkage.hpp"

namespace mk::center::sim {

using base::sqlite::Statement;

struct CenterSimulator::Impl {
  explicit Impl(CenterSimulatorConfig c) : state(std::move(c)), server(state) {}

  SimulatorState state;
  Server server;
};

CenterSimulator::CenterSimulator(CenterSimulatorConfig config)
    : impl_(std::make_unique<Impl>(std::move(config))) {}

CenterSimulator::~CenterSimulator() {
  stop();
}

void CenterSimulator::start() {
  impl_->server.listen();
}

void CenterSimulator::stop() {
  impl_->server.stop();
}

int CenterSimulator::port() const {
  return impl_->server.port();
}

void CenterSimulator::set_fault(const Fault& fault) {
  impl_->server.apply_fault(fault);
}

void CenterSimulator::complete_counter_renewal(const std::string& fixture_id) {
  std::lock_guard lock(impl_->state.mutex);
  sim::complete_counter_renewal(impl_->state, fixture_id);
}

void CenterSimulator::revoke_certificate(const std::string& serial_hex) {
  std::lock_guard lock(impl_->state.mutex);
  revoke(impl_->state, serial_hex, "jpki-sign-ca");
}

void CenterSimulator::revoke_signing_certificate(const std::string& fixture_id) {
  std::lock_guard lock(impl_->state.mutex);
  const Holder& h = impl_->state.holder(impl_->state.ref_of(fixture_id));
  const auto creds = devices::sim::person_jpki(h.person, impl_->state.pki);
  revoke(impl_->state, certificate_serial_hex(creds.sign.der), "jpki-sign-ca");
}

std::vector<api::StaffCall> CenterSimulator::staff_calls(const std::string& terminal) {
  std::lock_guard lock(impl_->state.mutex);
  return sim::staff_calls(impl_->state, terminal);
}

void CenterSimulator::reinstate_signing_certificate(const std::string& fixture_id) {
  std::lock_guard lock(impl_->state.mutex);
  const Holder& h = impl_->state.holder(impl_->state.ref_of(fixture_id));
  const auto creds = devices::sim::person_jpki(h.person, impl_->state.pki);
  reinstate(impl_->state, certificate_serial_hex(creds.sign.der), "jpki-sign-ca");
}

api::SignedSubmission CenterSimulator::signed_linkage(const std::string& fixture_id,
                                                      const std::string& terminal) {
  std::lock_guard lock(impl_->state.mutex);
  const Holder& h = impl_->state.holder(impl_->state.ref_of(fixture_id));
  const api::SigningNonce n = issue_nonce(impl_->state, terminal, "portal_linkage");
  const std::string text = flows::to_canonical_text(
      flows::LinkageDocument{h.ref, terminal, n.issued_at, base::to_hex(n.nonce)});
  const auto creds = devices::sim::person_jpki(h.person, impl_->state.pki);
  const api::Bytes doc(text.begin(), text.end());
  return {h.ref, doc, devices::sim::rsa_sign_sha256(creds.sign.key.get(), doc), creds.sign.der};
}

std::string CenterSimulator::holder_ref(const std::string& fixture_id) const {
  return impl_->state.ref_of(fixture_id);
}

std::optional<base::SecretBytes> CenterSimulator::registered_license_pin(
    const std::string& holder_ref) {
  std::lock_guard lock(impl_->state.mutex);
  Statement s(impl_->state.db, "SELECT sealed FROM license_pins WHERE holder_ref=?");
  s.bind(1, holder_ref);
  if (!s.step()) {
    return std::nullopt;
  }
  return unseal(impl_->state.seal_key(), s.column_blob(0));
}

CenterSimulator::HolderStatus CenterSimulator::holder_status(const std::string& holder_ref) {
  std::lock_guard lock(impl_->state.mutex);
  const auto st = holder_state(impl_->state, holder_ref);
  return {std::string(api::to_string(st.form)), st.recorded};
}

int64_t CenterSimulator::count_rows(const std::string& table) {
  static const char* const kTables[] = {"holders",      "consents",        "linkages",
                                        "appointments", "license_pins",    "holding_form_changes",
                                        "audit_rows",   "audit_restarts",  "audit_rows_superseded",
                                        "idempotency",  "issuer_sessions", "revoked_certificates",
                                        "terminals",    "renewals",        "counter_renewals"};
  if (std::find(std::begin(kTables), std::end(kTables), table) == std::end(kTables)) {
    throw std::invalid_argument("no table " + table);
  }
  std::lock_guard lock(impl_->state.mutex);
  Statement s(impl_->state.db, "SELECT count(*) FROM " + table);
  s.step();
  return s.column_int(0);
}

}  // namespace mk::center::sim
