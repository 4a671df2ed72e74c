// The card applications against a hostile card (the OpenSC pattern): a fake Transport answers
// every APDU with the next chunk of the fuzzer's input, and the card code must end with a value
// or a CardError, never anything else. The input is one byte choosing the operation, then the
// card's answers, each a 2-byte big-endian length and that many bytes (data + SW1 SW2). When the
// answers run out the card is "removed".
//
// While it runs, the transport also checks what the kiosk sends: every APDU decodes, no VERIFY
// goes out (none of these operations has a PIN to send), and nothing in the 券面事項入力補助
// application touches the My Number EF (card-profile.md §5).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

#include "devices/apdu/card_error.hpp"
#include "devices/apdu/channel.hpp"
#include "devices/apdu/command.hpp"
#include "devices/cards/basic4_info.hpp"
#include "devices/cards/dl_card.hpp"
#include "devices/cards/license_ap.hpp"
#include "devices/cards/my_number_card.hpp"
#include "devices/fuzz/fuzz_support.hpp"
#include "devices/profile/card_profile.hpp"

using namespace mk::devices;
using mk::devices::fuzz::FuzzInput;

namespace {

// The license authority CA the seed corpus' WEF03 chains to (written by fuzz_make_corpus), so
// that the signature check is reached with a real trust anchor.
#ifndef MK_FUZZ_LICENSE_CA
#define MK_FUZZ_LICENSE_CA ""
#endif

class FuzzedCard final : public Transport {
 public:
  explicit FuzzedCard(FuzzInput& input) : input_(input) {}

  Bytes transmit(std::span<const uint8_t> apdu) override {
    check_command(apdu);
    if (input_.empty()) {
      throw CardError(CardErrorKind::card_removed, "fuzz input exhausted");
    }
    const auto answer = input_.chunk();
    return Bytes(answer.begin(), answer.end());
  }

 private:
  void check_command(std::span<const uint8_t> apdu) {
    const auto command = Command::decode(apdu);
    MK_FUZZ_CHECK(command.has_value());
    MK_FUZZ_CHECK(command->encode().size() == apdu.size());
    MK_FUZZ_CHECK(command->ins != 0x20 || command->data.empty());  // no VERIFY with a PIN
    if (command->ins == 0xA4 && command->p1 == 0x04) {
      selected_ = command->data;
    }
    const bool in_basic4 = std::equal(selected_.begin(), selected_.end(),
                                      profile::kBasic4Aid.begin(), profile::kBasic4Aid.end());
    if (in_basic4) {
      const bool select_my_number =
          command->ins == 0xA4 && command->p1 == 0x02 && command->data == Bytes{0x00, 0x01};
      const bool read_my_number = (command->ins == 0xB0 || command->ins == 0xB1) &&
                                  command->p1 == (0x80 | profile::basic4::kMyNumber);
      MK_FUZZ_CHECK(!select_my_number && !read_my_number);
    }
  }

  FuzzInput& input_;
  Bytes selected_;
};

void run(uint8_t operation, ApduChannel& channel) {
  MyNumberCard my_number(channel);
  LicenseAp license(channel);
  DlCard dl(channel);
  switch (operation % 10) {
    case 0: {
      const Basic4Info info = my_number.read_basic4();
      MK_FUZZ_CHECK(is_valid_utf8(info.name) && is_valid_date(info.birth_date));
      break;
    }
    case 1:
      MK_FUZZ_CHECK(!my_number.read_certificate(JpkiKey::auth).empty());
      break;
    case 2:
      MK_FUZZ_CHECK(!my_number.read_certificate(JpkiKey::sign).empty());
      break;
    case 3: {
      const LicenseReadout out = license.read(MK_FUZZ_LICENSE_CA);
      MK_FUZZ_CHECK(out.setting.state == profile::license_ap::RecordState::complete);
      MK_FUZZ_CHECK(out.photo.size() <= profile::license_ap::kMaxPhotoBytes);
      break;
    }
    case 4: {
      const DlEntries entries = dl.read_entries();
      MK_FUZZ_CHECK(entries.license_number.size() == 12);
      break;
    }
    case 5:
      (void)dl.read_common_data();
      (void)dl.pin_set();
      break;
    case 6:
      MK_FUZZ_CHECK(is_valid_utf8(dl.read_honseki()));
      break;
    case 7:
      (void)dl.read_photo();
      break;
    case 8:
      (void)license.pin_setting();
      (void)license.tries();
      break;
    default:
      if (my_number.is_my_number_card()) {
        (void)my_number.jpki_tries(JpkiKey::auth);
        (void)my_number.basic4_tries();
        (void)my_number.read_ca_certificate(JpkiKey::sign);
      }
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  FuzzInput input(std::span<const uint8_t>(raw, size));
  const uint8_t operation = input.byte();
  FuzzedCard card(input);
  ApduChannel channel(card);
  try {
    run(operation, channel);
  } catch (const CardError&) {
    // A hostile or broken card is reported as a CardError: that is the contract.
  }
  return 0;
}
