#include "center/sim/face_match.hpp"

#include <algorithm>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <opencv2/face.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

namespace mk::center::sim {

namespace {

constexpr const char* kCascade =
    "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
constexpr int kCropSide = 100;
// The middle of the detector's box: the face without the background and hair around it.
constexpr double kInner = 0.8;

// One detector, loaded once; a cascade is not to be run from two threads at once.
std::mutex& detector_mutex() {
  static std::mutex m;
  return m;
}

cv::CascadeClassifier& detector() {
  static cv::CascadeClassifier cascade = [] {
    cv::CascadeClassifier c;
    if (!c.load(kCascade)) {
      throw std::runtime_error(std::string("face check: cannot load ") + kCascade +
                               " (Debian package opencv-data)");
    }
    return c;
  }();
  return cascade;
}

}  // namespace

std::optional<cv::Mat> face_crop(const cv::Mat& image) {
  if (image.empty() || image.depth() != CV_8U) {
    return std::nullopt;
  }
  cv::Mat grey;
  if (image.channels() == 3) {
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  } else if (image.channels() == 1) {
    grey = image;
  } else {
    return std::nullopt;
  }
  cv::Mat equalised;
  cv::equalizeHist(grey, equalised);
  std::vector<cv::Rect> faces;
  {
    const std::lock_guard lock(detector_mutex());
    // A face fills a good part of a portrait or a kiosk's frame: at least a sixth of its width.
    const int smallest = std::max(24, std::min(grey.cols, grey.rows) / 6);
    detector().detectMultiScale(equalised, faces, 1.1, 5, 0, cv::Size(smallest, smallest));
  }
  if (faces.empty()) {
    return std::nullopt;
  }
  const cv::Rect largest =
      *std::max_element(faces.begin(), faces.end(),
                        [](const cv::Rect& a, const cv::Rect& b) { return a.area() < b.area(); });
  const int dx = static_cast<int>(largest.width * (1 - kInner) / 2);
  const int dy = static_cast<int>(largest.height * (1 - kInner) / 2);
  const cv::Rect inner(largest.x + dx, largest.y + dy, largest.width - 2 * dx,
                       largest.height - 2 * dy);
  cv::Mat crop;
  cv::resize(grey(inner), crop, cv::Size(kCropSide, kCropSide), 0, 0, cv::INTER_AREA);
  // Local contrast, so that a lit kiosk and a studio photo meet half way; a little blur against
  // the camera's noise in the binary patterns.
  cv::createCLAHE(2.0, cv::Size(4, 4))->apply(crop, crop);
  cv::GaussianBlur(crop, crop, cv::Size(3, 3), 0);
  return crop;
}

double face_distance(const cv::Mat& reference_crop, const cv::Mat& live_crop) {
  auto model = cv::face::LBPHFaceRecognizer::create(1, 8, 8, 8);
  model->train(std::vector<cv::Mat>{reference_crop}, std::vector<int>{0});
  int label = -1;
  double distance = 0;
  model->predict(live_crop, label, distance);
  return label == 0 ? distance : std::numeric_limits<double>::infinity();
}

FaceComparison compare_face_images(const cv::Mat& reference, const cv::Mat& live) {
  FaceComparison c;
  const auto ref = face_crop(reference);
  const auto now = face_crop(live);
  c.reference_found = ref.has_value();
  c.live_found = now.has_value();
  if (!ref || !now) {
    return c;
  }
  c.distance = face_distance(*ref, *now);
  c.same_person = c.distance <= kFaceDistanceThreshold;
  return c;
}

FaceComparison compare_faces(const std::filesystem::path& reference,
                             std::span<const uint8_t> live_image) {
  const cv::Mat ref =
      reference.empty() ? cv::Mat() : cv::imread(reference.string(), cv::IMREAD_COLOR);
  const std::vector<uint8_t> bytes(live_image.begin(), live_image.end());
  const cv::Mat live = bytes.empty() ? cv::Mat() : cv::imdecode(bytes, cv::IMREAD_COLOR);
  return compare_face_images(ref, live);
}

}  // namespace mk::center::sim
