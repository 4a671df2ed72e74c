#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace mk::kiosk {

// The kiosk's sounds besides speech. Each is short (under 3 s, ../shared/accessibility.md) with
// its fundamental at most 2.5 kHz (JIS S 0013), which older ears still hear.
enum class Sound {
  key,           // a PIN pad key was touched (the digit is never spoken: a tone confirms it)
  idle_warning,  // the session is about to end: touch "more time"
  take_cards,    // a chime, repeated until every card is off the reader
};
inline constexpr std::array kSounds{Sound::key, Sound::idle_warning, Sound::take_cards};

std::string_view sound_name(Sound sound);  // "key", "idle_warning", "take_cards"
std::optional<Sound> sound_from_name(std::string_view name);

// The sound as signed 16-bit mono samples at `rate` Hz, its loudest sample `peak` of full scale
// (0 to 1), faded in and out so that it starts and ends without a click.
std::vector<int16_t> synthesize(Sound sound, int rate, double peak);

}  // namespace mk::kiosk
