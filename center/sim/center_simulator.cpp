#include "center/sim/center_simulator.hpp"

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include "base/hex.hpp"
#include "base/sqlite/database.hpp"
#include "center/api/tls_policy.hpp"
#include "center/api/wire.hpp"
#include "center/issuer/license_write_plan.hpp"
#include "center/issuer/master_keys.hpp"
#include "center/sim/license_validity.hpp"
#include "center/sim/relying_party.hpp"
#include "center/sim/test_tls.hpp"
#include "devices/profile/card_profile.hpp"
#include "devices/sim/cards.hpp"
#include "devices/sim/fixture.hpp"
#include "devices/sim/pki.hpp"

namespace mk::center::sim {

namespace {

namespace fs = std::filesystem;
namespace dsim = devices::sim;
using api::Bytes;
using api::Json;
using Clock = std::chrono::system_clock;
using base::sqlite::Database;
using base::sqlite::Statement;
using base::sqlite::Transaction;

// An API error answer: thrown by handlers, turned into the envelope by the dispatcher.
struct ApiFailure {
  int http = 400;
  std::string code;
  std::string message;
  bool retryable = false;
};

[[noreturn]] void fail(int http, const char* code, const std::string& message,
                       bool retryable = false) {
  throw ApiFailure{http, code, message, retryable};
}

struct Reply {
  int status = 200;
  std::string body;
  std::map<std::string, std::string> headers;
};

Reply json_reply(const Json& j, int status = 200) {
  return {status, j.dump(), {}};
}

// A write's 2xx answer names the request's Idempotency-Key (docs/center-api.md, "Whose answer is
// it"), so the kiosk can tell it from a proxy's or a captive portal's 200.
Reply with_echoed_key(Reply reply, const std::string& key) {
  if (reply.status < 200 || reply.status >= 300) {
    return reply;
  }
  Json body = Json::parse(reply.body, nullptr, false);
  if (body.is_object()) {
    body[api::kEchoedKeyField] = key;
    reply.body = body.dump();
  }
  return reply;
}

Reply error_reply(const ApiFailure& f) {
  return {f.http, api::error_envelope({f.code, f.message, f.retryable}).dump(), {}};
}

std::string rfc3339_jst(Clock::time_point t) {
  using namespace std::chrono;
  const auto local = floor<seconds>(t + hours(9));
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  char buf[40];
  (void)std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+09:00",
                      static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                      static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                      static_cast<int>(hms.minutes().count()),
                      static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string iso(const dsim::Date& d) {
  char buf[16];
  (void)std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string random_hex(size_t bytes) {
  Bytes b(bytes);
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return base::to_hex(b);
}

std::vector<uint8_t> sha256(std::span<const uint8_t> data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return {md, md + n};
}

std::string sha256_hex(std::string_view text) {
  return base::to_hex(
      sha256(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
}

// A card's identity as the kiosk derives it (SHA-256 of its JPKI authentication certificate,
// devices/cards/my_number_card.cpp), in the wire's lowercase spelling.
std::string card_id_of_certificate(std::span<const uint8_t> der) {
  return base::to_lower_hex(sha256(der));
}

std::string class_name(uint8_t tag) {
  for (const auto& c : devices::profile::kLicenseClasses) {
    if (c.tag == tag) {
      return c.id;
    }
  }
  return "other";
}

// The simulator's own secret (64 random bytes beside the database, mode 0600): the first half
// keys the HMAC of idempotent requests (a plain hash of a body holding a 4-digit PIN could be
// reversed), the second half seals registered license PINs (AES-256-GCM). A real centre keeps
// this in an HSM.
Bytes load_or_create_secret(const fs::path& file) {
  Bytes key(64);
  if (std::ifstream in(file, std::ios::binary); in) {
    in.read(reinterpret_cast<char*>(key.data()), static_cast<std::streamsize>(key.size()));
    if (in.gcount() == static_cast<std::streamsize>(key.size())) {
      return key;
    }
    throw std::runtime_error("centre secret " + file.string() + " is not 64 bytes");
  }
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  const mode_t old = ::umask(077);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(key.data()), static_cast<std::streamsize>(key.size()));
  ::umask(old);
  if (!out) {
    throw std::runtime_error("cannot write the centre secret " + file.string());
  }
  return key;
}

// AES-256-GCM: nonce 12 || ciphertext || tag 16.
Bytes seal(std::span<const uint8_t> key, std::span<const uint8_t> plaintext) {
  Bytes out(12 + plaintext.size() + 16);
  RAND_bytes(out.data(), 12);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int n = 0;
  const bool ok =
      ctx != nullptr &&
      EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), out.data()) == 1 &&
      EVP_EncryptUpdate(ctx, out.data() + 12, &n, plaintext.data(),
                        static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx, out.data() + 12 + n, &n) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + 12 + plaintext.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) {
    throw std::runtime_error("AES-GCM sealing failed");
  }
  return out;
}

issuer::SecretBytes unseal(std::span<const uint8_t> key, std::span<const uint8_t> sealed) {
  if (sealed.size() < 28) {
    throw std::runtime_error("sealed PIN too short");
  }
  const size_t len = sealed.size() - 28;
  Bytes plain(len + 16);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int n = 0;
  Bytes tag(sealed.end() - 16, sealed.end());
  const bool ok =
      ctx != nullptr &&
      EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), sealed.data()) == 1 &&
      EVP_DecryptUpdate(ctx, plain.data(), &n, sealed.data() + 12, static_cast<int>(len)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx, plain.data() + n, &n) == 1;
  EVP_CIPHER_CTX_free(ctx);
  issuer::SecretBytes out(std::span<const uint8_t>(plain.data(), ok ? len : 0));
  issuer::wipe(plain);
  if (!ok) {
    throw std::runtime_error("sealed PIN does not authenticate");
  }
  return out;
}

const char* const kSchema = R"sql(
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
  holder_ref TEXT NOT NULL, status TEXT NOT NULL, checked_in_at TEXT, terminal TEXT);
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
CREATE TABLE IF NOT EXISTS revoked_certificates(serial TEXT PRIMARY KEY, revoked_at TEXT NOT NULL);
)sql";

// One issuer session in memory: the SCP03 host holds session keys and cannot be stored.
struct IssuerSessionState {
  std::string id, terminal, holder_ref;
  api::IssuerOperation operation = api::IssuerOperation::record;
  std::vector<api::PhaseName> phases;
  size_t current = 0;
  Bytes host_challenge;
  enum class State { awaiting_open, awaiting_answers, done, failed } state = State::awaiting_open;
  std::unique_ptr<issuer::Scp03Host> host;
  size_t command_count = 0;
  Bytes sealed_pin;  // the new PIN, AES-GCM sealed; empty for delete
  std::optional<issuer::LicenseImage> image;
  std::optional<api::HoldingForm> holding_form;  // record: the form once it is complete
  std::string new_expiry;                        // rewrite: the renewed record's expiry
  std::string card_id;                           // the card written (lowercase hex)
};

const char* state_name(IssuerSessionState::State s) {
  switch (s) {
    case IssuerSessionState::State::awaiting_open:
      return "awaiting_open";
    case IssuerSessionState::State::awaiting_answers:
      return "awaiting_answers";
    case IssuerSessionState::State::done:
      return "done";
    case IssuerSessionState::State::failed:
      return "failed";
  }
  return "?";
}

struct Holder {
  std::string ref;
  dsim::Person person;
  std::string license_number;
};

}  // namespace

std::optional<Fault::Mode> fault_mode_from_string(const std::string& name) {
  static const std::pair<const char*, Fault::Mode> kModes[] = {
      {"none", Fault::Mode::none},           {"down", Fault::Mode::down},
      {"slow", Fault::Mode::slow},           {"http_500", Fault::Mode::http_500},
      {"http_503", Fault::Mode::http_503},   {"garbage", Fault::Mode::garbage},
      {"truncated", Fault::Mode::truncated}, {"drop_after_commit", Fault::Mode::drop_after_commit},
      {"wrong_tls", Fault::Mode::wrong_tls}};
  for (const auto& [n, m] : kModes) {
    if (name == n) {
      return m;
    }
  }
  return std::nullopt;
}

struct CenterSimulator::Impl {
  CenterSimulatorConfig cfg;
  TestTls tls;
  dsim::PkiCache pki;
  issuer::MasterKeys master;
  dsim::LicenseAuthority authority;
  Bytes secret;
  Database db;
  std::mutex mutex;  // one request at a time touches the database and the sessions
  std::map<std::string, Holder> holders;  // by ref
  std::map<std::string, IssuerSessionState> sessions;
  std::map<std::string, Clock::time_point> challenges;  // hex -> expiry; each used once

  std::mutex server_mutex;
  std::unique_ptr<httplib::SSLServer> server;
  std::thread thread;
  int bound_port = 0;
  bool listening = false;

  std::mutex fault_mutex;
  Fault fault;
  std::thread restarter;        // brings the server back after an admin outage with for_ms
  bool outage_running = false;  // (fault_mutex) the restarter has not finished yet
  std::condition_variable restart_cv;
  bool stopping = false;
  std::atomic<bool> serving_rogue{false};  // the rogue CA's certificate is served

  explicit Impl(CenterSimulatorConfig c)
      : cfg(std::move(c)),
        tls(ensure_test_tls(cfg.tls_dir)),
        pki(cfg.pki_cache),
        master(load_master(pki)),
        authority(dsim::make_license_authority(pki)),
        secret(load_or_create_secret(fs::path(cfg.db.string() + ".secret"))),
        db(Database::open(cfg.db)) {
    sqlite3_busy_timeout(db.handle(), 5000);
    db.exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
    db.exec(kSchema);
    load_holders();
    seed();
  }

  ~Impl() { issuer::wipe(secret); }

  static issuer::MasterKeys load_master(dsim::PkiCache& pki) {
    (void)dsim::load_or_create_issuer_master_keys(pki);
    return issuer::load_master_keys(pki.dir() / "issuer-master-keys.json");
  }

