// The centre simulator's database schema (schema.hpp).
#include "center/sim/schema.hpp"

namespace mk::center::sim {

namespace {

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS staff_calls(
  call_id TEXT PRIMARY KEY, terminal TEXT NOT NULL, screen TEXT NOT NULL, raised_at TEXT NOT NULL,
  answered_at TEXT, staff_id TEXT);
CREATE TABLE IF NOT EXISTS staff(
  staff_id TEXT PRIMARY KEY, role TEXT NOT NULL, verifier TEXT NOT NULL,
  wrong_pins INTEGER NOT NULL DEFAULT 0, locked_at TEXT);
CREATE TABLE IF NOT EXISTS terminals(terminal_id TEXT PRIMARY KEY, registered_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS holders(
  ref TEXT PRIMARY KEY, fixture_id TEXT NOT NULL UNIQUE, license_number TEXT NOT NULL,
  holding_form TEXT NOT NULL, license_ap_recorded INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS holders_by_number ON holders(license_number);
CREATE TABLE IF NOT EXISTS consents(
  id TEXT PRIMARY KEY, holder_ref TEXT NOT NULL UNIQUE, items TEXT NOT NULL,
  valid_from TEXT NOT NULL, valid_until TEXT NOT NULL, status TEXT NOT NULL,
  certificate_serial TEXT NOT NULL, document BLOB NOT NULL, signature BLOB NOT NULL,
  certificate BLOB NOT NULL, terminal TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS linkages(
  id TEXT PRIMARY KEY, holder_ref TEXT NOT NULL, submitted_at TEXT NOT NULL,
  portal_available_from TEXT NOT NULL, certificate_serial TEXT NOT NULL, document BLOB NOT NULL,
  signature BLOB NOT NULL, certificate BLOB NOT NULL, terminal TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS appointments(
  number TEXT PRIMARY KEY, kind TEXT NOT NULL, slot_start TEXT NOT NULL, slot_end TEXT NOT NULL,
  holder_ref TEXT NOT NULL, status TEXT NOT NULL, checked_in_at TEXT, terminal TEXT,
  failed_checks INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS license_pins(
  holder_ref TEXT PRIMARY KEY, sealed BLOB NOT NULL, set_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS record_cards(holder_ref TEXT PRIMARY KEY, card_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counter_renewals(
  holder_ref TEXT PRIMARY KEY, for_expiry TEXT NOT NULL, completed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS renewals(
  holder_ref TEXT PRIMARY KEY, new_expiry TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS holding_form_changes(
  id INTEGER PRIMARY KEY, holder_ref TEXT NOT NULL, action TEXT NOT NULL,
  holding_form TEXT NOT NULL, terminal TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_rows(
  terminal TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, result TEXT NOT NULL, detail TEXT NOT NULL, hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY(terminal, seq));
CREATE TABLE IF NOT EXISTS audit_restarts(
  terminal TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, detail TEXT NOT NULL,
  center_last_seq INTEGER NOT NULL, center_last_hash TEXT NOT NULL, superseded INTEGER NOT NULL,
  received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_rows_superseded(
  terminal TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, result TEXT NOT NULL, detail TEXT NOT NULL, hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL, received_at TEXT NOT NULL, superseded_by_restart_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency(
  terminal TEXT NOT NULL, key TEXT NOT NULL, request_mac TEXT NOT NULL, status INTEGER NOT NULL,
  body TEXT NOT NULL, created_at TEXT NOT NULL, path TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(terminal, key));
CREATE TABLE IF NOT EXISTS issuer_sessions(
  id TEXT PRIMARY KEY, terminal TEXT NOT NULL, holder_ref TEXT NOT NULL, operation TEXT NOT NULL,
  state TEXT NOT NULL, phase TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS signing_nonces(
  nonce TEXT PRIMARY KEY, terminal TEXT NOT NULL, purpose TEXT NOT NULL, issued_at TEXT NOT NULL,
  used_at TEXT);
CREATE TABLE IF NOT EXISTS revoked_certificates(serial TEXT PRIMARY KEY, revoked_at TEXT NOT NULL,
  ca TEXT NOT NULL DEFAULT 'jpki-sign-ca');
)sql";

}  // namespace

void create_schema(base::sqlite::Database& db) {
  sqlite3_busy_timeout(db.handle(), 5000);
  db.exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
  db.exec(kSchema);
  // A database kept from before the CRLs (a demo's simulation folder): each serial's CA, which
  // was always the signing CA then.
  base::sqlite::Statement columns(db,
                                  "SELECT 1 FROM pragma_table_info('revoked_certificates') "
                                  "WHERE name='ca'");
  if (!columns.step()) {
    db.exec(
        "ALTER TABLE revoked_certificates ADD COLUMN ca TEXT NOT NULL DEFAULT "
        "'jpki-sign-ca'");
  }
  // ... and from before the PIN unlock counted failed identity checks.
  base::sqlite::Statement failed(db,
                                 "SELECT 1 FROM pragma_table_info('appointments') "
                                 "WHERE name='failed_checks'");
  if (!failed.step()) {
    db.exec("ALTER TABLE appointments ADD COLUMN failed_checks INTEGER NOT NULL DEFAULT 0");
  }
}

}  // namespace mk::center::sim
