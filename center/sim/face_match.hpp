#pragma once

// The PIN unlock's face check, the centre's job (issue 11 ④): the photo taken at the kiosk is
// compared with the licence photo on the holder's record. The face in each is found with OpenCV's
// Haar cascade (opencv-data), cropped, greyed and equalised, and the two crops compared by their
// local binary pattern histograms (OpenCV contrib's LBPH): a distance, accepted under a threshold
// chosen on the labelled faces of tests/data/faces (docs/center-sim.md gives the error rates).
// Never the only factor: the card and its PIN named the holder before any face is compared.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>

#include <opencv2/core/mat.hpp>

namespace mk::center::sim {

// LBPH chi-square distances at or under this are the same person: chosen on the labelled faces of
// tests/data/faces for no false accept there (a false accept unlocks someone else's PIN; a false
// reject sends the person to the counter). The rates: docs/center-sim.md.
inline constexpr double kFaceDistanceThreshold = 60.0;

struct FaceComparison {
  bool reference_found = false;  // a face in the licence photo
  bool live_found = false;       // a face in the photo taken now
  double distance = 0;           // smaller is closer
  bool same_person = false;
};

// The largest frontal face of an 8-bit image (grey or BGR), as the 100×100 grey crop the comparison
// uses (the middle of the detector's box, contrast-limited equalised); nothing when no face is
// found.
std::optional<cv::Mat> face_crop(const cv::Mat& image);

// The LBPH distance of two crops of face_crop (smaller is closer).
double face_distance(const cv::Mat& reference_crop, const cv::Mat& live_crop);

// Throws std::runtime_error when the face detector's cascade cannot be loaded.
FaceComparison compare_face_images(const cv::Mat& reference, const cv::Mat& live);
// The licence photo from its file, the live one as the kiosk sent it (JPEG or PNG); one that is
// unreadable, neither, or larger than 4096 pixels a side (read from its header before decoding)
// counts as one without a face.
FaceComparison compare_faces(const std::filesystem::path& reference,
                             std::span<const uint8_t> live_image);

}  // namespace mk::center::sim
