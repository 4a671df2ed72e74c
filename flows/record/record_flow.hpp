#pragma once

// マイナ免許証を作る: record the licence on the My Number card.
//
//   choose the holding form (R-FORMS) → conventional licence + PIN1 (who is this) → My Number card
//   + 入力補助 PIN (basic 4 info) → the centre's record for them → card expiry (R-CARD-EXPIRY) →
//   confirm the record and photo → a new licence PIN, twice (R-LIC-PIN) → the issuer channel writes
//   it (the kiosk only relays) → read back with the new PIN, signature checked → the holding-form
//   outcome committed to the outbox → receipt.
//
// A card pulled or a kiosk killed mid-write leaves record state 01; placing the card again (now,
// or in a later session of this flow) finishes the write with the issuer's resume phase —
// the record is never left torn.

#include <string>

#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/issuer/issuer_relay.hpp"
#include "flows/language.hpp"
#include "flows/license_pin/new_license_pin.hpp"
#include "flows/rules/calendar.hpp"
#include "flows/rules/holding_form.hpp"

namespace mk::flows {

// What is recorded: the licence, or — for someone who returned it — the driving history as a
// マイナ経歴証明書 (R-HISTORY: identified by the My Number card alone, no conventional licence).
enum class RecordKind { license, driving_history };

class RecordFlow : public MachineFlow<RecordFlow> {
 public:
  // `today` decides the card-expiry rules.
  RecordFlow(Language language, CivilDate today, RecordKind kind = RecordKind::license);

  static const FlowDefinition& definition();          // the licence ("record")
  static const FlowDefinition& history_definition();  // the driving history ("history")

 private:
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens = "record";  // screen ids: "record.<state>"
  ViewModel view(const std::string& screen) const;
  Step pin_entered(Event& e, const char* op);
  Step after_lookup(Event& e);
  Step after_identity();
  Effects open_issuer();
  Step after_probe_again(const Event& e);
  void wipe();

  std::string screen(StateId id) const;

  Language language_;
  CivilDate today_;
  RecordKind kind_ = RecordKind::license;
  HoldingForm form_ = HoldingForm::both;
  bool resume_ = false;
  bool card_complete_ = false;  // the card's 免許AP was found in state 02
  bool replace_card_ = false;   // the licence is recorded on a lost card this one replaces
  int tries_ = 0;
  std::string problem_;
  Fields dl_;
  Fields basic4_;
  Fields record_;
  std::vector<uint8_t> photo_;
  NewLicensePin choice_;  // the new licence PIN (R-LIC-PIN)
  base::SecretBytes new_pin_for_read_;
  std::string card_id_;  // the My Number card this procedure writes (card_ops: card_id)
  // A Myna-only holder with no plastic licence: the card names them by a JPKI authentication.
  bool card_only_ = false;
  int auth_tries_ = 0;     // the JPKI authentication PIN's tries, from the probe
  std::string challenge_;  // the centre's, hex
  Fields authentication_;  // certificate and signature, until the centre has them
  std::string warning_;
  Fields readout_;
  IssuerRelay relay_;
  friend class MachineFlow<RecordFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
