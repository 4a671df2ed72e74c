#pragma once

// A document signed with the card's JPKI signing key (署名用電子証明書), for the procedures that
// submit it to the centre (the one-stop service's consent, the portal linkage):
//
//   preparing: the centre's nonce for this one document (purpose named by the flow)
//   → sign_notice: what 5 wrong tries do and who resets them (R-OS-PIN-LOCK), the tries left
//   → sign_last_try at one try left: a screen of its own before the pad
//   → sign_pin: 6–16 A–Z 0–9 (a PIN that cannot be right is not sent)
//   → signing: SELECT, empty VERIFY, VERIFY, the certificate, SIGN (card op jpki_sign)
//   → the certificate's standing on the card's own dates: expired or issued today (where that
//     matters, R-OS-SAME-DAY) ends here, before anything is sent → the flow's own next state.
// Ends: nonce_unavailable (→ preparing on "retry"), sign_blocked, cert_expired, same_day.
//
// Each flow declares these states in its table (declare) and lets this piece handle them
// (add_behaviours), like CardIdentification. Screens are "<prefix>.<state>", with the flow's
// own texts: "<prefix>.sign_tries_left", ".sign_pin_format", ".sign_pin_wrong", ".continue".

#include <functional>
#include <map>
#include <string>

#include "flows/engine/machine.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/rules/calendar.hpp"
#include "flows/view_model.hpp"

namespace mk::flows {

// The states CardSigning adds to a flow (same_day only where that matters).
namespace signing_state {
inline constexpr StateId preparing{"preparing"};
inline constexpr StateId nonce_unavailable{"nonce_unavailable"};
inline constexpr StateId sign_notice{"sign_notice"};
inline constexpr StateId sign_last_try{"sign_last_try"};
inline constexpr StateId sign_pin{"sign_pin"};
inline constexpr StateId signing{"signing"};
inline constexpr StateId sign_blocked{"sign_blocked"};
inline constexpr StateId cert_expired{"cert_expired"};
inline constexpr StateId same_day{"same_day"};
// Where the centre's refusals of the signed submission lead (declare_refusals): states the flow
// declares itself, with its own screens.
inline constexpr StateId queuing{"queuing"};
inline constexpr StateId cert_revoked{"cert_revoked"};
inline constexpr StateId not_eligible{"not_eligible"};
inline constexpr StateId submit_failed{"submit_failed"};
}  // namespace signing_state

class CardSigning {
 public:
  static constexpr StateId kFirst = signing_state::preparing;

  struct Setup {
    std::string prefix;            // the flow's screen prefix ("one_stop")
    StateId next;                  // the flow's state once the card signed
    std::string nonce_purpose;     // what the centre issues the nonce for ("onestop_consent")
    bool same_day_matters = true;  // a certificate issued today ends the procedure (R-OS-SAME-DAY)
  };

  // What the card signs, made from the nonce (uppercase hex) and the time the centre issued it.
  using Document =
      std::function<std::string(const std::string& nonce_hex, const std::string& issued_at)>;

  // Adds preparing, nonce_unavailable, sign_notice, sign_last_try, sign_pin, signing, and the
  // ends sign_blocked, cert_expired and (same_day_matters) same_day, all → finished on "done".
  static void declare(FlowDefinition& d, const Setup& setup);

  // `today`: the day the certificate's standing is judged on.
  CardSigning(Setup setup, CivilDate today, std::function<Effects(const std::string&)> show,
              Document document);

  void add_behaviours(std::map<std::string, StateBehaviour>& b);

  // For CardIdentification::check_before_pins: the outcome "signing_pin_locked" (declare() sends
  // it to sign_blocked) when the probe read the signing PIN locked — said before any PIN is
  // typed — else "". A count the probe could not read is found out at the signing, with its own
  // answer.
  std::string check_probe(const Fields& probe);

  // The screens sign_notice, sign_last_try and sign_pin: the tries left, the pad, the problem.
  // False for another screen.
  bool screen(ViewModel& vm, const std::string& state) const;

  // Once signed: the nonce that names the document, and what the centre is sent — the document,
  // the card's signature and its certificate (hex: document, signature, certificate).
  const std::string& nonce_hex() const { return nonce_hex_; }
  Fields signed_document() const;

  // The outcome of the centre's refusal of the signed submission, the same for every flow that
  // submits one: out of reach or failing on its side ("unavailable", "internal") → "center_away"
  // (the outbox sends the same request later: not a refusal of it); the certificate revoked,
  // expired or (where that matters) issued today → "cert_revoked", "cert_expired",
  // "cert_issued_today"; "not_eligible"; anything else → "refused" (staff).
  std::string after_refusal(const std::string& outcome) const;
  // Where those outcomes lead from the flow's `submitting` state: queuing, cert_revoked,
  // cert_expired, same_day, not_eligible and submit_failed (the flow declares queuing,
  // cert_revoked, not_eligible and submit_failed itself).
  static void declare_refusals(FlowDefinition& d, const Setup& setup, StateId submitting);

  void wipe();

 private:
  Step after_nonce(Event& e);
  Step pin_entered(Event& e);
  Step after_signing(Event& e);

  Setup setup_;
  std::function<Effects(const std::string&)> show_;
  Document make_document_;
  CivilDate today_;
  int tries_ = 0;
  std::string problem_;  // the last signing PIN entry's problem (a text key)
  std::string nonce_hex_;
  std::string issued_at_;
  std::string document_;
  Fields signed_;  // document, certificate, signature (hex)
};

}  // namespace mk::flows