  Clock::time_point now() const { return cfg.clock ? cfg.clock() : Clock::now(); }
  std::string today() const { return jst_date(now()); }

  std::span<const uint8_t> mac_key() const { return std::span(secret).first(32); }
  std::span<const uint8_t> seal_key() const { return std::span(secret).last(32); }

  // ---- fixtures and seed ------------------------------------------------------------------

  void load_holders() {
    // The fixtures' "today" dates are the centre's own day (its clock, in Japan).
    const dsim::Date today = today_date();
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(cfg.fixtures)) {
      if (e.path().extension() == ".toml") {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      throw std::runtime_error("no fixture people in " + cfg.fixtures.string());
    }
    Transaction tx(db);
    for (const auto& f : files) {
      Holder h;
      h.person = dsim::load_person(f, today);
      h.ref = "H" + sha256_hex("holder:" + h.person.id).substr(0, 15);
      h.license_number = h.person.license           ? h.person.license->number
                         : h.person.license_ap      ? h.person.license_ap->number
                         : h.person.driving_history ? h.person.driving_history->number
                                                    : std::string();
      if (h.license_number.empty()) {
        continue;  // nobody to look up
      }
      const bool has_dl = h.person.license.has_value();
      const bool recorded = h.person.license_ap && h.person.license_ap->record_state == 2;
      const char* form = has_dl && recorded ? "both" : recorded ? "myna_only" : "conventional_only";
      Statement(db,
                "INSERT OR IGNORE INTO holders(ref, fixture_id, license_number, holding_form, "
                "license_ap_recorded) VALUES(?,?,?,?,?)")
          .bind(1, h.ref)
          .bind(2, h.person.id)
          .bind(3, h.license_number)
          .bind(4, std::string(form))
          .bind(5, int64_t{recorded ? 1 : 0})
          .run();
      if (recorded) {
        // The card the fixture's record is on: its first card (R-LOST: a replacement is another).
        Statement(db, "INSERT OR IGNORE INTO record_cards(holder_ref, card_id) VALUES(?,?)")
            .bind(1, h.ref)
            .bind(2, card_id_of(h.person))
            .run();
      }
      holders.emplace(h.ref, std::move(h));
    }
    tx.commit();
  }

  // The identity the kiosk derives from a virtual card (SHA-256 of its JPKI authentication
  // certificate, devices/cards/my_number_card.cpp), lowercase hex.
  std::string card_id_of(const dsim::Person& p) {
    const auto creds = dsim::person_jpki(p, pki);
    return card_id_of_certificate(creds.auth.der);
  }

  std::optional<std::string> record_card_of(const std::string& ref) {
    Statement s(db, "SELECT card_id FROM record_cards WHERE holder_ref=?");
    s.bind(1, ref);
    return s.step() ? std::optional(s.column_text(0)) : std::nullopt;
  }

  // LicenseRecordView::record_card for the card `card_id` names.
  std::string record_card(const std::string& ref, const std::string& card_id) {
    if (!holder_state(ref).recorded) {
      return "none";
    }
    const auto on = record_card_of(ref);
    if (card_id.empty() || !on) {
      return "unknown";
    }
    return *on == card_id ? "this" : "another";
  }

  // R-LOST: an operation on a recorded holder's card goes only to the card holding the record.
  void require_record_card(const std::string& ref, const std::string& card_id) {
    const auto on = record_card_of(ref);
    if (on && *on != card_id) {
      fail(422, api::code::kCardReplaced,
           card_id.empty() ? "the card was not named" : "the record is on another card");
    }
  }

  std::string ref_of(const std::string& fixture_id) const {
    for (const auto& [ref, h] : holders) {
      if (h.person.id == fixture_id) {
        return ref;
      }
    }
    throw std::runtime_error("no fixture person " + fixture_id);
  }

  void seed() {
    Transaction tx(db);
    Statement(db, "INSERT OR IGNORE INTO terminals VALUES(?,?)")
        .bind(1, std::string(kTestTerminalId))
        .bind(2, rfc3339_jst(now()))
        .run();
    // The after-hours PIN unlock appointments move with the calendar: today and tomorrow
    // (JST), 18:00-18:30, for sato-ichiro (his license PIN is blocked).
    const std::string holder = ref_of("sato-ichiro");
    const auto put = [&](const char* number, Clock::time_point day) {
      const std::string d = jst_date(day);
      Statement(db,
                "INSERT INTO appointments(number, kind, slot_start, slot_end, holder_ref, status) "
                "VALUES(?,?,?,?,?,'booked') ON CONFLICT(number) DO UPDATE SET "
                "slot_start=excluded.slot_start, slot_end=excluded.slot_end, status='booked', "
                "checked_in_at=NULL, terminal=NULL")
          .bind(1, std::string(number))
          .bind(2, std::string("pin_unlock"))
          .bind(3, d + "T18:00:00+09:00")
          .bind(4, d + "T18:30:00+09:00")
          .bind(5, holder)
          .run();
    };
    put(kTodayAppointment, now());
    put(kTomorrowAppointment, now() + std::chrono::hours(24));
    tx.commit();
  }

  // ---- holders ------------------------------------------------------------------------------

  struct HolderState {
    api::HoldingForm form = api::HoldingForm::conventional_only;
    bool recorded = false;
  };

  HolderState holder_state(const std::string& ref) {
    Statement s(db, "SELECT holding_form, license_ap_recorded FROM holders WHERE ref=?");
    s.bind(1, ref);
    if (!s.step()) {
      fail(404, api::code::kHolderNotFound, "no holder with this reference");
    }
    const std::string form = s.column_text(0);
    HolderState st;
    st.form = form == "both"        ? api::HoldingForm::both
              : form == "myna_only" ? api::HoldingForm::myna_only
                                    : api::HoldingForm::conventional_only;
    st.recorded = s.column_int(1) != 0;
    return st;
  }

  void set_holder_state(const std::string& ref, const HolderState& st) {
    Statement(db, "UPDATE holders SET holding_form=?, license_ap_recorded=? WHERE ref=?")
        .bind(1, std::string(api::to_string(st.form)))
        .bind(2, int64_t{st.recorded ? 1 : 0})
        .bind(3, ref)
        .run();
  }

  const Holder& holder(const std::string& ref) {
    const auto it = holders.find(ref);
    if (it == holders.end()) {
      fail(404, api::code::kHolderNotFound, "no holder with this reference");
    }
    return it->second;
  }

  // The license data the centre holds: the 免許AP record when the fixture has one, else the
  // conventional license's.
  static dsim::LicenseApRecord record_of(const dsim::Person& p, const dsim::Date& today) {
    if (p.license_ap) {
      dsim::LicenseApRecord r = *p.license_ap;
      r.record_state = 2;
      return r;
    }
    if (p.driving_history) {  // R-HISTORY: the driving history, recorded as kind "2"
      dsim::LicenseApRecord r = *p.driving_history;
      r.record_state = 2;
      return r;
    }
    const auto& l = *p.license;
    dsim::LicenseApRecord r;
    r.number = l.number;
    r.recording_date = today;
    r.expiry = l.expiry;
    r.color = l.color;
    r.commission = l.commission;
    r.conditions = l.conditions;
    r.classes = l.classes;
    return r;
  }

  // ---- renewal ------------------------------------------------------------------------------

