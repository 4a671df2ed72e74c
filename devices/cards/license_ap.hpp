#pragma once

#include <filesystem>
#include <optional>

#include "devices/apdu/channel.hpp"
#include "devices/cards/license_record.hpp"
#include "devices/cards/pin.hpp"
#include "devices/cards/signature_check.hpp"

namespace mk::devices {

// Everything read back from a 免許AP, with the signature's verdict.
struct LicenseReadout {
  LicensePinSetting setting;
  LicenseRecord record;
  Bytes photo;  // JPEG 2000 codestream
  SignatureCheck signature;
};

// The 免許AP on the My Number card (card-profile.md §4; the record layout is profile v1).
class LicenseAp {
 public:
  explicit LicenseAp(ApduChannel& channel) : channel_(channel) {}

  // False when the card has no 免許AP (SELECT answers 6A82): nothing is recorded.
  bool present();
  LicensePinSetting pin_setting();  // WEF01, free
  int tries();
  VerifyResult verify(base::SecretBytes pin);
  // Needs the license PIN verified. Refuses (CardError wrong_card) a record whose state is not
  // 02 "complete": a reader never shows half-written data. The signature is checked against the
  // license authority CA certificates in `trusted_ca_pem`.
  LicenseReadout read(const std::filesystem::path& trusted_ca_pem);

  // The issuer channel: sends raw, already wrapped commands one by one (the first being the
  // INITIALIZE UPDATE the centre asked for) and returns every answer, stopping after the first
  // that is not 9000. The kiosk holds no key that could build or check these.
  std::vector<Response> relay(const std::vector<Bytes>& wrapped_commands);

 private:
  ApduChannel& channel_;
};

}  // namespace mk::devices
