#pragma once

// The first and last days of a certificate the card holds (the JPKI signing certificate), in
// Japan's calendar: the flows decide on days (R-OS-SAME-DAY, R-CERT-EXPIRY), and Japan's day is
// what a person is told ("issued today", "ended on ...").

#include <span>
#include <string>

#include "devices/apdu/bytes.hpp"

namespace mk::devices {

struct CertificateDays {
  std::string not_before;  // YYYY-MM-DD, JST (UTC+9, no daylight saving)
  std::string not_after;
};

// Throws CardError(invalid_response) when `der` is not one X.509 certificate: a card that hands
// out something else is broken or hostile.
CertificateDays certificate_days(std::span<const uint8_t> der);

}  // namespace mk::devices
