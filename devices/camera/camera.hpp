#pragma once

// A camera, whatever gives the frames: a V4L2 device at a real kiosk (issue 11), or a folder of
// images for the demo and the tests (ImageFolderCamera). The kiosk's camera service asks for one
// frame at a time and decides what to do with it (read a QR code, take the photo).

#include <optional>
#include <stdexcept>
#include <string>

#include <opencv2/core/mat.hpp>

namespace mk::devices {

// A camera that cannot be opened or read: a missing device or folder, a file that is no image.
class CameraError : public std::runtime_error {
 public:
  explicit CameraError(const std::string& what) : std::runtime_error(what) {}
};

class Camera {
 public:
  virtual ~Camera() = default;
  // The next frame, 8-bit BGR; nothing when there is none to give now (a device unplugged).
  virtual std::optional<cv::Mat> next_frame() = 0;
  // "images: /path (3 frames)": for the log and the health check.
  virtual std::string describe() const = 0;
};

}  // namespace mk::devices