  static std::chrono::year_month_day ymd_of(const dsim::Date& d) {
    return {std::chrono::year(d.year), std::chrono::month(static_cast<unsigned>(d.month)),
            std::chrono::day(static_cast<unsigned>(d.day))};
  }
  // A day of a month that may not have it (29 February): the month's last day.
  static dsim::Date clamped(std::chrono::year_month_day d) {
    if (!d.ok()) {
      d = std::chrono::year_month_day_last(d.year(), std::chrono::month_day_last(d.month()));
    }
    return {static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
            static_cast<int>(static_cast<unsigned>(d.day()))};
  }
  dsim::Date today_date() const {
    const auto jst = now() + std::chrono::hours(9);
    const std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(jst)};
    return clamped(d);
  }

  std::optional<std::string> renewed_expiry(const std::string& ref) {
    Statement s(db, "SELECT new_expiry FROM renewals WHERE holder_ref=?");
    s.bind(1, ref);
    return s.step() ? std::optional(s.column_text(0)) : std::nullopt;
  }

  // The record the centre holds for a holder now: the fixture's, with a completed renewal's
  // new expiry.
  dsim::LicenseApRecord current_record(const Holder& h) {
    dsim::LicenseApRecord r = record_of(h.person, today_date());
    if (const auto e = renewed_expiry(h.ref)) {
      r.expiry = {std::stoi(e->substr(0, 4)), std::stoi(e->substr(5, 2)),
                  std::stoi(e->substr(8, 2))};
    }
    return r;
  }

  // R-VIA lets through glasses, hearing aids and the conditions that are not about the body; the
  // same table as the kiosk's (flows/rules/via.cpp, which this layer may not include): anything
  // else, or unknown, is for the home centre.
  static bool via_allows_condition(const std::string& c) {
    static const char* const kAllowed[] = {
        "眼鏡等",
        "眼鏡",
        "補聴器",
        "AT車に限る",
        "準中型車は準中型車（5t）に限る",
        "中型車は中型車（8t）に限る",
        "中型車は自動車（5t）に限る",
        "大型二輪車はAT車に限る",
        "普通二輪車は小型二輪車に限る",
    };
    return std::find(std::begin(kAllowed), std::end(kAllowed), c) != std::end(kAllowed);
  }

  struct RenewalFacts {
    dsim::Date expiry, new_expiry, period_start;
    DriverCategory category = DriverCategory::violator;
    bool in_period = false;
    bool via = false;
    bool via_eligible = false;
  };

  static DriverCategory category_of(const dsim::Person& p) {
    // An unknown category is treated as the strictest (3 years, no 経由申請).
    return driver_category(p.driver_category).value_or(DriverCategory::violator);
  }

  // The renewal as the Road Traffic Act counts it (center/sim/license_validity.hpp).
  RenewalFacts renewal_facts(const Holder& h) {
    RenewalFacts f;
    // Counted from the record before this renewal, so that a rewrite whose answer was lost can
    // be done again (the same new expiry) once the renewal is complete.
    const dsim::LicenseApRecord r = record_of(h.person, today_date());
    const RenewalPeriod period = renewal_period(h.person.birth_date, r.expiry);
    f.expiry = r.expiry;
    f.period_start = period.first;
    const auto day = [](const dsim::Date& d) { return std::chrono::sys_days(ymd_of(d)); };
    f.in_period = day(period.first) <= day(today_date()) && day(today_date()) <= day(period.last);
    f.category = category_of(h.person);
    // 更新日等: the day the counter renewed it (until then, today: the offer's estimate).
    f.new_expiry =
        renewed_last_day(h.person.birth_date, r.expiry, f.category, counter_renewal_day(h, r));
    f.via = !at_home(h.person);
    const bool five =
        f.category == DriverCategory::excellent || f.category == DriverCategory::general;
    f.via_eligible =
        five && std::all_of(r.conditions.begin(), r.conditions.end(), via_allows_condition);
    return f;
  }

  // The counter's part of this renewal (適性検査, 講習, fee) is done: the admin step staff (and the
  // scenarios) take. Only then does the kiosk rewrite the card.
  void complete_counter_renewal(const std::string& fixture_id) {
    const Holder& h = holder(ref_of(fixture_id));
    if (h.person.suspended) {
      throw std::runtime_error(fixture_id + "'s licence is suspended: no renewal");
    }
    const RenewalFacts f = renewal_facts(h);
    if (!f.in_period) {
      throw std::runtime_error(fixture_id + " is not in the renewal period");
    }
    Statement(db,
              "INSERT INTO counter_renewals(holder_ref, for_expiry, completed_at) VALUES(?,?,?) "
              "ON CONFLICT(holder_ref) DO UPDATE SET for_expiry=excluded.for_expiry, "
              "completed_at=excluded.completed_at")
        .bind(1, h.ref)
        .bind(2, iso(f.expiry))
        .bind(3, rfc3339_jst(now()))
        .run();
  }

  dsim::Date counter_renewal_day(const Holder& h, const dsim::LicenseApRecord& r) {
    Statement s(db,
                "SELECT completed_at FROM counter_renewals WHERE holder_ref=? AND for_expiry=?");
    s.bind(1, h.ref);
    s.bind(2, iso(r.expiry));
    if (s.step()) {
      const std::string at = s.column_text(0);
      return {std::stoi(at.substr(0, 4)), std::stoi(at.substr(5, 2)), std::stoi(at.substr(8, 2))};
    }
    return today_date();
  }

  bool counter_renewal_done(const Holder& h, const RenewalFacts& f) {
    Statement s(db, "SELECT 1 FROM counter_renewals WHERE holder_ref=? AND for_expiry=?");
    s.bind(1, h.ref);
    s.bind(2, iso(f.expiry));
    return s.step();
  }

  // Why a recorded holder's card may not be rewritten with a renewal now; empty when it may.
  std::string rewrite_refusal(const Holder& h, const HolderState& st, const RenewalFacts& f) {
    if (!st.recorded || h.person.driving_history) {
      return "no license data is recorded on a card";
    }
    if (h.person.suspended) {
      return "the licence is suspended";
    }
    if (!f.in_period) {
      return "not in the renewal period";
    }
    if (f.via && !f.via_eligible) {
      return "not eligible for a renewal away from home";
    }
    if (!counter_renewal_done(h, f)) {
      return "no renewal was completed at the counter";
    }
    return {};
  }

  Reply renewal(const httplib::Request& req) {
    const std::string ref = req.matches[1];
    const Holder& h = holder(ref);
    const HolderState st = holder_state(ref);
    const RenewalFacts f = renewal_facts(h);
    // The kiosk shows a person outside the period (or away from home and not eligible) every
    // reason itself (R-VIA); what it cannot know — the counter's part, a suspension — is refused.
    if (!st.recorded || h.person.driving_history) {
      fail(422, api::code::kNotEligible, "no license data is recorded on a card");
    }
    if (h.person.suspended) {
      fail(422, api::code::kNotEligible, "the licence is suspended");
    }
    if (f.in_period && !(f.via && !f.via_eligible) && !counter_renewal_done(h, f)) {
      fail(422, api::code::kNotEligible, "no renewal was completed at the counter");
    }
    const dsim::LicenseApRecord r = current_record(h);
    api::RenewalOffer o;
    o.holder_ref = ref;
    o.current_expiry = iso(f.expiry);
    o.new_expiry = iso(f.new_expiry);
    o.color = band_after_renewal(f.category);
    o.category = h.person.driver_category;
    o.conditions = r.conditions;
    o.birth_date = iso(h.person.birth_date);
    o.via = f.via;
    o.holding_form = st.form;
    return json_reply(o);
  }

  // The holder whose licence (or history) has this number; holder_not_found otherwise.
  std::string ref_by_number(const std::string& license_number) {
    Statement s(db, "SELECT ref FROM holders WHERE license_number=?");
    s.bind(1, license_number);
    if (!s.step()) {
      fail(404, api::code::kHolderNotFound, "no license with this number");
    }
    return s.column_text(0);
  }

  Reply lookup(const httplib::Request& req) {
    const auto q = api::parse_body<api::HolderLookupRequest>(req.body);
    const Holder& h = holder(ref_by_number(q.license_number));
    const dsim::Person& p = h.person;
    if (without_spaces(q.name) != without_spaces(p.family_name + p.given_name) ||
        q.birth_date != iso(p.birth_date)) {
      fail(422, api::code::kHolderMismatch, "the card holder does not match the license");
    }
    return record_view(h, q.address, q.card_id);
  }

  // A Myna-only holder named by the My Number card (FAQ 3, 11): a fresh challenge first.
  Reply auth_challenge() {
    std::erase_if(challenges, [this](const auto& c) { return c.second < now(); });
    if (challenges.size() > 10000) {
      fail(503, api::code::kUnavailable, "too many open challenges");
    }
    api::AuthChallenge c;
    c.challenge.resize(32);
    if (RAND_bytes(c.challenge.data(), static_cast<int>(c.challenge.size())) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    const auto expires = now() + std::chrono::minutes(5);
    c.expires_at = rfc3339_jst(expires);
    challenges[base::to_hex(c.challenge)] = expires;
    return json_reply(c);
  }

  // The card signed the challenge with its JPKI authentication key: it is a genuine card, and
  // the basic 4 info read from it (with its PIN) names a licence holder without a plastic
  // licence to name them.
  Reply lookup_by_card(const httplib::Request& req) {
    const auto q = api::parse_body<api::CardLookupRequest>(req.body);
    const auto it = challenges.find(base::to_hex(q.challenge));
    if (it == challenges.end() || it->second < now()) {
      fail(422, api::code::kSignatureInvalid, "the challenge is unknown, used or expired");
    }
    challenges.erase(it);
    const RelyingPartyOptions o = relying_party_options("jpki-auth-ca.pem");
    try {
      check_authentication(q.challenge, q.signature, q.certificate, o);
    } catch (const RelyingPartyError& e) {
      fail(422, e.code().c_str(), e.what());
    }
    if (card_id_of_certificate(q.certificate) != q.card_id) {
      fail(422, api::code::kCertificateHolderMismatch, "the certificate is not the named card's");
    }
    // The certificate proves the card, not the person: the basic 4 info must name exactly one
    // licence holder (two people of the same name and birthday go to the counter).
    const Holder* found = nullptr;
    for (const auto& [ref, h] : holders) {
      const dsim::Person& p = h.person;
      if (p.driving_history || !(p.license || p.license_ap) ||
          without_spaces(q.name) != without_spaces(p.family_name + p.given_name) ||
          q.birth_date != iso(p.birth_date)) {
        continue;
      }
      if (found != nullptr) {
        fail(422, api::code::kHolderMismatch, "more than one holder: staff must identify");
      }
      found = &h;
    }
    if (found == nullptr) {
      fail(404, api::code::kHolderNotFound, "no licence holder for this person");
    }
    if (holder_state(found->ref).form != api::HoldingForm::myna_only) {
      fail(422, api::code::kNotEligible, "the holder has a plastic licence: it names them");
    }
    return record_view(*found, q.address, q.card_id);
  }

  // R-LOST: which card holds the record of a licence (the read-back asks of the card in hand).
  Reply card_status(const httplib::Request& req) {
    const auto q = api::parse_body<api::CardStatusRequest>(req.body);
    return json_reply(api::CardStatus{record_card(ref_by_number(q.license_number), q.card_id)});
  }

  // R-HISTORY: someone who returned the licence, named by the basic 4 info alone.
  Reply history_lookup(const httplib::Request& req) {
    const auto q = api::parse_body<api::HistoryLookupRequest>(req.body);
    for (const auto& [ref, h] : holders) {
      const dsim::Person& p = h.person;
      if (p.driving_history && !p.license && !p.license_ap &&
          without_spaces(q.name) == without_spaces(p.family_name + p.given_name) &&
          q.birth_date == iso(p.birth_date)) {
        return record_view(h, q.address, q.card_id);
      }
    }
    fail(404, api::code::kHolderNotFound, "no driving history for this person");
  }

  Reply record_view(const Holder& h, const std::string& address, const std::string& card_id) {
    const dsim::Person& p = h.person;
    const HolderState st = holder_state(h.ref);
    const auto r = current_record(h);
    api::LicenseRecordView v;
    v.holder_ref = h.ref;
    v.kind = h.person.driving_history ? "history" : "license";
    v.license_number = r.number;
    v.expiry = iso(r.expiry);
    v.color = r.color;
    for (const auto& c : r.classes) {
      v.classes.push_back({class_name(c.tag), iso(c.date)});
    }
    v.conditions = r.conditions;
    v.commission = r.commission;
    v.holding_form = st.form;
    v.license_ap_recorded = st.recorded;
    v.address_changed = without_spaces(address) != without_spaces(p.centre_address);
    v.at_home_centre = at_home(p);
    v.card_expiry = iso(p.card_expiry);
    v.record_card = record_card(h.ref, card_id);
    v.photo_j2k = dsim::portrait_j2k(p.photo_seed);
    return json_reply(v);
  }

  bool at_home(const dsim::Person& p) const {
    return cfg.prefecture.empty() || p.prefecture == cfg.prefecture;
  }

  Reply holding_form(const httplib::Request& req, const std::string& terminal) {
    const std::string ref = req.matches[1];
    const auto q = api::parse_body<api::HoldingFormRequest>(req.body);
    const Holder& h = holder(ref);
    HolderState st = holder_state(ref);
    // FAQ 1, 7 (R-VIA): the holding form is changed at home; away from home the conventional
    // licence is returned only together with a 経由申請 renewal (its rewrite done).
    if (!at_home(h.person)) {
      if (q.action != api::HoldingFormAction::return_conventional) {
        fail(422, api::code::kNotEligible, "only the return is possible away from home");
      }
      if (!renewed_expiry(ref)) {
        fail(422, api::code::kNotEligible,
             "away from home the return goes only with a 経由申請 renewal");
      }
    }
    if (q.action == api::HoldingFormAction::return_conventional) {
      if (st.form != api::HoldingForm::both) {
        fail(422, api::code::kNotEligible, "only a holder of both forms can return the card");
      }
      st.form = api::HoldingForm::myna_only;
    } else if (q.action == api::HoldingFormAction::add_conventional) {
      if (st.form != api::HoldingForm::myna_only) {
        fail(422, api::code::kNotEligible, "only a Myna-only holder can ask for the card again");
      }
      st.form = api::HoldingForm::both;
    } else {
      // The kiosk reports a card whose 免許AP is gone (a delete session whose last answer never
      // reached the centre): the record and its PIN go, as when the session finishes.
      if (!st.recorded) {
        fail(422, api::code::kNotEligible, "no license data is recorded on the card");
      }
      st.form = api::HoldingForm::conventional_only;
      st.recorded = false;
      Statement(db, "DELETE FROM license_pins WHERE holder_ref=?").bind(1, ref).run();
      Statement(db, "DELETE FROM record_cards WHERE holder_ref=?").bind(1, ref).run();
    }
    set_holder_state(ref, st);
    const std::string at = rfc3339_jst(now());
    log_form_change(ref, api::to_string(q.action), st.form, terminal, at);
    return json_reply(api::HoldingFormChange{ref, st.form, at});
  }

  void log_form_change(const std::string& ref, std::string_view action, api::HoldingForm form,
                       const std::string& terminal, const std::string& at) {
    Statement(db,
              "INSERT INTO holding_form_changes(holder_ref, action, holding_form, terminal, at) "
              "VALUES(?,?,?,?,?)")
        .bind(1, ref)
        .bind(2, std::string(action))
        .bind(3, std::string(api::to_string(form)))
        .bind(4, terminal)
        .bind(5, at)
        .run();
  }

  // ---- issuer sessions ----------------------------------------------------------------------

  api::PhaseStart phase_start(IssuerSessionState& s) {
    api::PhaseStart p;
    p.phase = s.phases[s.current];
    p.aid = p.phase == api::PhaseName::isd
                ? Bytes(issuer::card::kIsdAid.begin(), issuer::card::kIsdAid.end())
                : Bytes(issuer::card::kLicenseApAid.begin(), issuer::card::kLicenseApAid.end());
    s.host_challenge = issuer::Scp03Host::random_host_challenge();
    p.host_challenge = s.host_challenge;
    p.select = issuer::select_command(p.aid);
    p.initialize_update = issuer::Scp03Host::initialize_update_command(s.host_challenge);
    s.state = IssuerSessionState::State::awaiting_open;
    return p;
  }

  void save_session(const IssuerSessionState& s) {
    Statement(db,
              "INSERT INTO issuer_sessions(id, terminal, holder_ref, operation, state, phase, "
              "created_at, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?7) ON CONFLICT(id) DO UPDATE "
              "SET state=?5, phase=?6, updated_at=?7")
        .bind(1, s.id)
        .bind(2, s.terminal)
        .bind(3, s.holder_ref)
        .bind(4, std::string(api::to_string(s.operation)))
        .bind(5, std::string(state_name(s.state)))
        .bind(6, std::string(api::to_string(s.phases[std::min(s.current, s.phases.size() - 1)])))
        .bind(7, rfc3339_jst(now()))
        .run();
  }

  Reply create_session(const httplib::Request& req, const std::string& terminal) {
    // The body carries the new PIN: parse it, then wipe the parsed copy and the raw body (httplib
    // owns a non-const Request and hands it out as const) before anything else happens.
    Json j = api::parse_json(req.body);
    issuer::wipe(std::span(reinterpret_cast<uint8_t*>(const_cast<std::string&>(req.body).data()),
                           req.body.size()));
    const auto wipe_json = [&j] {
      if (j.is_object() && j.contains("new_pin") && j["new_pin"].is_string()) {
        auto& pin = j["new_pin"].get_ref<std::string&>();
        issuer::wipe(std::span(reinterpret_cast<uint8_t*>(pin.data()), pin.size()));
      }
    };
    api::IssuerSessionRequest q;
    try {
      q = j.get<api::IssuerSessionRequest>();
    } catch (...) {
      wipe_json();
      throw;
    }
    wipe_json();
    const Holder& h = holder(q.holder_ref);
    const HolderState st = holder_state(h.ref);
    IssuerSessionState s;
    s.id = "S" + random_hex(12);
    s.terminal = terminal;
    s.holder_ref = h.ref;
    s.operation = q.operation;
    s.holding_form = q.holding_form;
    s.card_id = q.card_id;
    switch (q.operation) {
      case api::IssuerOperation::record: {
        // R-VIA: away from home neither a new Myna licence nor a replaced card is recorded.
        if (!at_home(h.person)) {
          fail(422, api::code::kNotEligible, "recording is done at the home prefecture's centre");
        }
        // One card holds the licence: a second recording is only for a card that replaced a
        // lost one (R-LOST), and the kiosk says so — or the same card's write again (resume: its
        // 免許AP is there; the last answer of an earlier session may have been lost).
        if (st.recorded && !q.replace_card && !q.resume) {
          fail(422, api::code::kNotEligible, "the license is already recorded on a card");
        }
        if (st.recorded && q.replace_card && !q.card_id.empty() &&
            record_card_of(h.ref) == q.card_id) {
          fail(422, api::code::kNotEligible, "this card already holds the record");
        }
        s.phases = q.resume ? std::vector{api::PhaseName::license_ap}
                            : std::vector{api::PhaseName::isd, api::PhaseName::license_ap};
        // The recording date is the day of this recording (a replacement card's too), not the
        // date an earlier card was written.
        auto r = current_record(h);
        r.recording_date = today_date();
        const Bytes wef02 = dsim::license_ap_wef02(r);
        const Bytes wef04 = dsim::license_ap_wef04(h.person);
        const Bytes wef03 = dsim::license_ap_wef03(wef02, wef04, authority);
        s.image = issuer::LicenseImage{wef02, wef03, wef04};
        break;
      }
      case api::IssuerOperation::erase:
        if (!st.recorded) {
          fail(422, api::code::kNotEligible, "no license data is recorded for this holder");
        }
        if (!at_home(h.person)) {
          fail(422, api::code::kNotEligible, "erasing is done at the home prefecture's centre");
        }
        require_record_card(h.ref, q.card_id);
        s.phases = {api::PhaseName::isd};
        break;
      case api::IssuerOperation::reset_pin:
        if (!st.recorded) {
          fail(422, api::code::kNotEligible, "no license data is recorded for this holder");
        }
        require_record_card(h.ref, q.card_id);
        s.phases = {api::PhaseName::license_ap};
        break;
      case api::IssuerOperation::rewrite: {
        // R-RENEW-REWRITE: the renewed record on the same card, in the renewal period, and away
        // from home only for a 経由申請-eligible holder (R-VIA).
        if (st.recorded) {
          require_record_card(h.ref, q.card_id);  // never a lost card (R-LOST)
        }
        const RenewalFacts f = renewal_facts(h);
        if (const std::string why = rewrite_refusal(h, st, f); !why.empty()) {
          fail(422, api::code::kNotEligible, why);
        }
        s.phases = {api::PhaseName::license_ap};
        auto r = current_record(h);
        r.expiry = f.new_expiry;
        r.color = band_after_renewal(f.category);  // a first licence's 新規 band turns blue
        r.recording_date = today_date();
        const Bytes wef02 = dsim::license_ap_wef02(r);
        const Bytes wef04 = dsim::license_ap_wef04(h.person);
        const Bytes wef03 = dsim::license_ap_wef03(wef02, wef04, authority);
        s.image = issuer::LicenseImage{wef02, wef03, wef04};
        s.new_expiry = iso(f.new_expiry);
        break;
      }
    }
    if (q.new_pin) {
      s.sealed_pin = seal(seal_key(), q.new_pin->bytes());
      q.new_pin->clear();
    }
    api::IssuerSession out{s.id, s.operation, phase_start(s)};
    save_session(s);
    const std::string id = s.id;
    sessions.insert_or_assign(id, std::move(s));
    return json_reply(out);
  }

  IssuerSessionState& session(const httplib::Request& req, const std::string& terminal) {
    const auto it = sessions.find(req.matches[1]);
    if (it == sessions.end() || it->second.terminal != terminal) {
      fail(404, api::code::kSessionNotFound, "no issuer session with this id for this kiosk");
    }
    IssuerSessionState& s = it->second;
    if (s.state == IssuerSessionState::State::done ||
        s.state == IssuerSessionState::State::failed ||
        std::string(api::to_string(s.phases[s.current])) != req.matches[2].str()) {
      fail(409, api::code::kSessionState, "the session is not at this phase");
    }
    return s;
  }

  Reply open_phase(const httplib::Request& req, const std::string& terminal) {
    const auto q = api::parse_body<api::PhaseOpenRequest>(req.body);
    IssuerSessionState& s = session(req, terminal);
    if (s.state != IssuerSessionState::State::awaiting_open) {
      fail(409, api::code::kSessionState, "this phase is already open");
    }
    Bytes answer = q.init_update_answer;
    if (answer.size() == issuer::scp03::kInitializeUpdateAnswerSize + 2) {
      if (answer[answer.size() - 2] != 0x90 || answer.back() != 0x00) {
        fail(400, api::code::kBadRequest, "init_update_answer: the card did not answer 9000");
      }
      answer.resize(answer.size() - 2);
    }
    if (answer.size() != issuer::scp03::kInitializeUpdateAnswerSize) {
      fail(400, api::code::kBadRequest, "init_update_answer: not 29 bytes (+ 9000)");
    }
    try {
      s.host = std::make_unique<issuer::Scp03Host>(master, s.host_challenge, answer);
    } catch (const issuer::IssuerError& e) {
      s.state = IssuerSessionState::State::failed;
      save_session(s);
      fail(422, api::code::kCardCryptogramInvalid, e.what());
    }
    api::PhaseCommands out;
    out.phase = s.phases[s.current];
    issuer::SecretBytes pin;
    if (!s.sealed_pin.empty()) {
      pin = unseal(seal_key(), s.sealed_pin);
    }
    switch (s.operation) {
      case api::IssuerOperation::record: {
        const issuer::LicenseWritePlan plan(*s.image, std::move(pin));
        out.commands = out.phase == api::PhaseName::isd ? plan.isd_commands(*s.host)
                                                        : plan.license_ap_commands(*s.host);
        break;
      }
      case api::IssuerOperation::erase:
        out.commands = issuer::delete_commands(*s.host);
        break;
      case api::IssuerOperation::reset_pin:
        out.commands = issuer::reset_pin_commands(*s.host, pin);
        break;
      case api::IssuerOperation::rewrite:
        out.commands = issuer::LicenseWritePlan::rewrite(*s.image).license_ap_commands(*s.host);
        break;
    }
    s.command_count = out.commands.size();
    s.state = IssuerSessionState::State::awaiting_answers;
    save_session(s);
    return json_reply(out);
  }

  Reply phase_answers(const httplib::Request& req, const std::string& terminal) {
    const auto q = api::parse_body<api::PhaseAnswersRequest>(req.body);
    IssuerSessionState& s = session(req, terminal);
    if (s.state != IssuerSessionState::State::awaiting_answers) {
      fail(409, api::code::kSessionState, "this phase is not open");
    }
    const issuer::RelayVerdict v = issuer::check_relay_answers(*s.host, s.command_count, q.answers);
    api::PhaseVerdict out;
    out.complete = v.complete;
    out.accepted = v.accepted;
    out.status = v.status;
    s.host.reset();
    if (!v.complete) {
      s.state = IssuerSessionState::State::failed;
      save_session(s);
      if (v.status == 0x9000) {
        // The card said 9000 but the R-MAC does not verify: not the card's answer.
        fail(422, api::code::kRmacInvalid,
             "answer " + std::to_string(v.accepted) + " does not carry the card's R-MAC");
      }
      return json_reply(out);
    }
    if (++s.current < s.phases.size()) {
      out.next = phase_start(s);
      save_session(s);
      return json_reply(out);
    }
    finish(s, terminal);
    out.done = true;
    return json_reply(out);
  }

  void finish(IssuerSessionState& s, const std::string& terminal) {
    HolderState st = holder_state(s.holder_ref);
    const std::string at = rfc3339_jst(now());
    switch (s.operation) {
      case api::IssuerOperation::record: {
        st.recorded = true;
        if (!s.card_id.empty()) {  // the record now lives on this card (R-LOST)
          Statement(db,
                    "INSERT INTO record_cards(holder_ref, card_id) VALUES(?,?) "
                    "ON CONFLICT(holder_ref) DO UPDATE SET card_id=excluded.card_id")
              .bind(1, s.holder_ref)
              .bind(2, s.card_id)
              .run();
        } else {  // written on a card that could not be named: no earlier card keeps the record
          Statement(db, "DELETE FROM record_cards WHERE holder_ref=?").bind(1, s.holder_ref).run();
        }
        const api::HoldingForm before = st.form;
        if (s.holding_form) {
          st.form = *s.holding_form;
        } else if (st.form == api::HoldingForm::conventional_only) {
          st.form = api::HoldingForm::both;
        }
        if (st.form == api::HoldingForm::myna_only && before != api::HoldingForm::myna_only) {
          // Recorded and handed the conventional licence back in one step.
          log_form_change(s.holder_ref, "return_conventional", st.form, terminal, at);
        }
        break;
      }
      case api::IssuerOperation::erase:
        st.recorded = false;
        st.form = api::HoldingForm::conventional_only;
        Statement(db, "DELETE FROM license_pins WHERE holder_ref=?").bind(1, s.holder_ref).run();
        Statement(db, "DELETE FROM record_cards WHERE holder_ref=?").bind(1, s.holder_ref).run();
        break;
      case api::IssuerOperation::reset_pin:
        break;
      case api::IssuerOperation::rewrite:
        Statement(db,
                  "INSERT INTO renewals(holder_ref, new_expiry, at) VALUES(?,?,?) "
                  "ON CONFLICT(holder_ref) DO UPDATE SET new_expiry=excluded.new_expiry, "
                  "at=excluded.at")
            .bind(1, s.holder_ref)
            .bind(2, s.new_expiry)
            .bind(3, at)
            .run();
        break;
    }
    if (!s.sealed_pin.empty()) {
      Statement(
          db,
          "INSERT INTO license_pins(holder_ref, sealed, set_at) VALUES(?,?,?) "
          "ON CONFLICT(holder_ref) DO UPDATE SET sealed=excluded.sealed, set_at=excluded.set_at")
          .bind(1, s.holder_ref)
          .bind(2, s.sealed_pin)
          .bind(3, at)
          .run();
    }
    set_holder_state(s.holder_ref, st);
    s.state = IssuerSessionState::State::done;
    s.image.reset();
    s.sealed_pin.clear();
    save_session(s);
  }

  // ---- signed submissions -------------------------------------------------------------------

  // The relying party's checks against a JPKI CA of the test PKI, on the centre's clock and
  // revocation list.
  RelyingPartyOptions relying_party_options(const char* ca_pem) {
    RelyingPartyOptions o;
    o.trusted_ca_pem = pki.dir() / ca_pem;
    o.now = now();
    o.is_revoked = [this](const std::string& serial) {
      Statement s(db, "SELECT 1 FROM revoked_certificates WHERE serial=?");
      s.bind(1, serial);
      return s.step();
    };
    return o;
  }

  std::string check_submission(const api::SignedSubmission& sub, const Holder& h,
                               bool refuse_issued_today) {
    RelyingPartyOptions o = relying_party_options("jpki-sign-ca.pem");
    o.refuse_issued_today = refuse_issued_today;
    try {
      return check_signed_document(
          sub.document, sub.signature, sub.certificate,
          {h.person.family_name + h.person.given_name, dsim::yyyymmdd(h.person.birth_date)}, o);
    } catch (const RelyingPartyError& e) {
      fail(422, e.code().c_str(), e.what());
    }
  }

  static std::string plus_years(const std::string& date, int years) {
    const int y = std::stoi(date.substr(0, 4)) + years;
    std::string out = std::to_string(y) + date.substr(4);
    if (out.substr(5) == "02-29") {
      out = out.substr(0, 5) + "02-28";
    }
    return out;
  }

  Reply start_consent(const httplib::Request& req, const std::string& terminal) {
    const auto q = api::parse_body<api::ConsentRequest>(req.body);
    const Holder& h = holder(q.signed_.holder_ref);
    const HolderState st = holder_state(h.ref);
    if (st.form != api::HoldingForm::myna_only || !st.recorded) {
      fail(422, api::code::kNotEligible, "one-stop is only for holders of the Myna license alone");
    }
    const std::string serial = check_submission(q.signed_, h, true);
    api::Consent c;
    c.holder_ref = h.ref;
    c.items = q.items;
    c.valid_from = today();
    c.valid_until = plus_years(c.valid_from, 10);
    c.status = "active";
    Statement existing(db, "SELECT id FROM consents WHERE holder_ref=?");
    existing.bind(1, h.ref);
    if (existing.step()) {
      c.consent_id = existing.column_text(0);
      c.renewed = true;
    } else {
      c.consent_id = "C" + random_hex(12);
    }
    Statement(db,
              "INSERT INTO consents(id, holder_ref, items, valid_from, valid_until, status, "
              "certificate_serial, document, signature, certificate, terminal, updated_at) "
              "VALUES(?1,?2,?3,?4,?5,'active',?6,?7,?8,?9,?10,?11) ON CONFLICT(holder_ref) DO "
              "UPDATE SET items=?3, valid_from=?4, valid_until=?5, status='active', "
              "certificate_serial=?6, document=?7, signature=?8, certificate=?9, terminal=?10, "
              "updated_at=?11")
        .bind(1, c.consent_id)
        .bind(2, h.ref)
        .bind(3, Json(c.items).dump())
        .bind(4, c.valid_from)
        .bind(5, c.valid_until)
        .bind(6, serial)
        .bind(7, q.signed_.document)
        .bind(8, q.signed_.signature)
        .bind(9, q.signed_.certificate)
        .bind(10, terminal)
        .bind(11, rfc3339_jst(now()))
        .run();
    return json_reply(c, 201);
  }

  Reply cancel_consent(const httplib::Request& req) {
    const std::string ref = req.matches[1];
    (void)holder(ref);
    Statement s(db,
                "SELECT id, items, valid_from, valid_until FROM consents WHERE holder_ref=? AND "
                "status='active'");
    s.bind(1, ref);
    if (!s.step()) {
      fail(404, api::code::kConsentNotFound, "no active one-stop consent for this holder");
    }
    api::Consent c;
    c.consent_id = s.column_text(0);
    c.holder_ref = ref;
    c.items = Json::parse(s.column_text(1)).get<api::ConsentItems>();
    c.valid_from = s.column_text(2);
    c.valid_until = s.column_text(3);
    c.status = "cancelled";
    Statement(db, "UPDATE consents SET status='cancelled', updated_at=? WHERE id=?")
        .bind(1, rfc3339_jst(now()))
        .bind(2, c.consent_id)
        .run();
    return json_reply(c);
  }

  Reply submit_linkage(const httplib::Request& req, const std::string& terminal) {
    const auto q = api::parse_body<api::SignedSubmission>(req.body);
    const Holder& h = holder(q.holder_ref);
    if (!holder_state(h.ref).recorded) {
      fail(422, api::code::kNotEligible, "portal linkage needs license data on the card");
    }
    const std::string serial = check_submission(q, h, false);
    api::Linkage l{"L" + random_hex(12), h.ref, rfc3339_jst(now() + std::chrono::minutes(30))};
    Statement(db,
              "INSERT INTO linkages(id, holder_ref, submitted_at, portal_available_from, "
              "certificate_serial, document, signature, certificate, terminal) "
              "VALUES(?,?,?,?,?,?,?,?,?)")
        .bind(1, l.linkage_id)
        .bind(2, h.ref)
        .bind(3, rfc3339_jst(now()))
        .bind(4, l.portal_available_from)
        .bind(5, serial)
        .bind(6, q.document)
        .bind(7, q.signature)
        .bind(8, q.certificate)
        .bind(9, terminal)
        .run();
    return json_reply(l, 201);
  }

  // ---- appointments, audit, kiosk, reference ------------------------------------------------

  api::Appointment appointment(const std::string& number) {
    Statement s(db,
                "SELECT kind, slot_start, slot_end, holder_ref, status FROM appointments WHERE "
                "number=?");
    s.bind(1, number);
    if (!s.step()) {
      fail(404, api::code::kAppointmentNotFound, "no appointment with this number");
    }
    return {number,           s.column_text(0), s.column_text(1),
            s.column_text(2), s.column_text(3), s.column_text(4)};
  }

  Reply check_in(const httplib::Request& req, const std::string& terminal) {
    api::Appointment a = appointment(req.matches[1]);
    if (a.slot_start.substr(0, 10) != today()) {
      fail(409, api::code::kAppointmentNotToday, "the appointment is not for today");
    }
    if (a.status == "checked_in") {
      fail(409, api::code::kAppointmentCheckedIn, "the appointment was already used");
    }
    Statement(db,
              "UPDATE appointments SET status='checked_in', checked_in_at=?, terminal=? WHERE "
              "number=?")
        .bind(1, rfc3339_jst(now()))
        .bind(2, terminal)
        .bind(3, a.number)
        .run();
    a.status = "checked_in";
    return json_reply(a);
  }

  Reply audit(const httplib::Request& req, const std::string& terminal) {
    const auto q = api::parse_body<api::AuditBatch>(req.body);
    if (q.terminal != terminal) {
      fail(403, api::code::kTerminalMismatch, "the batch names another terminal");
    }
    int64_t last_seq = 0;
    std::string last_hash;
    bool anchored = false;  // the terminal's first row received anchors its chain
    {
      Statement s(db,
                  "SELECT seq, hash FROM audit_rows WHERE terminal=? ORDER BY seq DESC LIMIT 1");
      s.bind(1, terminal);
      if (s.step()) {
        last_seq = s.column_int(0);
        last_hash = s.column_text(1);
        anchored = true;
      }
    }
    for (const auto& r : q.rows) {
      // A restart row already stored (the answer to its batch was lost) is a plain re-send.
      bool stored = false;
      if (r.action == api::kAuditChainRestartedAction && anchored && r.seq <= last_seq) {
        Statement s(db, "SELECT hash FROM audit_rows WHERE terminal=? AND seq=?");
        s.bind(1, terminal).bind(2, r.seq);
        stored = s.step() && s.column_text(0) == r.hash;
      }
      if (r.action == api::kAuditChainRestartedAction && anchored && !stored &&
          !(r.seq == last_seq + 1 && r.prev_hash == last_hash)) {
        // docs/center-api.md, "Restarting a lost chain": the kiosk lost its chain and starts a
        // new one from a row of ours (or from 1). Accepted when it forks from a row we hold; the
        // rows it replaces are kept as evidence, never deleted.
        bool forks_from_ours = r.seq == 1;
        if (!forks_from_ours && r.seq <= last_seq + 1) {
          Statement s(db, "SELECT hash FROM audit_rows WHERE terminal=? AND seq=?");
          s.bind(1, terminal).bind(2, r.seq - 1);
          forks_from_ours = s.step() && s.column_text(0) == r.prev_hash;
        }
        if (!forks_from_ours) {
          fail(409, api::code::kAuditChainBroken,
               "the chain restart at row " + std::to_string(r.seq) +
                   " continues from no row this centre holds");
        }
        Statement(db,
                  "INSERT INTO audit_rows_superseded SELECT *, ? FROM audit_rows "
                  "WHERE terminal=? AND seq>=?")
            .bind(1, r.seq)
            .bind(2, terminal)
            .bind(3, r.seq)
            .run();
        const int64_t superseded = db.changes();
        Statement(db, "DELETE FROM audit_rows WHERE terminal=? AND seq>=?")
            .bind(1, terminal)
            .bind(2, r.seq)
            .run();
        record_restart(terminal, r, last_seq, last_hash, superseded);
        last_seq = r.seq - 1;
        last_hash = r.prev_hash;
      } else if (r.action == api::kAuditChainRestartedAction && !stored &&
                 (!anchored || r.seq == last_seq + 1)) {
        record_restart(terminal, r, last_seq, last_hash, 0);
      }
      if (!anchored) {
        // The kiosk's chain starts at its own genesis hash (or continues after rows it pruned
        // before its first upload): whatever the first row continues from is the anchor.
        last_seq = r.seq - 1;
        last_hash = r.prev_hash;
        anchored = true;
      }
      if (r.seq <= last_seq) {
        // A row sent again (the answer to an earlier batch was lost): it must be the same row.
        Statement s(db, "SELECT hash FROM audit_rows WHERE terminal=? AND seq=?");
        s.bind(1, terminal).bind(2, r.seq);
        if (!s.step() || s.column_text(0) != r.hash) {
          fail(409, api::code::kAuditChainBroken,
               "row " + std::to_string(r.seq) + " differs from the one already received");
        }
        continue;
      }
      if (r.seq != last_seq + 1 || r.prev_hash != last_hash) {
        fail(409, api::code::kAuditChainBroken,
             "row " + std::to_string(r.seq) + " does not continue the chain at " +
                 std::to_string(last_seq));
      }
      Statement(db, "INSERT INTO audit_rows VALUES(?,?,?,?,?,?,?,?,?,?)")
          .bind(1, terminal)
          .bind(2, r.seq)
          .bind(3, r.at)
          .bind(4, r.actor)
          .bind(5, r.action)
          .bind(6, r.result)
          .bind(7, r.detail)
          .bind(8, r.hash)
          .bind(9, r.prev_hash)
          .bind(10, rfc3339_jst(now()))
          .run();
      last_seq = r.seq;
      last_hash = r.hash;
    }
    return json_reply(api::AuditAccepted{last_seq});
  }

  void record_restart(const std::string& terminal, const api::AuditRow& r, int64_t last_seq,
                      const std::string& last_hash, int64_t superseded) {
    Statement(db, "INSERT INTO audit_restarts VALUES(?,?,?,?,?,?,?,?)")
        .bind(1, terminal)
        .bind(2, r.seq)
        .bind(3, r.at)
        .bind(4, r.detail)
        .bind(5, last_seq)
        .bind(6, last_hash)
        .bind(7, superseded)
        .bind(8, rfc3339_jst(now()))
        .run();
  }

  static api::ReferenceData reference() {
    api::ReferenceData r;
    r.version = "2026112701";  // a decimal number that grows with every change
    r.fees = {{"lecture_online", 200},
              {"lecture_excellent", 500},
              {"lecture_general", 800},
              {"myna_license_record", 1500},
              {"myna_license_change", 0}};
    r.holidays = {"2026-01-01", "2026-01-02", "2026-01-12", "2026-02-11", "2026-02-23",
                  "2026-03-20", "2026-04-29", "2026-05-04", "2026-05-05", "2026-05-06"};
    for (int d = 1; d <= 5; ++d) {
      r.opening_hours.push_back({d, "08:30", "17:00"});
    }
    r.opening_hours.push_back({7, "08:30", "12:00"});
    r.texts = {{"center.notice", "ja", "本日は通常どおり受け付けています。"},
               {"center.notice", "en", "We are open as usual today."}};
    return r;
  }

  // ---- dispatch ---------------------------------------------------------------------------

  static std::string terminal_of(const httplib::Request& req) {
    if (req.ssl == nullptr) {
      return {};
    }
    X509* cert = SSL_get1_peer_certificate(req.ssl);
    if (cert == nullptr) {
      return {};
    }
    char cn[256] = {};
    const int n =
        X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
    X509_free(cert);
    return n > 0 ? std::string(cn, static_cast<size_t>(n)) : std::string();
  }

  // The fault to apply to this request (and one less to go), or none.
  Fault take_fault() {
    std::lock_guard lock(fault_mutex);
    Fault f = fault;
    if (f.mode != Fault::Mode::none && f.mode != Fault::Mode::down && fault.count > 0 &&
        --fault.count == 0) {
      fault = {};
    }
    return f;
  }

  std::string request_mac(const httplib::Request& req) const {
    const std::string text = req.method + " " + req.path + "\n" + req.body;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha256(), mac_key().data(), static_cast<int>(mac_key().size()),
         reinterpret_cast<const unsigned char*>(text.data()), text.size(), md, &n);
    return base::to_hex(std::span<const uint8_t>(md, n));
  }

  using Handler = std::function<Reply(const httplib::Request&, const std::string& terminal)>;

  // Runs one API request: faults, the terminal check, idempotency for writes, the handler,
  // errors as envelopes.
  void serve(const httplib::Request& req, httplib::Response& res, bool write, bool needs_terminal,
             const Handler& handler) {
    const Fault f = take_fault();
    switch (f.mode) {
      case Fault::Mode::slow:
        std::this_thread::sleep_for(std::chrono::milliseconds(f.delay_ms));
        break;
      case Fault::Mode::http_500:
        return send(res, error_reply({500, api::code::kInternal, "injected fault", true}));
      case Fault::Mode::http_503:
        return send(res, error_reply({503, api::code::kUnavailable, "injected fault", true}));
      case Fault::Mode::garbage:
        res.status = 200;
        res.set_content("<html>this is not JSON", "text/html");
        return;
      case Fault::Mode::truncated:
        return send_truncated(res, R"({"truncated":"by an injected fault, this body never ends")");
      default:
        break;
    }
    Reply reply;
    try {
      reply = run(req, write, needs_terminal, handler);
    } catch (const ApiFailure& e) {
      reply = error_reply(e);
    }
    if (f.mode == Fault::Mode::drop_after_commit) {
      return send_truncated(res, reply.body);
    }
    send(res, reply);
  }

  Reply run(const httplib::Request& req, bool write, bool needs_terminal, const Handler& handler) {
    const std::string terminal = terminal_of(req);
    std::lock_guard lock(mutex);
    try {
      if (needs_terminal) {
        Statement s(db, "SELECT 1 FROM terminals WHERE terminal_id=?");
        s.bind(1, terminal);
        if (!s.step()) {
          fail(403, api::code::kTerminalUnknown, "this client certificate names no kiosk");
        }
      }
      if (!write) {
        return handler(req, terminal);
      }
      const std::string key = req.get_header_value("Idempotency-Key");
      if (key.empty() || key.size() > 128) {
        fail(400, api::code::kIdempotencyKeyRequired, "Idempotency-Key: missing or too long");
      }
      const std::string mac = request_mac(req);
      {
        Statement s(db,
                    "SELECT request_mac, status, body FROM idempotency WHERE terminal=? AND key=?");
        s.bind(1, terminal).bind(2, key);
        if (s.step()) {
          if (s.column_text(0) != mac) {
            fail(409, api::code::kIdempotencyKeyReused,
                 "this Idempotency-Key was used with another request");
          }
          return {static_cast<int>(s.column_int(1)),
                  s.column_text(2),
                  {{"Idempotent-Replayed", "true"}}};
        }
      }
      Reply reply;
      {
        std::optional<Transaction> tx(std::in_place, db);
        try {
          reply = with_echoed_key(handler(req, terminal), key);
        } catch (const ApiFailure& e) {
          if (e.retryable) {
            throw;  // rolled back, not remembered: a retry may succeed
          }
          reply = error_reply(e);  // the handler's writes roll back; the answer is remembered
          tx.reset();
          tx.emplace(db);
        }
        Statement(db, "INSERT INTO idempotency VALUES(?,?,?,?,?,?,?)")
            .bind(1, terminal)
            .bind(2, key)
            .bind(3, mac)
            .bind(4, int64_t{reply.status})
            .bind(5, reply.body)
            .bind(6, rfc3339_jst(now()))
            .bind(7, req.path)
            .run();
        tx->commit();
      }
      return reply;
    } catch (const api::WireError& e) {
      fail(400, api::code::kBadRequest, e.what());
    } catch (const base::sqlite::Error&) {
      fail(503, api::code::kUnavailable, "the centre's database failed", true);
    } catch (const issuer::IssuerError& e) {
      fail(500, api::code::kInternal, std::string("issuer: ") + e.what(), true);
    }
  }

  static void send(httplib::Response& res, const Reply& reply) {
    res.status = reply.status;
    for (const auto& [k, v] : reply.headers) {
      res.set_header(k, v);
    }
    if (reply.status != 304) {
      res.set_content(reply.body, "application/json; charset=utf-8");
    }
  }

  // Announces the whole body, sends half of it and closes the connection.
  static void send_truncated(httplib::Response& res, const std::string& body) {
    res.status = 200;
    const std::string half = body.substr(0, body.size() / 2);
    res.set_content_provider(body.size() + 1, "application/json",
                             [half](size_t offset, size_t, httplib::DataSink& sink) {
                               if (offset == 0 && !half.empty()) {
                                 sink.write(half.data(), half.size());
                               }
                               return false;  // abort: httplib closes the connection
                             });
  }

  void routes(httplib::Server& s) {
    auto get = [&](const char* pattern, bool needs_terminal, const Handler& h) {
      s.Get(pattern,
            [this, needs_terminal, h](const httplib::Request& req, httplib::Response& res) {
              serve(req, res, false, needs_terminal, h);
            });
    };
    auto post = [&](const char* pattern, const Handler& h) {
      s.Post(pattern, [this, h](const httplib::Request& req, httplib::Response& res) {
        serve(req, res, true, true, h);
      });
    };
    get("/v1/health", false, [this](const httplib::Request&, const std::string&) {
      return json_reply(api::Health{"ok", rfc3339_jst(now()), "mynacenter 0.1"});
    });
    get("/v1/kiosk", true, [this](const httplib::Request&, const std::string& terminal) {
      return json_reply(api::KioskInfo{terminal, "テスト運転免許センター (simulator)", "SIM-13",
                                       rfc3339_jst(now())});
    });
    get("/v1/reference", true, [](const httplib::Request& req, const std::string&) {
      const api::ReferenceData r = reference();
      const std::string etag = "\"" + r.version + "\"";
      if (req.get_header_value("If-None-Match") == etag) {
        return Reply{304, "", {{"ETag", etag}}};
      }
      Reply reply = json_reply(r);
      reply.headers["ETag"] = etag;
      return reply;
    });
    post("/v1/holders/lookup",
         [this](const httplib::Request& req, const std::string&) { return lookup(req); });
    post("/v1/auth/challenges",
         [this](const httplib::Request&, const std::string&) { return auth_challenge(); });
    post("/v1/holders/lookup-by-card",
         [this](const httplib::Request& req, const std::string&) { return lookup_by_card(req); });
    post("/v1/cards/status",
         [this](const httplib::Request& req, const std::string&) { return card_status(req); });
    post("/v1/history/lookup",
         [this](const httplib::Request& req, const std::string&) { return history_lookup(req); });
    post(
        R"(/v1/holders/([A-Za-z0-9]+)/holding-form)",
        [this](const httplib::Request& req, const std::string& t) { return holding_form(req, t); });
    post(R"(/v1/holders/([A-Za-z0-9]+)/renewal)",
         [this](const httplib::Request& req, const std::string&) { return renewal(req); });
    post("/v1/issuer/sessions", [this](const httplib::Request& req, const std::string& t) {
      return create_session(req, t);
    });
    post(R"(/v1/issuer/sessions/([A-Za-z0-9]+)/phases/([a-z_]+)/open)",
         [this](const httplib::Request& req, const std::string& t) { return open_phase(req, t); });
    post(R"(/v1/issuer/sessions/([A-Za-z0-9]+)/phases/([a-z_]+)/answers)",
         [this](const httplib::Request& req, const std::string& t) {
           return phase_answers(req, t);
         });
    post("/v1/onestop/consents", [this](const httplib::Request& req, const std::string& t) {
      return start_consent(req, t);
    });
    post(R"(/v1/onestop/consents/([A-Za-z0-9]+)/cancel)",
         [this](const httplib::Request& req, const std::string&) { return cancel_consent(req); });
    post("/v1/portal/linkages", [this](const httplib::Request& req, const std::string& t) {
      return submit_linkage(req, t);
    });
    get(R"(/v1/appointments/([A-Za-z0-9-]+))", true,
        [this](const httplib::Request& req, const std::string&) {
          return json_reply(appointment(req.matches[1]));
        });
    post(R"(/v1/appointments/([A-Za-z0-9-]+)/check-in)",
         [this](const httplib::Request& req, const std::string& t) { return check_in(req, t); });
    post("/v1/audit/batches",
         [this](const httplib::Request& req, const std::string& t) { return audit(req, t); });

    // Admin, for tests and demos: only the test kiosk certificate, no faults, no idempotency.
    s.Post("/admin/faults", [this](const httplib::Request& req, httplib::Response& res) {
      admin(req, res, [this](const Json& j) {
        const auto mode = fault_mode_from_string(j.value("mode", std::string("none")));
        if (!mode) {
          fail(400, api::code::kBadRequest, "mode: unknown");
        }
        Fault f{*mode, j.value("delay_ms", 0), j.value("count", 0)};
        if (f.mode == Fault::Mode::down || f.mode == Fault::Mode::wrong_tls) {
          const int for_ms = j.value("for_ms", 0);
          if (for_ms <= 0) {
            fail(400, api::code::kBadRequest,
                 "for_ms: an outage over the API needs a duration (it cannot be cleared there)");
          }
          schedule_outage(f.mode, for_ms);
        } else {
          apply_fault(f);
        }
      });
    });
    s.Post("/admin/counter-renewals", [this](const httplib::Request& req, httplib::Response& res) {
      admin(req, res, [this](const Json& j) {
        const std::string fixture = j.value("fixture", std::string());
        std::lock_guard lock(mutex);
        try {
          complete_counter_renewal(fixture);
        } catch (const std::runtime_error& e) {
          fail(422, api::code::kNotEligible, e.what());
        }
      });
    });
    s.Post("/admin/revocations", [this](const httplib::Request& req, httplib::Response& res) {
      admin(req, res, [this](const Json& j) {
        const std::string serial = j.value("serial", std::string());
        if (serial.empty() || serial.size() > 64) {
          fail(400, api::code::kBadRequest, "serial: missing");
        }
        std::lock_guard lock(mutex);
        revoke(serial);
      });
    });
    // What reached the centre, for the soak's "exactly once" and "the chain verifies end to end".
    s.Get("/admin/writes", [this](const httplib::Request& req, httplib::Response& res) {
      admin_read(req, res, [this] {
        Json writes = Json::array();
        std::lock_guard lock(mutex);
        Statement rows(db, "SELECT terminal, key, path, status FROM idempotency ORDER BY rowid");
        while (rows.step()) {
          writes.push_back({{"terminal", rows.column_text(0)},
                            {"key", rows.column_text(1)},
                            {"path", rows.column_text(2)},
                            {"status", rows.column_int(3)}});
        }
        return Json{{"writes", writes}};
      });
    });
    s.Get("/admin/audit-chains", [this](const httplib::Request& req, httplib::Response& res) {
      admin_read(req, res, [this] {
        std::lock_guard lock(mutex);
        return Json{{"terminals", audit_chains()}};
      });
    });
    s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.body.empty() && res.status == 404) {
        res.set_content(
            api::error_envelope({api::code::kNotFound, "no such resource", false}).dump(),
            "application/json; charset=utf-8");
      }
    });
    s.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
          send(res, error_reply({500, api::code::kInternal, "the centre failed", true}));
        });
  }

  void admin(const httplib::Request& req, httplib::Response& res,
             const std::function<void(const Json&)>& action) {
    try {
      if (terminal_of(req) != kTestTerminalId) {
        fail(403, api::code::kTerminalUnknown, "admin calls need the test kiosk certificate");
      }
      const Json j = api::parse_json(req.body);
      if (!j.is_object()) {
        fail(400, api::code::kBadRequest, "the body is not a JSON object");
      }
      action(j);
      send(res, json_reply(Json{{"ok", true}}));
    } catch (const ApiFailure& e) {
      send(res, error_reply(e));
    } catch (const std::exception& e) {
      send(res, error_reply({400, api::code::kBadRequest, e.what(), false}));
    }
  }

  void admin_read(const httplib::Request& req, httplib::Response& res,
                  const std::function<Json()>& read) {
    try {
      if (terminal_of(req) != kTestTerminalId) {
        fail(403, api::code::kTerminalUnknown, "admin calls need the test kiosk certificate");
      }
      send(res, json_reply(read()));
    } catch (const ApiFailure& e) {
      send(res, error_reply(e));
    }
  }

  // Each terminal's received audit chain: its rows, and whether each continues the one before
  // (seq + 1, prev_hash = the previous row's hash).
  Json audit_chains() {
    Json out = Json::array();
    Statement s(db, "SELECT terminal, seq, hash, prev_hash FROM audit_rows ORDER BY terminal, seq");
    std::string terminal;
    int64_t last_seq = 0;
    std::string last_hash;
    while (s.step()) {
      if (out.empty() || s.column_text(0) != terminal) {
        terminal = s.column_text(0);
        Statement r(db, "SELECT count(*) FROM audit_restarts WHERE terminal=?");
        r.bind(1, terminal);
        r.step();
        out.push_back({{"terminal", terminal},
                       {"rows", 0},
                       {"first_seq", s.column_int(1)},
                       {"continuous", true},
                       {"restarts", r.column_int(0)}});
      } else if (s.column_int(1) != last_seq + 1 || s.column_text(3) != last_hash) {
        out.back()["continuous"] = false;
      }
      last_seq = s.column_int(1);
      last_hash = s.column_text(2);
      out.back()["rows"] = out.back()["rows"].get<int64_t>() + 1;
      out.back()["last_seq"] = last_seq;
    }
    return out;
  }

  void revoke(const std::string& serial) {
    Statement(db, "INSERT OR IGNORE INTO revoked_certificates VALUES(?,?)")
        .bind(1, serial)
        .bind(2, rfc3339_jst(now()))
        .run();
  }

  // ---- the server -----------------------------------------------------------------------------

  void listen() {
    std::lock_guard lock(server_mutex);
    if (listening) {
      return;
    }
    const bool rogue = cfg.rogue_server_certificate || serving_rogue;
    const fs::path cert = rogue ? tls.rogue_server_cert : tls.server_cert;
    const fs::path key = rogue ? tls.rogue_server_key : tls.server_key;
    const fs::path ca = tls.ca_cert;
    auto s = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
      SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
      if (SSL_CTX_set_cipher_list(&ctx, api::kTls12Ciphers) != 1 ||
          SSL_CTX_set_ciphersuites(&ctx, api::kTls13Suites) != 1) {
        return false;
      }
      SSL_CTX_set_options(&ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
      STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca.c_str());
      if (names == nullptr || SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) != 1 ||
          SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
          SSL_CTX_load_verify_locations(&ctx, ca.c_str(), nullptr) != 1) {
        if (names != nullptr) {
          sk_X509_NAME_pop_free(names, X509_NAME_free);
        }
        return false;
      }
      SSL_CTX_set_client_CA_list(&ctx, names);
      // mTLS required: no client certificate, or one the centre CA did not sign, ends the
      // handshake.
      SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      return true;
    });
    if (!s->is_valid()) {
      ERR_clear_error();
      throw std::runtime_error("mynacenter: cannot load the TLS files in " + tls.dir.string());
    }
    routes(*s);
    // Without TCP_NODELAY every answer waits for the client's delayed ACK (Nagle): 40 ms each.
    s->set_tcp_nodelay(true);
    s->set_read_timeout(5, 0);
    s->set_write_timeout(5, 0);
    const int want = bound_port != 0 ? bound_port : cfg.port;
    if (want == 0) {
      bound_port = s->bind_to_any_port(cfg.bind);
      if (bound_port <= 0) {
        throw std::runtime_error("mynacenter: cannot bind " + cfg.bind);
      }
    } else if (!s->bind_to_port(cfg.bind, want)) {
      throw std::runtime_error("mynacenter: cannot bind " + cfg.bind + ":" + std::to_string(want));
    } else {
      bound_port = want;
    }
    httplib::SSLServer* raw = s.get();
    server = std::move(s);
    auto ended = std::make_shared<std::atomic<bool>>(false);
    thread = std::thread([raw, ended] {
      raw->listen_after_bind();
      *ended = true;
    });
    // stop() is a no-op until the loop runs: wait for it, so that an early stop cannot hang.
    while (!raw->is_running() && !*ended) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    listening = true;
  }

  void unlisten() {
    std::unique_ptr<httplib::SSLServer> s;
    std::thread t;
    {
      std::lock_guard lock(server_mutex);
      if (!listening) {
        return;
      }
      server->stop();
      s = std::move(server);
      t = std::move(thread);
      listening = false;
    }
    if (t.joinable()) {
      t.join();
    }
  }

  void apply_fault(const Fault& f) {
    const bool rogue = f.mode == Fault::Mode::wrong_tls;
    {
      std::lock_guard lock(fault_mutex);
      fault = rogue ? Fault{} : f;  // wrong TLS is the server's certificate, not a request's fault
    }
    if (rogue != serving_rogue) {
      unlisten();
      serving_rogue = rogue;
    }
    if (f.mode == Fault::Mode::down) {
      unlisten();
    } else {
      listen();
    }
  }

  // Goes down now (after this answer is on its way), or serves the rogue certificate
  // (wrong_tls), and comes back as it was after `ms`. One outage at a time; then another.
  void schedule_outage(Fault::Mode mode, int ms) {
    {
      std::lock_guard lock(fault_mutex);
      if (outage_running) {
        fail(409, api::code::kBadRequest, "an outage is already scheduled");
      }
      outage_running = true;
    }
    if (restarter.joinable()) {
      restarter.join();  // the last outage's thread, finished
    }
    restarter = std::thread([this, mode, ms] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the answer leave
      unlisten();
      std::unique_lock lock(fault_mutex);
      if (mode == Fault::Mode::wrong_tls) {
        serving_rogue = true;
        lock.unlock();
        listen();
        lock.lock();
      } else {
        fault = {Fault::Mode::down, 0, 0};
      }
      restart_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping; });
      fault = {};
      const bool stop_now = stopping;
      lock.unlock();
      if (mode == Fault::Mode::wrong_tls) {
        unlisten();
        serving_rogue = false;
      }
      if (!stop_now) {
        listen();
      }
      lock.lock();
      outage_running = false;
    });
  }
};

