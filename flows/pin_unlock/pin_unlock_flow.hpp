#pragma once

// 暗証番号のロック解除 — the after-hours unlock of a locked licence PIN, by appointment
// (R-LIC-PIN-LOCK: 10 wrong entries lock it; the centre of the prefecture the holder lives in
// unlocks it). Nobody from the staff stands by, so the kiosk checks who is there with three
// factors before anything is written: the card and its JPKI authentication PIN, the card being
// the one that holds the appointment holder's licence, and a photo compared by the centre with
// the licence photo (never the face alone).
//
//   appointment: its number on the pad, or its QR code shown to the camera → the centre checks it
//   in (today, inside its slot, not used, not locked, not at another kiosk)
//   → the My Number card: the 免許AP recorded and the licence PIN really locked (its tries read
//   with an empty VERIFY); a blocked authentication PIN goes to the municipality (the police cannot
//   reset it)
//   → the centre's challenge, signed by the card's authentication key (its PIN, 3 tries)
//   → the photo, taken by the camera when the person is ready
//   → the centre's identity check; a failure may be tried again until the appointment's attempts
//   are spent (flows/rules/pin_unlock.hpp), then it is locked for the staff
//   → the new PIN, twice, warned when easy (NewLicensePin)
//   → the issuer resets the retry counter with the new PIN (RESET RETRY COUNTER, relayed)
//   → an empty VERIFY confirms the counter is back at 10 → done.

#include <string>
#include <vector>

#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/issuer/issuer_relay.hpp"
#include "flows/language.hpp"
#include "flows/license_pin/new_license_pin.hpp"

namespace mk::flows {

class PinUnlockFlow : public MachineFlow<PinUnlockFlow> {
 public:
  // `camera`: this kiosk has one (the QR code check-in; the photo needs it).
  PinUnlockFlow(Language language, bool camera);

  static const FlowDefinition& definition();

 private:
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens = "pin_unlock";  // screen ids: "pin_unlock.<state>"
  ViewModel view(const std::string& screen) const;
  Step after_number(Event& e);
  Step after_scan(Event& e);
  Step after_check_in(Event& e);
  Step after_probe(Event& e);
  Step after_auth_pin(Event& e);
  Step after_authenticate(Event& e);
  Step after_identity(Event& e);
  Step after_confirm(Event& e);
  Effects open_issuer();
  void wipe();

  Language language_;
  bool camera_ = false;
  std::string number_;      // the appointment's
  std::string slot_start_;  // its slot, RFC 3339 (the centre's answer)
  std::string slot_end_;
  std::string holder_ref_;
  std::string refused_;  // the centre's code of the last refusal
  std::string problem_;  // the text key of the last entry's problem
  std::string card_id_;
  bool unconfirmed_ = false;  // the reset was made but the card's counter did not confirm it
  int auth_tries_ = 0;
  std::string challenge_;  // hex, the centre's
  Fields authentication_;  // certificate and signature, until the centre has them
  std::vector<uint8_t> photo_;
  NewLicensePin choice_;
  IssuerRelay relay_;
  friend class MachineFlow<PinUnlockFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
