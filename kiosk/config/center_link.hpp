#pragma once

// The centre link a configuration describes ([center], [kiosk] terminal_id), for the kiosk and
// for --check-config alike.

#include "center/client/center_link_config.hpp"
#include "kiosk/config/config.hpp"

namespace mk::kiosk {

center::client::CenterLinkConfig center_link(const Config& config);

}  // namespace mk::kiosk
