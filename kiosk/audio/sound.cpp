#include "kiosk/audio/sound.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mk::kiosk {

namespace {

struct Note {
  double hz;
  double start_s;
  double length_s;
  bool chime;  // struck like a bell (decays), or a steady beep
};

// Door-chime and beep patterns people know from shops and ticket machines; every fundamental
// is below 1.1 kHz.
std::vector<Note> notes_of(Sound sound) {
  switch (sound) {
    case Sound::key:
      return {{1000.0, 0.0, 0.06, false}};
    case Sound::idle_warning:
      return {{880.0, 0.0, 0.15, false}, {880.0, 0.25, 0.15, false}, {880.0, 0.5, 0.15, false}};
    case Sound::take_cards:
      return {{784.0, 0.0, 0.45, true}, {523.25, 0.4, 0.8, true}};  // G5, then C5
  }
  return {};
}

}  // namespace

std::string_view sound_name(Sound sound) {
  switch (sound) {
    case Sound::key:
      return "key";
    case Sound::idle_warning:
      return "idle_warning";
    case Sound::take_cards:
      return "take_cards";
  }
  return "?";
}

std::optional<Sound> sound_from_name(std::string_view name) {
  for (const Sound s : kSounds) {
    if (sound_name(s) == name) {
      return s;
    }
  }
  return std::nullopt;
}

std::vector<int16_t> synthesize(Sound sound, int rate, double peak) {
  const auto notes = notes_of(sound);
  double end_s = 0;
  for (const auto& n : notes) {
    end_s = std::max(end_s, n.start_s + n.length_s);
  }
  std::vector<double> mix(static_cast<size_t>(std::ceil(end_s * rate)), 0.0);
  constexpr double kFadeS = 0.005;  // 5 ms in and out: no click
  for (const auto& n : notes) {
    const auto first = static_cast<size_t>(n.start_s * rate);
    const auto count = static_cast<size_t>(n.length_s * rate);
    for (size_t i = 0; i < count && first + i < mix.size(); ++i) {
      const double t = static_cast<double>(i) / rate;
      double envelope = std::min({1.0, t / kFadeS, (n.length_s - t) / kFadeS});
      if (n.chime) {
        envelope *= std::exp(-3.5 * t / n.length_s);
      }
      // A little of the octave above makes a chime sound struck rather than electronic.
      const double phase = 2.0 * std::numbers::pi * n.hz * t;
      const double wave =
          n.chime ? 0.8 * std::sin(phase) + 0.2 * std::sin(2.0 * phase) : std::sin(phase);
      mix[first + i] += envelope * wave;
    }
  }
  double loudest = 0;
  for (const double v : mix) {
    loudest = std::max(loudest, std::abs(v));
  }
  const double gain = loudest > 0 ? std::clamp(peak, 0.0, 1.0) * 32767.0 / loudest : 0.0;
  std::vector<int16_t> samples(mix.size());
  std::transform(mix.begin(), mix.end(), samples.begin(),
                 [gain](double v) { return static_cast<int16_t>(std::lround(v * gain)); });
  return samples;
}

}  // namespace mk::kiosk
