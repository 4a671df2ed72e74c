// The camera service carries out the flows' camera requests on a thread of its own: a QR code
// read from the frames, nothing read in time, no camera at all, the photo as a JPEG, and a scan
// that a newer request ends without an answer.
#include "kiosk/runtime/camera_service.hpp"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "devices/camera/image_folder_camera.hpp"
#include "flows/camera_ops.hpp"

namespace mk::kiosk {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kFrames = fs::path(MK_SOURCE_DIR) / "tests/scenarios/camera";

// Collects answers posted from the service's thread.
class Answers {
 public:
  Post post() {
    return [this](flows::Event e) {
      const std::lock_guard lock(mutex_);
      events_.push_back(std::move(e));
      cv_.notify_all();
    };
  }
  size_t count() {
    const std::lock_guard lock(mutex_);
    return events_.size();
  }
  // The count-th answer (from 1); a deque keeps it in place while more come.
  const flows::Event& wait(size_t count = 1) {
    std::unique_lock lock(mutex_);
    EXPECT_TRUE(cv_.wait_for(lock, 10s, [&] { return events_.size() >= count; }));
    if (events_.size() < count) {
      throw std::runtime_error("no answer in 10 s");
    }
    return events_[count - 1];
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<flows::Event> events_;
};

CameraService::Options quick() {
  CameraService::Options o;
  o.scan_time = 500ms;
  o.frame_interval = 10ms;
  return o;
}

TEST(CameraService, ReadsTheQrCodeInTheFrames) {
  CameraService service(
      std::make_unique<devices::ImageFolderCamera>(kFrames / "appointment-qr.png"), quick());
  Answers answers;
  service.submit({flows::camera_ops::kScanQr, {}}, answers.post());
  const flows::Event& e = answers.wait();
  EXPECT_EQ(e.label(), "camera:scan_qr=ok");
  EXPECT_EQ(flows::field(e.fields, "text"), "mynakiosk:appointment:20260001");
}

TEST(CameraService, NoCodeInTimeAndNoCameraAreSaidApart) {
  CameraService service(std::make_unique<devices::ImageFolderCamera>(kFrames / "sato-ichiro.jpg"),
                        quick());
  Answers answers;
  service.submit({flows::camera_ops::kScanQr, {}}, answers.post());
  EXPECT_EQ(answers.wait().label(), "camera:scan_qr=no_code");
  service.use(nullptr);
  service.submit({flows::camera_ops::kScanQr, {}}, answers.post());
  EXPECT_EQ(answers.wait(2).label(), "camera:scan_qr=no_camera");
  service.submit({flows::camera_ops::kTakePhoto, {}}, answers.post());
  EXPECT_EQ(answers.wait(3).label(), "camera:take_photo=no_camera");
}

TEST(CameraService, ThePhotoIsAJpegOfTheFrame) {
  CameraService service(std::make_unique<devices::ImageFolderCamera>(kFrames / "sato-ichiro.jpg"),
                        quick());
  Answers answers;
  service.submit({flows::camera_ops::kTakePhoto, {}}, answers.post());
  const flows::Event& e = answers.wait();
  ASSERT_EQ(e.label(), "camera:take_photo=ok");
  ASSERT_GT(e.blob.size(), 2U);
  EXPECT_EQ(e.blob[0], 0xFF);
  EXPECT_EQ(e.blob[1], 0xD8);  // a JPEG's start of image
  const cv::Mat decoded = cv::imdecode(e.blob, cv::IMREAD_COLOR);
  EXPECT_EQ(decoded.cols, 640);
  EXPECT_EQ(flows::field(e.fields, "width"), "640");
}

TEST(CameraService, ANewerRequestEndsAScanInProgress) {
  CameraService::Options slow = quick();
  slow.scan_time = 30s;
  CameraService service(std::make_unique<devices::ImageFolderCamera>(kFrames / "sato-ichiro.jpg"),
                        slow);
  Answers answers;
  const auto t0 = std::chrono::steady_clock::now();
  service.submit({flows::camera_ops::kScanQr, {}}, answers.post());
  std::this_thread::sleep_for(50ms);
  service.submit({flows::camera_ops::kTakePhoto, {}}, answers.post());
  // The scan answers nothing (its flow waits for the photo now): the photo is the one answer.
  EXPECT_EQ(answers.wait(1).label(), "camera:take_photo=ok");
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(answers.count(), 1U);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s) << "the scan did not wait its 30 s";
}

}  // namespace
}  // namespace mk::kiosk
