#pragma once

// What the issuer hands the kiosk to relay to a My Number card's ISD and 免許AP
// (docs/issuer-channel.md, "Commands" and "The write procedure"). The kiosk sends each list with
// LicenseAp::relay, one APDU at a time, stopping at the first status other than 9000, and
// returns every answer; check_relay_answers() then verifies them.
//
// The exact sequence of recording license data:
//
//   Phase 1 — the ISD (first time only: skipped when the card already has a 免許AP whose WEF01
//   state is 01, which resumes at phase 2):
//     relay flow, plain:   00 A4 04 0C 07 A0 00 00 01 51 00 00       SELECT ISD (select_command)
//                          80 50 30 00 08 <host challenge> 00         INITIALIZE UPDATE
//     issuer:              Scp03Host isd(master, host challenge, the 29 answer bytes)
//     isd_commands(isd):   84 82 13 00 10 <host cryptogram> <C-MAC>   EXTERNAL AUTHENTICATE
//                          84 E6 0C 00 Lc <enc INSTALL data> <C-MAC>  INSTALL [install+selectable]
//
//   Phase 2 — the 免許AP:
//     relay flow, plain:   00 A4 04 0C 10 <免許AP AID>                  SELECT 免許AP
//                          80 50 30 00 08 <host challenge> 00         INITIALIZE UPDATE
//     issuer:              Scp03Host ap(master, host challenge, the 29 answer bytes)
//     license_ap_commands(ap):
//                          EXTERNAL AUTHENTICATE
//                          SELECT EF WEF01 (84 A4 02 0C), UPDATE BINARY 0000:
//                            C1 01 00 C2 01 01 + FF to 32 bytes         (being written)
//                          SELECT EF WEF02, UPDATE BINARY chunks       (image + FF to 1024)
//                          SELECT EF WEF04, UPDATE BINARY chunks       (image + FF to 4608)
//                          SELECT EF WEF03, UPDATE BINARY chunks       (image + FF to 2048)
//                          84 24 01 86 CHANGE REFERENCE DATA, the 4 PIN digits (ASCII)
//                          SELECT EF WEF01, UPDATE BINARY 0000:
//                            C1 01 01 C2 01 02 + FF to 32 bytes         (complete), last
//     Chunks carry 200 plaintext bytes (the last one the rest), at offsets 0, 200, 400, ...
//
//   Phase 3 — the kiosk reads the record back with the license PIN (LicenseAp::read).
//
// So each phase is two relay round trips: [SELECT, INITIALIZE UPDATE] (a fresh random host
// challenge each time, Scp03Host::random_host_challenge), then the list built here; its answers
// go to check_relay_answers(host, list.size(), answers). An INITIALIZE UPDATE answered 61xx is
// completed by the kiosk's channel (GET RESPONSE) before it returns the 29 bytes + 9000.
//
// Deleting the 免許AP: SELECT ISD, INITIALIZE UPDATE, then delete_commands(isd).
// A new PIN: SELECT 免許AP, INITIALIZE UPDATE, then reset_pin_commands(ap, pin).
//
// Every command after EXTERNAL AUTHENTICATE is wrapped with CLA 80 (sent as 84), C-DECRYPTION
// and C-MAC; the PIN leaves this code only encrypted.

#include <optional>
#include <span>
#include <string>

#include "base/secret_bytes.hpp"
#include "center/issuer/scp03_host.hpp"

