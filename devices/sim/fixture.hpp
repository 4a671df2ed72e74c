#pragma once

// A test person, read from a TOML fixture (devices/sim/fixtures/*.toml; the format is in
// docs/virtual-cards.md). Everything the two virtual cards hold comes from here.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "devices/sim/encoding.hpp"

namespace mk::devices::sim {

struct LicenseClassDate {
  uint8_t tag = 0;  // the card-profile §3 class tag (0x22..0x33)
  Date date;
};

struct ConventionalLicense {
  std::string number;  // 12 digits
  std::string reference_number;
  Date issue_date, expiry;
  std::string color;  // the colour band of the face: 優良 / 一般 / 新規
  std::vector<std::string> conditions;
  std::string commission;  // 公安委員会
  std::string honseki;     // 本籍
  std::vector<LicenseClassDate> classes;
  std::string spec_version = "008";  // 3 ASCII bytes in EF 2F01
};

struct LicenseApRecord {
  uint8_t record_state = 2;  // 00 empty, 01 being written, 02 complete (profile v1)
  std::string kind = "1";    // "1" license, "2" driving history
  std::string number;        // 12 digits
  Date recording_date, expiry;
  std::string color;  // the colour band (C4): 優良 / 一般 / 新規; none on a history
  std::string commission;
  std::vector<std::string> conditions;
  std::vector<LicenseClassDate> classes;
  std::string history;  // kind "2" only
};

struct Pins {
  std::string jpki_auth, jpki_sign, basic4, dl_pin1, dl_pin2, license;
};

struct Person {
  std::string id;  // the file's stem unless given
  std::string family_name, given_name, kana, address;
  std::string prefecture, city;  // romanised locality for the sign certificate subject
  Date birth_date;
  std::string sex;  // "1" male, "2" female, "9" not applicable
  std::string my_number;
  Pins pins;
  Date cert_not_before, cert_not_after;
  // The My Number card's own last day (on its face; J-LIS knows it): [person] card_expiry, else
  // ten years after its certificates were issued.
  Date card_expiry;
  std::optional<ConventionalLicense> license;
  std::optional<LicenseApRecord> license_ap;
  // マイナ経歴証明書 (R-HISTORY): the driving history the centre holds for someone who returned
  // the licence (kind "2"); not on the card until it is recorded there.
  std::optional<LicenseApRecord> driving_history;
  std::map<std::string, int> initial_tries;  // PIN id -> tries left on a fresh card
  uint32_t photo_seed = 1;
  // Which of the person's My Number cards (CardState::card_serial): not in the fixture, set by the
  // card's state. A later card has its own JPKI keys.
  int card_serial = 1;
  // [centre]: what only the licence centre knows of the person and never goes on a card
  // (R-NO-VIOLATIONS): the driver category for renewals, lectures and 経由申請 (優良 / 一般 /
  // 違反 / 初回更新; default: the band's, 新規 meaning 初回更新), and a suspension.
  std::string driver_category;
  bool suspended = false;
  // The address on the centre's licence record (default: the card's): another one means the
  // person moved and has not reported it yet.
  std::string centre_address;
  // The licence photo on the centre's record (`face`, a JPEG or PNG beside the fixture): what the
  // PIN unlock's photo is compared with. Empty: none (the face check cannot pass).
  std::filesystem::path centre_face;
};

// Throws std::runtime_error naming the file, key and reason. `today` fills "today" dates.
Person load_person(const std::filesystem::path& file, const Date& today);
// Today in Asia/Tokyo: the day every date of the cards and the centre is reckoned in.
Date today_in_japan();

}  // namespace mk::devices::sim
