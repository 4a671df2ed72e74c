#pragma once

// Read back what is recorded on a マイナ免許証 (R-READ), like the NPA reader app: the licence
// PIN's tries left, every field, the photo, and whether the signature holds. A blocked PIN
// (R-LIC-PIN-LOCK) leads to how unlocking works.

#include <optional>
#include <string>
#include <vector>

#include "flows/engine/event.hpp"
#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/language.hpp"

namespace mk::flows {

class ReadBackFlow : public MachineFlow<ReadBackFlow> {
 public:
  explicit ReadBackFlow(Language language);

  // The table, for the engine and for docs/flows.md.
  static const FlowDefinition& definition();

 private:
  static constexpr const char* kScreens = "read_back";  // screen ids: "read_back.<state>"
  ViewModel view(const std::string& screen) const;
  Step after_probe(const Event& e);
  Step after_read(Event& e);
  void wipe();

  Language language_;
  int tries_ = 0;
  std::string pin_problem_;  // text key of the last refused entry
  Fields record_;            // what was read: personal data, wiped at the end
  std::string card_id_;  // which card this is (card_ops: card_id), for the centre's R-LOST check
  std::vector<uint8_t> photo_;
  friend class MachineFlow<ReadBackFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
