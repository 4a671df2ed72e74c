#pragma once

#include <optional>
#include <string>

#include "devices/apdu/bytes.hpp"
#include "devices/apdu/command.hpp"

namespace mk::devices {

// Makes reading the My Number impossible for the kiosk, whatever a caller asks: while the
// 券面事項入力補助 application is selected, only the commands needed for the basic 4 info pass —
// SELECT EF 0011 (PIN) / 0002 (basic 4), VERIFY of PIN 0011, READ BINARY of EF 0002. Everything
// else (EF 0001 My Number, 照合番号A, any other file) is refused before it reaches the card.
// The 券面事項確認 application (its face image carries the My Number) may not be selected at all.
class MyNumberGuard {
 public:
  // nullopt when the command may go out; else the reason it may not.
  std::optional<std::string> check(const Command& command) const;
  // Called after the card answered 9000 to the command: tracks the selected application and EF.
  void on_success(const Command& command);
  // Called after a SELECT the card refused: the card's selection is unchanged.
  void on_failed_select(const Command& command);

  const Bytes& selected_application() const { return application_; }

 private:
  Bytes application_;
  std::optional<uint16_t> ef_;
};

}  // namespace mk::devices
