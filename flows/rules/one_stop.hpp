#pragma once

// The address-change one-stop service (住所変更ワンストップサービス等, FAQ section 4, R-OS-*): who
// may start it, what they consent to, and the consent document their card signs. One copy of these
// rules serves the kiosk's flow and the centre simulator, which checks what the kiosk sent.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flows/rules/holding_form.hpp"

namespace mk::flows {

// The version of the terms the kiosk shows (catalogue keys one_stop.terms.*): a consent names the
// version it accepted, and the centre refuses a version it does not know.
inline constexpr std::string_view kOneStopTermsVersion = "2026-04";

inline constexpr int kConsentValidYears = 10;  // R-OS-VALIDITY

// R-OS-STEPS ②: what the police may receive from the municipality's change. At least one.
struct ConsentItems {
  bool address = false;
  bool name = false;
  bool birth_date = false;

  bool any() const { return address || name || birth_date; }
  friend bool operator==(const ConsentItems&, const ConsentItems&) = default;
};

// The item names, in the one order the document and every screen use.
inline constexpr std::string_view kConsentItemNames[] = {"address", "name", "birth_date"};
// True for a name of kConsentItemNames; sets that item.
bool set_consent_item(ConsentItems& items, std::string_view name);
bool consent_item(const ConsentItems& items, std::string_view name);
// Chosen becomes not chosen and the other way round; false for an unknown name (nothing changes).
bool toggle_consent_item(ConsentItems& items, std::string_view name);
// The chosen items' names, space separated, in that order ("address birth_date"), and back:
// nullopt for an unknown or repeated name, another order, or stray spaces.
std::string consent_item_list(const ConsentItems& items);
std::optional<ConsentItems> parse_consent_item_list(std::string_view list);

enum class OneStopEligibility {
  eligible,
  not_recorded,      // nothing (or not all) on the card: the record flow first
  not_myna_only,     // R-OS-TARGET: the plastic licence is held too
  driving_history,   // a マイナ経歴証明書 holder: the service concerns licences only
  record_elsewhere,  // the record is on another card (R-LOST)
  not_home_centre,   // FAQ 4: started at the centre of the prefecture the person lives in
};

// R-OS-TARGET from the centre's record of the person at the kiosk.
OneStopEligibility one_stop_eligibility(HoldingForm form, bool recorded_on_card, bool history,
                                        bool record_on_this_card, bool at_home_centre);

// What the card signs (R-OS-STEPS ③): one canonical text, UTF-8, one field a line, in this
// order, each line ending in LF, nothing else:
//
//   mynakiosk-onestop-consent/1
//   holder: <the centre's holder reference>
//   items: <chosen item names, space separated, in kConsentItemNames order>
//   terms: <kOneStopTermsVersion>
//   terminal: <the kiosk's terminal id>
//   time: <the centre's time when it issued the nonce, RFC 3339>
//   nonce: <the centre's nonce for this consent, uppercase hex>
//
// The centre issued the nonce to this terminal for this one consent: a document signed for one
// session cannot be sent again in another.
struct ConsentDocument {
  std::string holder_ref;
  ConsentItems items;
  std::string terms_version;
  std::string terminal;
  std::string time;
  std::string nonce_hex;

  friend bool operator==(const ConsentDocument&, const ConsentDocument&) = default;
};

inline constexpr std::string_view kConsentDocumentHeader = "mynakiosk-onestop-consent/1";

// The bytes to sign. Values must not hold a line break (the parse would not give them back):
// std::invalid_argument then, and for no item chosen.
std::string to_canonical_text(const ConsentDocument& document);
// The document those bytes are, only when they are exactly its canonical text (no other order,
// spacing, case or trailing data): what was signed is what is read.
std::optional<ConsentDocument> parse_consent_document(std::string_view text);

}  // namespace mk::flows
