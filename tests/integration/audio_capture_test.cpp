// What the kiosk plays, captured by SDL's disk audio driver (it writes the device's samples to a
// file in real time, as a sound card would play them): the idle warning's beeps at the configured
// level; nothing with the loudspeaker off; a kiosk without any audio output still runs and says
// why it is mute. (The chime and the key tone are checked as samples in tests/unit/sound_test.cpp
// and as played, by count, in the scenarios.)
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/run_process.hpp"
#include "tests/support/tone_energy.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::energy_at;
using mk::test::quote;
using mk::test::run_process;
using ::testing::HasSubstr;

constexpr int kRate = 48000;  // what the kiosk asks for; the disk driver gives what is asked

// A person starts, then leaves the kiosk alone: the idle warning beeps when it appears (no card
// is needed for it, so this runs without a reader).
constexpr const char* kIdleScript = R"(tap start
expect screen menu
wait 91s
expect screen session.idle_warning
expect sound idle_warning
)";

class AudioCapture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           ("audio-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "test.script") << kIdleScript;
  }
  void TearDown() override { fs::remove_all(dir_); }

  mk::test::ProcessResult kiosk(const std::string& driver, const std::string& config) {
    std::ofstream(dir_ / "kiosk.toml")
        << "[store]\ndir = \"" << (dir_ / "store").string() << "\"\nkey_file = \""
        << (dir_ / "store.key").string() << "\"\n"
        << config;
    return run_process("SDL_AUDIODRIVER=" + driver + " SDL_DISKAUDIOFILE=" +
                       quote((dir_ / "out.raw").string()) + " " + quote(MK_KIOSK_EXE) +
                       " --headless --strict --config " + quote((dir_ / "kiosk.toml").string()) +
                       " --script " + quote((dir_ / "test.script").string()));
  }

  std::vector<int16_t> captured() const {
    std::ifstream in(dir_ / "out.raw", std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<int16_t> samples(bytes.size() / 2);
    std::memcpy(samples.data(), bytes.data(), samples.size() * 2);
    return samples;
  }

  fs::path dir_;
};

TEST_F(AudioCapture, TheIdleWarningBeepsThreeTimesAtTheConfiguredLevel) {
  const auto r = kiosk("disk", "[audio]\nvolume = 0.4\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("audio: disk (volume 0.4)"));
  const auto samples = captured();
  ASSERT_GT(samples.size(), static_cast<size_t>(kRate / 2)) << "at least the beeps' 0.65 s";
  // The beeps: runs of 5 ms windows with sound, separated by silence.
  constexpr size_t kWindow = kRate / 200;
  std::vector<size_t> starts;
  bool sounding = false;
  int loudest = 0;
  for (size_t i = 0; i + kWindow <= samples.size(); i += kWindow) {
    int window_peak = 0;
    for (size_t j = i; j < i + kWindow; ++j) {
      window_peak = std::max(window_peak, std::abs(static_cast<int>(samples[j])));
    }
    loudest = std::max(loudest, window_peak);
    const bool now = window_peak > 1000;
    if (now && !sounding) {
      starts.push_back(i);
    }
    sounding = now;
  }
  ASSERT_EQ(starts.size(), 3U) << "three beeps, once";
  EXPECT_NEAR(static_cast<double>(starts[1] - starts[0]) / kRate, 0.25, 0.01);
  EXPECT_NEAR(loudest, 0.4 * 32767, 0.4 * 32767 * 0.02) << "the configured level, not clipped";
  // Each at 880 Hz: far more energy there than at the key tone's 1 kHz or the chime's notes.
  const size_t beep = kRate * 14 / 100;
  const double a5 = energy_at(samples, starts[0], beep, 880.0, kRate);
  EXPECT_GT(a5, 50 * energy_at(samples, starts[0], beep, 1000.0, kRate));
  EXPECT_GT(a5, 50 * energy_at(samples, starts[0], beep, 784.0 * 0.9, kRate));
}

TEST_F(AudioCapture, WithTheLoudspeakerOffNothingIsPlayed) {
  const auto r = kiosk("disk", "[audio]\noutput = \"off\"\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;  // the script's `expect sound` still counts the sounds
  EXPECT_FALSE(fs::exists(dir_ / "out.raw")) << "the audio device was never opened";
}

TEST_F(AudioCapture, AKioskWithoutAnAudioOutputRunsAndSaysWhy) {
  const auto r = kiosk("no-such-driver", "");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("no audio"));
  EXPECT_THAT(r.output, HasSubstr("audio.output = \"off\""));
}

}  // namespace
