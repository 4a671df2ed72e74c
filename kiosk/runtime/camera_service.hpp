#pragma once

// The flows' CameraRequests (flows/camera_ops.hpp), carried out on a worker thread of their own:
// reading a QR code looks at frame after frame until one reads or the time is up, and the screen
// goes on meanwhile; a newer request ends a scan, which then answers nothing. The photo leaves as a
// JPEG in the answer's blob and is kept nowhere.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "base/worker.hpp"
#include "devices/camera/camera.hpp"
#include "flows/engine/effect.hpp"
#include "kiosk/runtime/flow_runtime.hpp"

namespace mk::kiosk {

class CameraService {
 public:
  struct Options {
    std::chrono::milliseconds scan_time{20000};     // how long scan_qr looks before "no_code"
    std::chrono::milliseconds frame_interval{100};  // a camera's pace: 10 frames a second
    int jpeg_quality = 90;
  };

  // `camera` may be null: no camera (yet: a script shows one with use()).
  CameraService(std::unique_ptr<devices::Camera> camera, Options options);
  ~CameraService();  // stop()
  CameraService(const CameraService&) = delete;
  CameraService& operator=(const CameraService&) = delete;

  void stop();
  // Another camera from now on (a script's `camera show`); null: none.
  void use(std::unique_ptr<devices::Camera> camera);

  // A camera is there now.
  bool present();

  // FlowServices::camera
  void submit(flows::CameraRequest request, Post post);

 private:
  struct Job {
    flows::CameraRequest request;
    Post post;
    uint64_t number = 0;
  };
  void serve(Job& job);
  flows::Event scan(const Job& job);
  flows::Event photo(const Job& job);
  std::optional<cv::Mat> frame();

  Options options_;
  std::mutex mutex_;  // camera_
  std::unique_ptr<devices::Camera> camera_;
  std::atomic<uint64_t> submitted_{0};  // a newer request ends a scan in progress
  base::Worker<Job> worker_;            // last: its thread uses what comes before
};

}  // namespace mk::kiosk
