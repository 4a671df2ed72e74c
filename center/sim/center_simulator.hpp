#pragma once

// The centre simulator (docs/center-sim.md): the centre API of docs/center-api.md over HTTPS
// with mutual TLS (cpp-httplib + OpenSSL), its state in SQLite, the people of devices/sim's
// fixtures, the issuer of center/issuer, relying-party checks on signed documents, and fault
// injection for the kiosk's tests. Loopback only unless told otherwise.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/secret_bytes.hpp"
#include "center/api/staff.hpp"
#include "center/api/submissions.hpp"

namespace mk::center::sim {

// What the simulator does wrong on purpose (docs/center-sim.md, "Fault injection").
struct Fault {
  enum class Mode {
    none,
    down,               // stop listening: connections are refused
    slow,               // wait delay_ms, then answer normally
    http_500,           // 500 with a retryable "internal" envelope
    http_503,           // 503 with a retryable "unavailable" envelope
    garbage,            // 200 with a body that is not JSON
    truncated,          // 200 whose body stops half way (the connection closes)
    drop_after_commit,  // do the work and commit it, then lose the answer (truncated)
    wrong_tls,          // serve the rogue CA's certificate: a kiosk pinning the centre CA refuses
  };
  Mode mode = Mode::none;
  int delay_ms = 0;  // slow
  int count = 0;     // the next `count` API requests, then back to none; 0 = until cleared
};

// "none", "down", ... ; nullopt for an unknown name.
std::optional<Fault::Mode> fault_mode_from_string(const std::string& name);

struct CenterSimulatorConfig {
  std::filesystem::path db;         // the SQLite file (created); its secret key lives beside it
  std::filesystem::path tls_dir;    // the test TLS world (ensure_test_tls)
  std::filesystem::path fixtures;   // devices/sim/fixtures
  std::filesystem::path pki_cache;  // devices/sim PkiCache folder
  // The prefecture this centre serves (a fixture person's `prefecture`, e.g. "Tokyo"); holders of
  // other prefectures are away from home here (R-VIA). Empty: the home centre of everybody.
  std::string prefecture;
  std::string bind = "127.0.0.1";
  int port = 0;                           // 0: any free port (port() tells)
  bool rogue_server_certificate = false;  // serve the rogue CA's certificate ("wrong TLS")
  // "Now" for the centre's rules (same-day rule, validity, appointment day, time stamps);
  // the system clock when empty.
  std::function<std::chrono::system_clock::time_point()> clock;
};

class CenterSimulator {
 public:
  // Opens the database, loads the fixture people, seeds the appointments. Throws
  // std::runtime_error naming the file on a bad fixture, TLS file or database.
  explicit CenterSimulator(CenterSimulatorConfig config);
  ~CenterSimulator();  // stops
  CenterSimulator(const CenterSimulator&) = delete;
  CenterSimulator& operator=(const CenterSimulator&) = delete;

  // Binds and serves on its own thread; throws std::runtime_error when it cannot bind.
  void start();
  void stop();
  int port() const;

  void set_fault(const Fault& fault);
  // The counter finished this fixture person's renewal (適性検査, 講習, fee): the kiosk may now
  // rewrite their card. Throws std::runtime_error outside the renewal period or when suspended.
  void complete_counter_renewal(const std::string& fixture_id);
  // Revokes a JPKI signing certificate by its serial (uppercase hex, as OpenSSL prints it): on
  // the signing CA's CRL from now on (center/sim/revocation.hpp).
  void revoke_certificate(const std::string& serial_hex);
  // Revokes a fixture person's JPKI signing certificate, as the municipality does when they
  // report a change (R-OS-REFLECT). Throws std::out_of_range for an unknown person.
  void revoke_signing_certificate(const std::string& fixture_id);
  // The municipality lifted its hold on that person's signing certificate: it is good again (what
  // makes a submission the centre refused for it worth sending again).
  void reinstate_signing_certificate(const std::string& fixture_id);

  // A portal linkage request as a fixture person's card would make it: the canonical document
  // under a nonce issued to `terminal` now, signed with the person's JPKI signing key — for tests
  // and benchmarks that fill an outbox without a card. Throws std::out_of_range for an unknown
  // person.
  api::SignedSubmission signed_linkage(const std::string& fixture_id, const std::string& terminal);

  // The opaque holder reference of a fixture person ("yamada-taro").
  std::string holder_ref(const std::string& fixture_id) const;
  // The seeded pin_unlock appointment for today and the one for tomorrow.
  static constexpr const char* kTodayAppointment = "20260001";
  static constexpr const char* kTomorrowAppointment = "20260002";
  // Today's of kato-misaki: someone else's, for sato-ichiro's card.
  static constexpr const char* kOtherHolderAppointment = "20260003";
  // The test staff (seed_staff): a staff member (PIN 246810), a supervisor (PIN 135791), and a
  // member for the tests that lock one out (PIN 975310). Their PINs are in the docs, not here: the
  // simulator keeps only their verifiers, as a centre does.
  static constexpr const char* kStaffMember = "100001";
  static constexpr const char* kSupervisor = "100002";
  static constexpr const char* kStaffToLock = "100003";
  // The staff calls raised at a kiosk (its terminal id), oldest first: what the centre's staff
  // board shows.
  std::vector<api::StaffCall> staff_calls(const std::string& terminal);

  // The license PIN last set for a holder, decrypted, for the centre staff's confirmation of a
  // forgotten PIN (R-LIC-PIN-FORGOT) after identity checks; nullopt when none is registered.
  std::optional<base::SecretBytes> registered_license_pin(const std::string& holder_ref);

  // What the centre holds for a holder now: the holding form ("both", "myna_only",
  // "conventional_only") and whether license data is recorded on their card.
  struct HolderStatus {
    std::string holding_form;
    bool license_ap_recorded = false;
  };
  HolderStatus holder_status(const std::string& holder_ref);

  // Rows in one of the simulator's tables, for tests ("consents", "idempotency", ...).
  int64_t count_rows(const std::string& table);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mk::center::sim
