#pragma once

// The camera of the demo and the tests: a still image, or a folder of frames (PNG or JPEG) played
// in the order of their names, over and over, as a camera would keep giving them. Every file is
// decoded when the camera opens, so a broken file is a clear error at start, not mid-procedure.

#include <cstddef>
#include <filesystem>
#include <vector>

#include "devices/camera/camera.hpp"

namespace mk::devices {

class ImageFolderCamera : public Camera {
 public:
  // More frames than a test or a demo needs: a folder with more is a mistake (a photo library).
  static constexpr size_t kMaxFrames = 64;

  // Throws CameraError: no such file or folder, no image in it, too many, one that does not decode.
  explicit ImageFolderCamera(const std::filesystem::path& source);

  std::optional<cv::Mat> next_frame() override;
  std::string describe() const override;

 private:
  std::filesystem::path source_;
  std::vector<cv::Mat> frames_;
  size_t next_ = 0;
};

}  // namespace mk::devices
