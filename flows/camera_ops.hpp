#pragma once

// The camera requests a flow may ask for (CameraRequest::op) and their answers' fields. The
// runtime in kiosk/ carries them out with devices/camera. Outcomes: "ok", or one of the codes
// below.

namespace mk::flows::camera_ops {

// Looks for a QR code in the camera's frames until one reads or the time is up. ok fields: text
// (what the code holds). Outcomes: no_code (none read in time), no_camera, error.
inline constexpr const char* kScanQr = "scan_qr";

// Takes one photo of whoever faces the camera. ok: the blob is the photo (JPEG); fields: width,
// height. Outcomes: no_camera, error.
inline constexpr const char* kTakePhoto = "take_photo";

inline constexpr const char* kOk = "ok";
inline constexpr const char* kNoCode = "no_code";
inline constexpr const char* kNoCamera = "no_camera";

}  // namespace mk::flows::camera_ops
