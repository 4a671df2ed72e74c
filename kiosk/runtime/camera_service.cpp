#include "kiosk/runtime/camera_service.hpp"

#include <thread>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "devices/camera/qr_reader.hpp"
#include "flows/camera_ops.hpp"
#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

namespace ops = flows::camera_ops;

CameraService::CameraService(std::unique_ptr<devices::Camera> camera, Options options)
    : options_(options), camera_(std::move(camera)), worker_([this](Job& job) { serve(job); }) {}

CameraService::~CameraService() {
  stop();
}

void CameraService::stop() {
  submitted_ += 1;  // a scan in progress ends at its next frame
  worker_.stop();
}

void CameraService::use(std::unique_ptr<devices::Camera> camera) {
  const std::lock_guard lock(mutex_);
  if (camera) {
    logger("camera")->info("camera: {}", camera->describe());
  }
  camera_ = std::move(camera);
}

void CameraService::submit(flows::CameraRequest request, Post post) {
  const uint64_t number = ++submitted_;
  worker_.post({std::move(request), std::move(post), number});
}

std::optional<cv::Mat> CameraService::frame() {
  const std::lock_guard lock(mutex_);
  if (!camera_) {
    return std::nullopt;
  }
  return camera_->next_frame();
}

void CameraService::serve(Job& job) {
  flows::Event answer = flows::Event::camera(job.request.op, "error");
  try {
    if (job.request.op == ops::kScanQr) {
      answer = scan(job);
      if (submitted_ != job.number && answer.outcome == ops::kNoCode) {
        // A newer request ended this scan: its flow asked for something else since, and an
        // answer now would land in a state that waits for that (or a scan of its own).
        return;
      }
    } else if (job.request.op == ops::kTakePhoto) {
      answer = photo(job);
    } else {
      logger("camera")->error("camera: no such request: {}", job.request.op);
    }
  } catch (const std::exception& e) {
    // A frame the libraries choke on: the person is told the camera failed, staff read why.
    logger("camera")->error("camera: {}: {}", job.request.op, e.what());
  }
  job.post(std::move(answer));
}

flows::Event CameraService::scan(const Job& job) {
  const auto until = std::chrono::steady_clock::now() + options_.scan_time;
  bool any_frame = false;
  while (std::chrono::steady_clock::now() < until && submitted_ == job.number) {
    if (const auto f = frame()) {
      any_frame = true;
      if (auto text = devices::read_qr(*f)) {
        // What the code says is the flow's to judge: an appointment's, or anything else.
        return flows::Event::camera(job.request.op, "ok", {{"text", std::move(*text)}});
      }
    } else if (!any_frame && !present()) {
      return flows::Event::camera(job.request.op, ops::kNoCamera);
    }
    std::this_thread::sleep_for(options_.frame_interval);
  }
  return flows::Event::camera(job.request.op, ops::kNoCode);
}

flows::Event CameraService::photo(const Job& job) {
  const auto f = frame();
  if (!f) {
    return flows::Event::camera(job.request.op, present() ? "error" : ops::kNoCamera);
  }
  std::vector<uint8_t> jpeg;
  if (!cv::imencode(".jpg", *f, jpeg, {cv::IMWRITE_JPEG_QUALITY, options_.jpeg_quality})) {
    return flows::Event::camera(job.request.op, "error");
  }
  flows::Event e = flows::Event::camera(
      job.request.op, "ok",
      {{"width", std::to_string(f->cols)}, {"height", std::to_string(f->rows)}});
  e.blob = std::move(jpeg);
  return e;
}

bool CameraService::present() {
  const std::lock_guard lock(mutex_);
  return camera_ != nullptr;
}

}  // namespace mk::kiosk
