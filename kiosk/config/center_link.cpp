#include "kiosk/config/center_link.hpp"

namespace mk::kiosk {

center::client::CenterLinkConfig center_link(const Config& config) {
  center::client::CenterLinkConfig link;
  link.base_url = config.center.url;
  link.ca_file = config.center.ca_file;
  link.pinned_public_key = config.center.pinned_public_key;
  link.client_cert_file = config.center.client_cert;
  link.client_key_file = config.center.client_key;
  link.terminal_id = config.kiosk.terminal_id;
  link.connect_timeout = std::chrono::seconds(config.center.connect_timeout_s);
  link.total_timeout = std::chrono::seconds(config.center.request_timeout_s);
  return link;
}

}  // namespace mk::kiosk
