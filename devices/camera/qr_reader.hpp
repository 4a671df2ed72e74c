#pragma once

// A QR code in a camera frame (the appointment's, shown on a phone or on paper), read with
// ZXing-cpp: the frame in grey, any rotation, a code anywhere in it.

#include <optional>
#include <string>

#include <opencv2/core/mat.hpp>

namespace mk::devices {

// The text of the QR code in `frame` (8-bit BGR or grey), or nothing when none reads.
std::optional<std::string> read_qr(const cv::Mat& frame);

}  // namespace mk::devices
