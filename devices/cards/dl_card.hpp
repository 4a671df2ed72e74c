#pragma once

#include "devices/apdu/channel.hpp"
#include "devices/cards/dl_record.hpp"
#include "devices/cards/jpeg2000.hpp"
#include "devices/cards/pin.hpp"
#include "devices/profile/card_profile.hpp"

namespace mk::devices {

// The conventional IC driver's license (card-profile.md §3). PIN1 opens the 記載事項; PIN1 and
// PIN2 open the 本籍 and the photo. Files under the MF are read before any DF is selected.
class DlCard {
 public:
  explicit DlCard(ApduChannel& channel) : channel_(channel) {}

  // True when the card has the license's DF1 (checked by SELECT, which the card answers 6A82
  // when it is not a license).
  bool is_driving_license();

  DlCommonData read_common_data();  // MF EF 2F01, free
  bool pin_set();                   // MF EF 000A; false means the PINs are "****"
  int tries(PinKind pin);           // dl_pin1 or dl_pin2
  VerifyResult verify(PinKind pin, base::SecretBytes value);

  DlEntries read_entries();    // needs PIN1
  std::string read_honseki();  // needs PIN1 + PIN2
  Bytes read_photo();          // JPEG 2000 codestream; needs PIN1 + PIN2

 private:
  void select_df(std::span<const uint8_t> aid, std::string_view what);
  Bytes read_mf_ef(profile::Fid fid, std::string_view what);

  ApduChannel& channel_;
};

}  // namespace mk::devices
