#pragma once

// 免許情報とマイナポータルの連携 (FAQ section 5, R-PL-*): who may submit the signing certificate
// for it at the centre, what the card signs, and what the person does next on the Myna Portal. One
// copy of these rules serves the kiosk's flow and the centre simulator, which checks what the
// kiosk sent.

#include <optional>
#include <string>
#include <string_view>

namespace mk::flows {

// R-PL-WAIT: the portal step may start about 30 minutes after the submission at the centre.
inline constexpr int kPortalWaitMinutes = 30;

// Where the person goes next (R-PL-STEPS ②: log in to the Myna Portal), drawn as a QR code on the
// screen and on the slip, and the NPA's manual the FAQ points to for the steps.
inline constexpr std::string_view kMynaPortalUrl = "https://myna.go.jp/";
inline constexpr std::string_view kPortalLinkageManualUrl =
    "https://www.npa.go.jp/bureau/traffic/mynaportalmanual2025.pdf";

enum class LinkageEligibility {
  eligible,
  not_recorded,  // no マイナ免許証 or マイナ経歴証明書 on this card yet (R-PL-TARGET)
  record_elsewhere,  // the record is on another card (R-LOST)
  not_home_centre,   // FAQ 5 ①: at the centre of the prefecture the person lives in
};

// R-PL-TARGET: a holder of a マイナ免許証 (alone or with the plastic licence) or of a
// マイナ経歴証明書, from the centre's record of the person at the kiosk.
LinkageEligibility linkage_eligibility(bool recorded_on_card, bool record_on_this_card,
                                       bool at_home_centre);

// What the card signs (R-PL-STEPS ①), in the canonical form of flows/rules/canonical_text.hpp:
//
//   mynakiosk-portal-linkage/1
//   holder: <the centre's holder reference>
//   terminal: <the kiosk's terminal id>
//   time: <the centre's time when it issued the nonce, RFC 3339>
//   nonce: <the centre's nonce for this request, uppercase hex>
struct LinkageDocument {
  std::string holder_ref;
  std::string terminal;
  std::string time;
  std::string nonce_hex;

  friend bool operator==(const LinkageDocument&, const LinkageDocument&) = default;
};

inline constexpr std::string_view kLinkageDocumentHeader = "mynakiosk-portal-linkage/1";

// The bytes to sign; std::invalid_argument for an empty value or one with a line break.
std::string to_canonical_text(const LinkageDocument& document);
// The document those bytes are, only when they are exactly its canonical text.
std::optional<LinkageDocument> parse_linkage_document(std::string_view text);

}  // namespace mk::flows
