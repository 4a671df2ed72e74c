#include "devices/camera/image_folder_camera.hpp"

#include <algorithm>
#include <string>

#include <opencv2/imgcodecs.hpp>

namespace mk::devices {

namespace {

bool is_image(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

}  // namespace

ImageFolderCamera::ImageFolderCamera(const std::filesystem::path& source) : source_(source) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(source, ec)) {
    for (const auto& entry : fs::directory_iterator(source, ec)) {
      if (entry.is_regular_file() && is_image(entry.path())) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
  } else if (fs::is_regular_file(source, ec)) {
    files.push_back(source);
  } else {
    throw CameraError("camera images: no such file or folder: " + source.string());
  }
  if (files.empty()) {
    throw CameraError("camera images: no PNG or JPEG in " + source.string());
  }
  if (files.size() > kMaxFrames) {
    throw CameraError("camera images: more than " + std::to_string(kMaxFrames) + " frames in " +
                      source.string());
  }
  for (const auto& file : files) {
    cv::Mat frame = cv::imread(file.string(), cv::IMREAD_COLOR);
    if (frame.empty()) {
      throw CameraError("camera images: not an image: " + file.string());
    }
    frames_.push_back(std::move(frame));
  }
}

std::optional<cv::Mat> ImageFolderCamera::next_frame() {
  // A copy: whoever takes the frame may draw on it.
  cv::Mat frame = frames_[next_].clone();
  next_ = (next_ + 1) % frames_.size();
  return frame;
}

std::string ImageFolderCamera::describe() const {
  return "images: " + source_.string() + " (" + std::to_string(frames_.size()) + " frames)";
}

}  // namespace mk::devices