namespace mk::center::issuer {

// The card facts the issuer needs (profile v1; they mirror devices/profile/card_profile.hpp,
// which the center layer may not include).
namespace card {
inline constexpr std::array<uint8_t, 7> kIsdAid = {0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00};
inline constexpr std::array<uint8_t, 16> kLicenseApAid = {
    0xA0, 0x00, 0x00, 0x02, 0x31, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
// Load file and module AID of the INSTALL.
inline constexpr std::array<uint8_t, 6> kLicenseApPackageAid = {0xA0, 0x00, 0x00, 0x02, 0x31, 0x06};
inline constexpr uint16_t kWef01 = 0x001A;
inline constexpr uint16_t kWef02 = 0x001B;
inline constexpr uint16_t kWef03 = 0x001C;
inline constexpr uint16_t kWef04 = 0x001D;
inline constexpr size_t kWef01Size = 32;
inline constexpr size_t kWef02Size = 1024;
inline constexpr size_t kWef03Size = 2048;
inline constexpr size_t kWef04Size = 4608;
inline constexpr uint8_t kPinP2 = 0x86;
inline constexpr size_t kPinDigits = 4;
inline constexpr size_t kMaxUpdateChunk = 200;  // plaintext bytes per UPDATE BINARY
}  // namespace card

// A plain SELECT by AID, 00 A4 04 0C Lc <aid> (first or only occurrence, no response data: the
// form devices/ uses), for the relay flow to send before INITIALIZE UPDATE.
Bytes select_command(std::span<const uint8_t> aid);

// The EF contents the caller built (encoded and signed); each at most its EF's size.
struct LicenseImage {
  Bytes wef02;  // license data
  Bytes wef03;  // electronic signature
  Bytes wef04;  // photo
};

class LicenseWritePlan {
 public:
  // Throws IssuerError when an image is larger than its EF or the PIN is not 4 ASCII digits.
  LicenseWritePlan(LicenseImage image, base::SecretBytes new_pin);
  // A renewal's rewrite (R-RENEW-REWRITE): the same card, new data, the holder's PIN kept — phase
  // 2 without CHANGE REFERENCE DATA.
  static LicenseWritePlan rewrite(LicenseImage image);

  // Phase 1: [EXTERNAL AUTHENTICATE, INSTALL for the 免許AP]. `isd` is a fresh session with the
  // ISD (its EXTERNAL AUTHENTICATE not sent yet).
  std::vector<Bytes> isd_commands(Scp03Host& isd) const;
  // Phase 2: [EXTERNAL AUTHENTICATE, WEF01 := writing, WEF02, WEF04, WEF03, CHANGE REFERENCE
  // DATA (not for a rewrite), WEF01 := complete]. `ap` is a fresh session with the 免許AP.
  std::vector<Bytes> license_ap_commands(Scp03Host& ap) const;

 private:
  explicit LicenseWritePlan(LicenseImage image);

  LicenseImage image_;
  base::SecretBytes pin_;
  bool set_pin_ = true;
};

// [EXTERNAL AUTHENTICATE, DELETE 4F 10 <免許AP AID>] on a fresh ISD session.
std::vector<Bytes> delete_commands(Scp03Host& isd);
// [EXTERNAL AUTHENTICATE, RESET RETRY COUNTER 84 2C 02 86 with the new PIN] on a fresh 免許AP
// session. Throws IssuerError unless the PIN is 4 ASCII digits.
std::vector<Bytes> reset_pin_commands(Scp03Host& ap, const base::SecretBytes& new_pin);

// The verdict on the answers the kiosk relayed for one of the lists above.
struct RelayVerdict {
  bool complete = false;  // every command answered 9000 with a valid R-MAC
  size_t accepted = 0;    // how many commands, from the first, were answered 9000 and verified
  std::optional<std::string> problem;  // why not complete
  uint16_t status = 0;  // SW1 SW2 of the first answer not accepted (0: none, or it was missing)
};

// Checks `answers` (each with SW1 SW2) to a list of `command_count` commands built by one of the
// functions above on `host`: the first answer (EXTERNAL AUTHENTICATE) must be exactly 90 00,
// answer k > 0 must carry the R-MAC of the k-th wrapped command and 90 00. Stops at the first
// problem; a missing answer (the kiosk stopped) is one.
RelayVerdict check_relay_answers(const Scp03Host& host, size_t command_count,
                                 const std::vector<Bytes>& answers);

}  // namespace mk::center::issuer
