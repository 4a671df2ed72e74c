#pragma once

// How the centre simulator writes times, dates and identifiers: RFC 3339 in Japan time, ISO
// dates of the fixtures' calendar, random hex ids, SHA-256 in hex, a card's identity.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "devices/sim/encoding.hpp"

namespace mk::center::sim {

std::string rfc3339_jst(std::chrono::system_clock::time_point t);
// The instant rfc3339_jst wrote ("2026-11-27T10:15:00+09:00"); any offset, or Z. nullopt for
// anything else.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);
std::string iso(const devices::sim::Date& d);

std::chrono::year_month_day ymd_of(const devices::sim::Date& d);
// A day of a month that may not have it (29 February): the month's last day.
devices::sim::Date clamped(std::chrono::year_month_day d);

std::string random_hex(size_t bytes);
std::string sha256_hex(std::string_view text);
// A card's identity as the kiosk derives it (SHA-256 of its JPKI authentication certificate,
// devices/cards/my_number_card.cpp), in the wire's lowercase spelling.
std::string card_id_of_certificate(std::span<const uint8_t> der);

}  // namespace mk::center::sim
