// The kiosk's sounds as samples: short, low enough for older ears (JIS S 0013: fundamental at
// most 2.5 kHz), at the configured level, and without clicks.
#include "kiosk/audio/sound.hpp"

#include <cmath>
#include <cstdlib>

#include <gtest/gtest.h>

#include "tests/support/tone_energy.hpp"

namespace mk::kiosk {
namespace {

constexpr int kRate = 8000;

// The frequency (Hz, 10 Hz steps up to the Nyquist) where `samples` have most energy, and the
// share of the energy above `above_hz`.
struct Spectrum {
  double peak_hz = 0;
  double share_above = 0;
};
Spectrum spectrum(const std::vector<int16_t>& samples, double above_hz) {
  Spectrum out;
  double best = 0;
  double total = 0;
  double high = 0;
  for (int bin = 1; bin * 10 < kRate / 2; ++bin) {
    const double f = bin * 10.0;
    const double energy = test::energy_at(samples, 0, samples.size(), f, kRate);
    total += energy;
    high += f > above_hz ? energy : 0;
    if (energy > best) {
      best = energy;
      out.peak_hz = f;
    }
  }
  out.share_above = high / total;
  return out;
}

TEST(SoundTest, EachIsShortLowAndAtTheConfiguredLevel) {
  for (const Sound sound : kSounds) {
    const auto samples = synthesize(sound, kRate, 0.5);
    ASSERT_FALSE(samples.empty());
    EXPECT_LE(samples.size(), 3U * kRate) << sound_name(sound) << ": at most 3 s";
    int loudest = 0;
    for (const int16_t s : samples) {
      loudest = std::max(loudest, std::abs(static_cast<int>(s)));
    }
    EXPECT_NEAR(loudest, 0.5 * 32767, 2) << sound_name(sound);
    const Spectrum sp = spectrum(samples, 2500);
    EXPECT_LE(sp.peak_hz, 2500) << sound_name(sound);
    EXPECT_LT(sp.share_above, 0.01) << sound_name(sound) << ": nearly nothing above 2.5 kHz";
    EXPECT_GE(sp.peak_hz, 400) << sound_name(sound) << ": audible on a small loudspeaker";
  }
}

TEST(SoundTest, EachStartsAndEndsInSilenceSoThatItDoesNotClick) {
  for (const Sound sound : kSounds) {
    const auto samples = synthesize(sound, 48000, 1.0);
    EXPECT_LT(std::abs(samples.front()), 300) << sound_name(sound);
    EXPECT_LT(std::abs(samples.back()), 300) << sound_name(sound);
  }
}

TEST(SoundTest, TheChimeFallsFromG5ToC5AndTheWarningBeepsThreeTimes) {
  const auto chime = synthesize(Sound::take_cards, kRate, 0.5);
  const std::vector<int16_t> first(chime.begin(), chime.begin() + kRate * 3 / 10);
  const std::vector<int16_t> last(chime.end() - kRate * 4 / 10, chime.end());
  EXPECT_NEAR(spectrum(first, 2500).peak_hz, 784, 10);
  EXPECT_NEAR(spectrum(last, 2500).peak_hz, 523, 10);

  const auto warning = synthesize(Sound::idle_warning, kRate, 0.5);
  int beeps = 0;
  bool sounding = false;
  for (size_t i = 0; i + 40 <= warning.size(); i += 40) {  // 5 ms windows
    int loudest = 0;
    for (size_t j = i; j < i + 40; ++j) {
      loudest = std::max(loudest, std::abs(static_cast<int>(warning[j])));
    }
    const bool now = loudest > 1000;
    beeps += now && !sounding ? 1 : 0;
    sounding = now;
  }
  EXPECT_EQ(beeps, 3);
}

TEST(SoundTest, NamesRoundTrip) {
  for (const Sound sound : kSounds) {
    EXPECT_EQ(sound_from_name(sound_name(sound)), sound);
  }
  EXPECT_FALSE(sound_from_name("bell").has_value());
}

}  // namespace
}  // namespace mk::kiosk
