// What the centre simulator holds about a licence holder (holder_records.hpp).
#include "center/sim/holder_records.hpp"

#include <algorithm>
#include <vector>

#include "center/sim/formats.hpp"
#include "center/sim/renewals.hpp"
#include "center/sim/replies.hpp"
#include "center/sim/simulator_state.hpp"

namespace mk::center::sim {

namespace fs = std::filesystem;
namespace dsim = devices::sim;
using base::sqlite::Statement;

namespace {

// The identity the kiosk derives from a virtual card (SHA-256 of its JPKI authentication
// certificate, devices/cards/my_number_card.cpp), lowercase hex.
std::string card_id_of(SimulatorState& centre, const dsim::Person& p) {
  const auto creds = dsim::person_jpki(p, centre.pki);
  return card_id_of_certificate(creds.auth.der);
}

}  // namespace

void load_holders(SimulatorState& centre) {
  // The fixtures' "today" dates are the centre's own day (its clock, in Japan).
  const dsim::Date today = centre.today_date();
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(centre.cfg.fixtures)) {
    if (e.path().extension() == ".toml") {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    throw std::runtime_error("no fixture people in " + centre.cfg.fixtures.string());
  }
  base::sqlite::Transaction tx(centre.db);
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
    Statement(centre.db,
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
      Statement(centre.db, "INSERT OR IGNORE INTO record_cards(holder_ref, card_id) VALUES(?,?)")
          .bind(1, h.ref)
          .bind(2, card_id_of(centre, h.person))
          .run();
    }
    centre.holders.emplace(h.ref, std::move(h));
  }
  tx.commit();
}

HolderState holder_state(SimulatorState& centre, const std::string& ref) {
  Statement s(centre.db, "SELECT holding_form, license_ap_recorded FROM holders WHERE ref=?");
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

void set_holder_state(SimulatorState& centre, const std::string& ref, const HolderState& st) {
  Statement(centre.db, "UPDATE holders SET holding_form=?, license_ap_recorded=? WHERE ref=?")
      .bind(1, std::string(api::to_string(st.form)))
      .bind(2, int64_t{st.recorded ? 1 : 0})
      .bind(3, ref)
      .run();
}

dsim::LicenseApRecord record_of(const dsim::Person& p, const dsim::Date& today) {
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

dsim::LicenseApRecord current_record(SimulatorState& centre, const Holder& h) {
  dsim::LicenseApRecord r = record_of(h.person, centre.today_date());
  if (const auto e = renewed_expiry(centre, h.ref)) {
    r.expiry = {std::stoi(e->substr(0, 4)), std::stoi(e->substr(5, 2)), std::stoi(e->substr(8, 2))};
  }
  return r;
}

std::optional<std::string> record_card_of(SimulatorState& centre, const std::string& ref) {
  Statement s(centre.db, "SELECT card_id FROM record_cards WHERE holder_ref=?");
  s.bind(1, ref);
  return s.step() ? std::optional(s.column_text(0)) : std::nullopt;
}

std::string record_card(SimulatorState& centre, const std::string& ref,
                        const std::string& card_id) {
  if (!holder_state(centre, ref).recorded) {
    return "none";
  }
  const auto on = record_card_of(centre, ref);
  if (card_id.empty() || !on) {
    return "unknown";
  }
  return *on == card_id ? "this" : "another";
}

void require_record_card(SimulatorState& centre, const std::string& ref,
                         const std::string& card_id) {
  const auto on = record_card_of(centre, ref);
  if (on && *on != card_id) {
    fail(422, api::code::kCardReplaced,
         card_id.empty() ? "the card was not named" : "the record is on another card");
  }
}

void forget_record(SimulatorState& centre, const std::string& ref) {
  Statement(centre.db, "DELETE FROM license_pins WHERE holder_ref=?").bind(1, ref).run();
  Statement(centre.db, "DELETE FROM record_cards WHERE holder_ref=?").bind(1, ref).run();
}

void log_form_change(SimulatorState& centre, const std::string& ref, std::string_view action,
                     api::HoldingForm form, const std::string& terminal, const std::string& at) {
  Statement(centre.db,
            "INSERT INTO holding_form_changes(holder_ref, action, holding_form, terminal, at) "
            "VALUES(?,?,?,?,?)")
      .bind(1, ref)
      .bind(2, std::string(action))
      .bind(3, std::string(api::to_string(form)))
      .bind(4, terminal)
      .bind(5, at)
      .run();
}

}  // namespace mk::center::sim
