#pragma once

#include <nlohmann/json.hpp>

#include "devices/cards/basic4_info.hpp"
#include "devices/cards/dl_card.hpp"
#include "devices/cards/license_ap.hpp"

namespace mk::devices {

// The JSON shapes mynacard prints (documented in docs/mynacard.md).
nlohmann::json to_json(const Basic4Info& info);
nlohmann::json to_json(const DlEntries& entries);
nlohmann::json to_json(const LicenseReadout& readout);
nlohmann::json to_json(const std::vector<HeldClass>& classes);

}  // namespace mk::devices
