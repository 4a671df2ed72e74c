#include "kiosk/audio/audio_output.hpp"

#include <algorithm>
#include <stdexcept>

#include <SDL.h>

namespace mk::kiosk {

namespace {
// What the device still holds after its queue empties (a buffer or two), before it is closed.
constexpr auto kDrainMargin = std::chrono::milliseconds(250);
constexpr auto kLongestWait = std::chrono::seconds(4);
constexpr auto kMostQueued = std::chrono::milliseconds(300);
}  // namespace

AudioOutput::AudioOutput(double volume) : volume_(volume) {
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    throw std::runtime_error(std::string("no audio: ") + SDL_GetError());
  }
  const char* driver = SDL_GetCurrentAudioDriver();
  driver_ = driver != nullptr ? driver : "";
  keep_open_ = driver_ == "disk";
  // Open once now: a kiosk without a loudspeaker is found when it starts, not at its first sound.
  if (!open_device()) {
    const std::string why = SDL_GetError();
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    throw std::runtime_error("no audio output (" + driver_ + "): " + why);
  }
  if (!keep_open_) {
    close_device();
  }
}

AudioOutput::~AudioOutput() {
  if (device_ != 0) {
    const auto give_up = Clock::now() + kLongestWait;
    while (SDL_GetQueuedAudioSize(device_) > 0 && Clock::now() < give_up) {
      SDL_Delay(10);
    }
    SDL_Delay(static_cast<Uint32>(kDrainMargin.count()));
    close_device();
  }
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool AudioOutput::open_device() {
  SDL_AudioSpec want{};
  want.freq = 48000;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = 1024;
  SDL_AudioSpec have{};
  device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, SDL_AUDIO_ALLOW_FREQUENCY_CHANGE);
  if (device_ == 0) {
    return false;
  }
  if (have.freq != rate_) {
    rate_ = have.freq;
    samples_.clear();
    for (const Sound s : kSounds) {
      samples_[s] = synthesize(s, rate_, volume_);
    }
  }
  SDL_PauseAudioDevice(device_, 0);
  return true;
}

void AudioOutput::close_device() {
  SDL_CloseAudioDevice(device_);
  device_ = 0;
  busy_until_.reset();
}

void AudioOutput::play(Sound sound) {
  if (device_ == 0 && !open_device()) {
    return;  // reported when the kiosk started; a sound is never worth stopping for
  }
  const auto& samples = samples_.at(sound);
  // After what is playing, never over it: cutting a sound short clicks. Sounds that come faster
  // than they play (keys typed quickly) are dropped rather than heard late.
  const size_t queued = SDL_GetQueuedAudioSize(device_) / sizeof(int16_t);
  if (queued > static_cast<size_t>(rate_) * kMostQueued.count() / 1000) {
    return;
  }
  SDL_QueueAudio(device_, samples.data(), static_cast<Uint32>(samples.size() * sizeof(int16_t)));
  const auto length = std::chrono::microseconds(static_cast<int64_t>(queued + samples.size()) *
                                                1'000'000 / std::max(rate_, 1));
  busy_until_ = Clock::now() + length + kDrainMargin;
}

std::optional<AudioOutput::Clock::time_point> AudioOutput::busy_until() const {
  return keep_open_ ? std::nullopt : busy_until_;
}

void AudioOutput::settle(Clock::time_point now) {
  if (device_ != 0 && !keep_open_ && busy_until_ && now >= *busy_until_ &&
      SDL_GetQueuedAudioSize(device_) == 0) {
    close_device();
  }
}

}  // namespace mk::kiosk