CenterSimulator::CenterSimulator(CenterSimulatorConfig config)
    : impl_(std::make_unique<Impl>(std::move(config))) {}

CenterSimulator::~CenterSimulator() {
  stop();
}

void CenterSimulator::start() {
  impl_->listen();
}

void CenterSimulator::stop() {
  {
    std::lock_guard lock(impl_->fault_mutex);
    impl_->stopping = true;
  }
  impl_->restart_cv.notify_all();
  if (impl_->restarter.joinable()) {
    impl_->restarter.join();
  }
  impl_->unlisten();
  std::lock_guard lock(impl_->fault_mutex);
  impl_->stopping = false;
}

int CenterSimulator::port() const {
  std::lock_guard lock(impl_->server_mutex);
  return impl_->bound_port;
}

void CenterSimulator::set_fault(const Fault& fault) {
  impl_->apply_fault(fault);
}

void CenterSimulator::complete_counter_renewal(const std::string& fixture_id) {
  std::lock_guard lock(impl_->mutex);
  impl_->complete_counter_renewal(fixture_id);
}

void CenterSimulator::revoke_certificate(const std::string& serial_hex) {
  std::lock_guard lock(impl_->mutex);
  impl_->revoke(serial_hex);
}

std::string CenterSimulator::holder_ref(const std::string& fixture_id) const {
  return impl_->ref_of(fixture_id);
}

std::optional<issuer::SecretBytes> CenterSimulator::registered_license_pin(
    const std::string& holder_ref) {
  std::lock_guard lock(impl_->mutex);
  Statement s(impl_->db, "SELECT sealed FROM license_pins WHERE holder_ref=?");
  s.bind(1, holder_ref);
  if (!s.step()) {
    return std::nullopt;
  }
  return unseal(impl_->seal_key(), s.column_blob(0));
}

CenterSimulator::HolderStatus CenterSimulator::holder_status(const std::string& holder_ref) {
  std::lock_guard lock(impl_->mutex);
  const auto st = impl_->holder_state(holder_ref);
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
  std::lock_guard lock(impl_->mutex);
  Statement s(impl_->db, "SELECT count(*) FROM " + table);
  s.step();
  return s.column_int(0);
}

}  // namespace mk::center::sim
