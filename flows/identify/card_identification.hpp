#pragma once

// Who is at the kiosk, on the My Number card alone — for the procedures that change a マイナ免許証
// already recorded (holding-form change, renewal rewrite):
//
//   place_card: the card, its 免許AP complete (tries read with empty VERIFYs, never a guess)
//   → license_pin: the licence PIN reads the signed record (which licence; the signature must hold)
//   → basic4_pin: the 入力補助 PIN reads the basic 4 info (who: for the centre's lookup)
//   → the flow's own next state.
//
// Each flow declares these states in its table (declare) and lets this piece handle them
// (add_behaviours), like IssuerRelay. Screens are "<prefix>.<state>": the flow's own texts.

#include <functional>
#include <map>
#include <string>

#include "flows/engine/machine.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/view_model.hpp"

namespace mk::flows {

// The states CardIdentification adds to a flow.
namespace identify_state {
inline constexpr StateId place_card{"place_card"};
inline constexpr StateId license_pin{"license_pin"};
inline constexpr StateId reading_license{"reading_license"};
inline constexpr StateId basic4_pin{"basic4_pin"};
inline constexpr StateId reading_basic4{"reading_basic4"};
inline constexpr StateId no_record{"no_record"};
inline constexpr StateId incomplete{"incomplete"};
inline constexpr StateId license_blocked{"license_blocked"};
inline constexpr StateId basic4_blocked{"basic4_blocked"};
inline constexpr StateId wrong_card{"wrong_card"};
inline constexpr StateId card_error{"card_error"};
inline constexpr StateId card_pulled{"card_pulled"};
// The flow's own state that asks the centre who this is (see CardIdentification::looking_up).
inline constexpr StateId looking_up{"looking_up"};
}  // namespace identify_state

class CardIdentification {
 public:
  static constexpr StateId kFirst = identify_state::place_card;

  // Adds place_card, license_pin, reading_license, basic4_pin, reading_basic4 (→ `next` once the
  // basic 4 info is read) and their ends: no_record, incomplete, license_blocked, basic4_blocked
  // (→ finished) and wrong_card, card_error, card_pulled (→ place_card on "retry").
  static void declare(FlowDefinition& d, StateId next);

  // `show` draws a screen of the flow ("<prefix>.<state>" is passed). `keep_license_pin`: keep a
  // copy of the licence PIN the person typed, for reading the record back later in the same
  // procedure (wiped by wipe()).
  CardIdentification(std::string prefix, std::function<Effects(const std::string&)> show,
                     bool keep_license_pin);

  void add_behaviours(std::map<std::string, StateBehaviour>& b);

  // A flow's own look at the card before any PIN (the signing PIN locked, say): given the probe's
  // fields of a card that passed the checks here, an outcome that goes elsewhere than the licence
  // PIN, or "". The flow's table names where (kFirst, that outcome) leads.
  void check_before_pins(std::function<std::string(const Fields&)> check) {
    before_pins_ = std::move(check);
  }

  // The screen of either PIN (license_pin, basic4_pin), the same in every flow: the 4-digit pad,
  // the tries left ("<prefix>.tries_left"), the last entry's problem, cancel.
  void pin_screen(ViewModel& vm) const;

  // For the PIN screens: the tries of the PIN asked, and the problem with the last entry.
  int tries() const { return tries_; }
  const std::string& problem() const { return problem_; }

  const Fields& license() const { return license_; }  // the card's record: number, expiry, ...
  const Fields& basic4() const { return basic4_; }    // name, address, birth_date, ...
  const std::string& card_id() const { return card_id_; }
  const base::SecretBytes& license_pin() const { return license_pin_; }
  // The centre lookup of the person identified: the card's licence number and basic 4 info.
  CenterRequest lookup_request() const;
  // The flow's "looking_up" state, the same in every flow: shows "<prefix>.looking_up", asks the
  // centre who this is (lookup_request) and hands the centre's answer to `after`.
  StateBehaviour looking_up(std::function<Step(Event&)> after) const;

  void wipe();

 private:
  Step pin_entered(Event& e, const char* op);
  Step after_probe(const Event& e);
  Step after_read_license(Event& e);
  Step after_read_basic4(Event& e);

  std::string prefix_;
  std::function<Effects(const std::string&)> show_;
  std::function<std::string(const Fields&)> before_pins_;
  bool keep_license_pin_ = false;
  int tries_ = 0;
  int basic4_tries_ = 0;
  std::string problem_;
  std::string card_id_;
  base::SecretBytes license_pin_;
  Fields license_;
  Fields basic4_;
};

}  // namespace mk::flows
