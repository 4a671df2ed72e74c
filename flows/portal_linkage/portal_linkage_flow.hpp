#pragma once

// 免許情報とマイナポータルの連携 — the part at the centre (FAQ section 5, R-PL-*): the holder of a
// マイナ免許証 or マイナ経歴証明書 submits the card's signing certificate, so that they can then
// link their licence record on the Myna Portal. Doing it is their choice (R-PL-OPTIONAL).
//
//   My Number card (免許AP complete; a locked signing PIN is said before any PIN is typed)
//   → licence PIN, 入力補助 PIN (who: CardIdentification) → the centre's record: a マイナ免許証 or
//   マイナ経歴証明書 on this card, at the centre of the prefecture they live in (R-PL-TARGET)
//   → what the linkage gives and the steps, here and then on the portal (R-PL-OPTIONAL, R-PL-STEPS)
//   → the signing PIN (CardSigning: the centre's nonce, the notice, the last-try screen): the card
//   signs the canonical linkage text (flows/rules/portal_linkage.hpp); an expired certificate ends
//   here (R-CERT-EXPIRY)
//   → the centre's answer → the hand-over: from when the portal step may start (about 30 minutes
//   later, R-PL-WAIT), the portal's steps, a QR code to the portal, and on request a printed slip
//   with the same (nothing personal on it). Out of reach: the same request kept in the outbox, and
//   the person told it will be sent and when the portal step can start after that.

#include <string>

#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/identify/card_identification.hpp"
#include "flows/identify/card_signing.hpp"
#include "flows/language.hpp"
#include "flows/rules/calendar.hpp"
#include "flows/rules/portal_linkage.hpp"

namespace mk::flows {

class PortalLinkageFlow : public MachineFlow<PortalLinkageFlow> {
 public:
  // `terminal`: this kiosk's id, which the signed request names. `printer`: a slip printer is
  // there (else the hand-over is the screen and its QR code).
  PortalLinkageFlow(Language language, CivilDate today, std::string terminal, bool printer);

  static const FlowDefinition& definition();

 private:
  static CardSigning::Setup signing_setup();
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens = "portal_linkage";  // screen ids: "portal_linkage.<state>"
  ViewModel view(const std::string& screen) const;
  Step after_lookup(Event& e);
  Step after_submit(Event& e);
  Step after_print(Event& e);
  Fields submission() const;
  // The hand-over's lines, the same on the screen and the slip: when, the portal's steps, where.
  void hand_over(ViewModel& vm) const;
  ViewModel slip() const;
  void wipe();

  Language language_;
  CivilDate today_;
  std::string terminal_;
  bool printer_ = false;
  CardIdentification ident_;
  CardSigning signing_;  // the canonical linkage text (flows/rules/portal_linkage.hpp)
  std::string holder_ref_;
  LinkageEligibility eligibility_ = LinkageEligibility::eligible;
  std::string available_from_;  // the centre's answer: when the portal step may start (RFC 3339)
  std::string refused_;         // the centre's error code of a refusal
  std::string handed_over_;     // "done" or "queued": where printing returns to
  std::string printed_;         // "", "ok" or the printer's error
  friend class MachineFlow<PortalLinkageFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
