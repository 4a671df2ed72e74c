#pragma once

// 住所変更ワンストップサービス等の開始 (FAQ section 4, R-OS-*): a Myna-only holder consents that
// the municipality's change of their address, name or birth date reaches their licence record, by
// signing the consent with their card's JPKI signing key. Doing it again renews it
// (R-OS-VALIDITY).
//
//   My Number card (免許AP complete; a locked signing PIN is said before any PIN is typed)
//   → licence PIN, 入力補助 PIN (who: CardIdentification) → the centre's record: only a Myna-only
//   holder whose record is on this card (R-OS-TARGET)
//   → the terms, page by page, "accept" on the last (R-OS-STEPS ①)
//   → the items, at least one; what is not chosen stays a counter report (②, R-OS-UNCONSENTED)
//   → the centre's nonce for this consent → what a locked signing PIN means (R-OS-PIN-LOCK), and
//   at one try left a screen of its own → the signing PIN (③): the card signs the canonical
//   consent (flows/rules/one_stop.hpp); a certificate issued today or expired ends here
//   (R-OS-SAME-DAY, R-CERT-EXPIRY)
//   → the centre's answer: the items and the 10 years (④, R-OS-VALIDITY); revoked: the
//   municipality (R-OS-REFLECT); out of reach: the same request kept in the outbox, and the
//   person told it is not registered yet.

#include <string>
#include <vector>

#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/identify/card_identification.hpp"
#include "flows/identify/card_signing.hpp"
#include "flows/language.hpp"
#include "flows/rules/calendar.hpp"
#include "flows/rules/one_stop.hpp"

namespace mk::flows {

// The items a centre's answer names ("address birth_date"), one detail line each, in the one order:
// what the start and the cancellation both show.
std::vector<TextRef> consent_item_lines(const std::string& item_list);

class OneStopFlow : public MachineFlow<OneStopFlow> {
 public:
  // `terminal`: this kiosk's id, which the consent names.
  OneStopFlow(Language language, CivilDate today, std::string terminal);

  static const FlowDefinition& definition();

 private:
  static CardSigning::Setup signing_setup();
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens = "one_stop";  // screen ids: "one_stop.<state>"
  ViewModel view(const std::string& screen) const;
  Step after_lookup(Event& e);
  Step after_submit(Event& e);
  Fields submission() const;
  void wipe();

  Language language_;
  CivilDate today_;
  std::string terminal_;
  CardIdentification ident_;
  CardSigning signing_;  // the canonical consent (flows/rules/one_stop.hpp)
  std::string holder_ref_;
  OneStopEligibility eligibility_ = OneStopEligibility::eligible;
  ConsentItems items_;
  Fields consent_;       // the centre's answer: items, valid_from, valid_until, renewed
  std::string refused_;  // the centre's error code of a refusal
  friend class MachineFlow<OneStopFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
