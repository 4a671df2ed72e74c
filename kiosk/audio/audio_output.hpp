#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/audio/sound.hpp"

namespace mk::kiosk {

// The kiosk's loudspeaker through SDL's audio (the system's default output; SDL_AUDIODRIVER
// chooses another, "disk" writes what is played to SDL_DISKAUDIOFILE for tests). The device is
// open only while a sound plays: an open device wakes its thread every few milliseconds even in
// silence, and the kiosk is to use no CPU while nobody is there.
class AudioOutput {
 public:
  using Clock = std::chrono::steady_clock;

  // `volume`: the loudest sample's share of full scale (0 to 1). Throws std::runtime_error with
  // SDL's reason when no output can be opened.
  explicit AudioOutput(double volume);
  ~AudioOutput();  // lets the sound playing finish (at most a few seconds), then closes
  AudioOutput(const AudioOutput&) = delete;
  AudioOutput& operator=(const AudioOutput&) = delete;

  // Plays `sound` after what is playing (dropped when more than a moment is already waiting).
  void play(Sound sound);
  // When the sound playing has finished and the device can be closed; nullopt when closed.
  std::optional<Clock::time_point> busy_until() const;
  // Closes the device once the sound playing has finished.
  void settle(Clock::time_point now);
  // SDL's name of the output driver ("pulseaudio", "alsa", "disk").
  const std::string& driver() const { return driver_; }

 private:
  bool open_device();
  void close_device();

  double volume_;
  std::string driver_;
  bool keep_open_ = false;  // the disk driver rewrites its file at each open: keep every sound
  unsigned device_ = 0;     // SDL_AudioDeviceID; 0 when closed
  int rate_ = 0;
  std::map<Sound, std::vector<int16_t>> samples_;  // at rate_
  std::optional<Clock::time_point> busy_until_;
};

}  // namespace mk::kiosk
