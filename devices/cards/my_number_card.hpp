#pragma once

#include <span>

#include "devices/apdu/channel.hpp"
#include "devices/cards/basic4_info.hpp"
#include "devices/cards/pin.hpp"

namespace mk::devices {

enum class JpkiKey { auth, sign };

// The public applications of the My Number card the kiosk uses: JPKI (certificates, PIN tries,
// signing) and 券面事項入力補助 (the basic 4 info only). There is deliberately no way here to
// read the My Number; the channel's guard refuses it even if code were added.
class MyNumberCard {
 public:
  explicit MyNumberCard(ApduChannel& channel) : channel_(channel) {}

  // True when the card answers SELECT of the JPKI application.
  bool is_my_number_card();

  int jpki_tries(JpkiKey key);
  VerifyResult verify_jpki(JpkiKey key, base::SecretBytes pin);
  // DER. The signing certificate needs the signing PIN verified in this session.
  Bytes read_certificate(JpkiKey key);
  Bytes read_ca_certificate(JpkiKey key);
  // Which card this is, without a PIN and without the My Number: SHA-256 of the JPKI
  // authentication certificate (public, unique per card). A flow that resumes a write compares
  // it, so that a different person's card is never finished with someone else's licence.
  Bytes fingerprint();
  // PKCS#1 v1.5 signature (256 bytes) of a DigestInfo; needs that key's PIN verified.
  Bytes sign(JpkiKey key, std::span<const uint8_t> digest_info);

  int basic4_tries();
  VerifyResult verify_basic4(base::SecretBytes pin);
  // Needs the 入力補助 PIN verified in this session.
  Basic4Info read_basic4();

  // Optional 免許AP presence is asked of LicenseAp, not here.

 private:
  void select(std::span<const uint8_t> aid, std::string_view what);

  ApduChannel& channel_;
};

// SHA-256 DigestInfo (the DER prefix + the hash) of `data`, ready for MyNumberCard::sign.
Bytes sha256_digest_info(std::span<const uint8_t> data);

}  // namespace mk::devices
