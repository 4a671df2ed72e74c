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

namespace {

// The side a photo may have: a camera frame is far smaller. Read from the file's own header
// (PNG's IHDR, a JPEG's SOF) before anything is decoded, so that a small file that declares a
// gigapixel picture cannot make the centre allocate gigabytes.
constexpr uint32_t kMaxSide = 4096;

uint32_t be16(std::span<const uint8_t> b, size_t at) {
  return (uint32_t{b[at]} << 8) | b[at + 1];
}
uint32_t be32(std::span<const uint8_t> b, size_t at) {
  return (be16(b, at) << 16) | be16(b, at + 2);
}

bool small_enough(std::span<const uint8_t> b) {
  if (b.size() >= 24 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
    return be32(b, 16) <= kMaxSide && be32(b, 20) <= kMaxSide;
  }
  if (b.size() < 4 || b[0] != 0xFF || b[1] != 0xD8) {
    return false;  // neither PNG nor JPEG: not a camera's photo
  }
  for (size_t at = 2; at + 9 < b.size();) {
    if (b[at] != 0xFF) {
      return false;
    }
    const uint8_t marker = b[at + 1];
    // SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC): the frame's height and width.
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      return be16(b, at + 5) <= kMaxSide && be16(b, at + 7) <= kMaxSide;
    }
    at += 2 + be16(b, at + 2);
  }
  return false;
}

}  // namespace

FaceComparison compare_faces(const std::filesystem::path& reference,
                             std::span<const uint8_t> live_image) {
  const cv::Mat ref =
      reference.empty() ? cv::Mat() : cv::imread(reference.string(), cv::IMREAD_COLOR);
  if (!small_enough(live_image)) {
    FaceComparison none;
    none.reference_found = face_crop(ref).has_value();
    return none;  // no face the centre will look for
  }
  try {
    const std::vector<uint8_t> bytes(live_image.begin(), live_image.end());
    const cv::Mat live = cv::imdecode(bytes, cv::IMREAD_COLOR);
    return compare_face_images(ref, live);
  } catch (const cv::Exception&) {
    return {};  // a photo OpenCV cannot read has no face to compare
  }
}

}  // namespace mk::center::sim
