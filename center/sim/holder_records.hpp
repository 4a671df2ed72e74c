#pragma once

// What the centre simulator holds about a licence holder: the fixture people loaded as holders,
// their holding form and whether the licence is recorded on a card (and on which), the licence
// record the centre holds now, and the log of holding form changes.

#include <optional>
#include <string>
#include <string_view>

#include "center/api/wire.hpp"
#include "devices/sim/fixture.hpp"

namespace mk::center::sim {

struct Holder;
struct SimulatorState;

// Loads the fixture people (cfg.fixtures/*.toml) into the holders table and centre.holders.
void load_holders(SimulatorState& centre);

struct HolderState {
  api::HoldingForm form = api::HoldingForm::conventional_only;
  bool recorded = false;
};

// Fails with holder_not_found (404) for an unknown reference.
HolderState holder_state(SimulatorState& centre, const std::string& ref);
void set_holder_state(SimulatorState& centre, const std::string& ref, const HolderState& st);

// The license data the centre holds: the 免許AP record when the fixture has one, else the
// conventional license's.
devices::sim::LicenseApRecord record_of(const devices::sim::Person& p,
                                        const devices::sim::Date& today);
// The record the centre holds for a holder now: the fixture's, with a completed renewal's
// new expiry.
devices::sim::LicenseApRecord current_record(SimulatorState& centre, const Holder& h);

// The card holding a holder's record (lowercase hex), if the centre knows it.
std::optional<std::string> record_card_of(SimulatorState& centre, const std::string& ref);
// LicenseRecordView::record_card for the card `card_id` names.
std::string record_card(SimulatorState& centre, const std::string& ref, const std::string& card_id);
// R-LOST: an operation on a recorded holder's card goes only to the card holding the record.
void require_record_card(SimulatorState& centre, const std::string& ref,
                         const std::string& card_id);

// The licence data left the card: its registered PIN and its record card are forgotten.
void forget_record(SimulatorState& centre, const std::string& ref);

void log_form_change(SimulatorState& centre, const std::string& ref, std::string_view action,
                     api::HoldingForm form, const std::string& terminal, const std::string& at);

}  // namespace mk::center::sim
