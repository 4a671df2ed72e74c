// The camera of the demo and the tests (a still or a folder of frames) and the QR reader the PIN
// unlock's check-in uses: frames in name order, over and over; a bad source refused at open with
// a clear error; an appointment's code read at any rotation, nothing read from a face.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "devices/camera/image_folder_camera.hpp"
#include "devices/camera/qr_reader.hpp"

namespace mk::devices {
namespace {

namespace fs = std::filesystem;

const fs::path kFrames = fs::path(MK_SOURCE_DIR) / "tests/scenarios/camera";

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("camera-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(ImageFolderCamera, PlaysTheFramesInNameOrderOverAndOver) {
  const fs::path dir = fresh_dir("order");
  cv::imwrite((dir / "2-white.png").string(), cv::Mat(4, 6, CV_8UC3, cv::Scalar(255, 255, 255)));
  cv::imwrite((dir / "1-black.png").string(), cv::Mat(4, 6, CV_8UC3, cv::Scalar(0, 0, 0)));
  std::ofstream(dir / "notes.txt") << "not a frame";
  ImageFolderCamera camera(dir);
  EXPECT_NE(camera.describe().find("2 frames"), std::string::npos) << camera.describe();
  for (int round = 0; round < 2; ++round) {
    auto black = camera.next_frame();
    auto white = camera.next_frame();
    ASSERT_TRUE(black && white);
    EXPECT_EQ(black->at<cv::Vec3b>(0, 0)[0], 0);
    EXPECT_EQ(white->at<cv::Vec3b>(0, 0)[0], 255);
    EXPECT_EQ(white->cols, 6);
  }
}

TEST(ImageFolderCamera, AStillIsEveryFrame) {
  ImageFolderCamera camera(kFrames / "sato-ichiro.jpg");
  const auto a = camera.next_frame();
  const auto b = camera.next_frame();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), b->size());
  EXPECT_EQ(a->type(), CV_8UC3);
}

TEST(ImageFolderCamera, ABadSourceIsRefusedAtOpenSayingWhy) {
  const auto why = [](const fs::path& source) {
    try {
      ImageFolderCamera camera(source);
    } catch (const CameraError& e) {
      return std::string(e.what());
    }
    return std::string("opened");
  };
  EXPECT_NE(why("/nonexistent/camera").find("no such file or folder"), std::string::npos);
  EXPECT_NE(why(fresh_dir("empty")).find("no PNG or JPEG"), std::string::npos);
  const fs::path broken = fresh_dir("broken");
  std::ofstream(broken / "frame.png") << "this is not a PNG";
  EXPECT_NE(why(broken).find("not an image"), std::string::npos);
}

TEST(QrReader, ReadsTheAppointmentsCodeAtAnyRotation) {
  const cv::Mat frame = cv::imread((kFrames / "appointment-qr.png").string());
  ASSERT_FALSE(frame.empty());
  EXPECT_EQ(read_qr(frame), "mynakiosk:appointment:20260001");
  cv::Mat turned;
  cv::rotate(frame, turned, cv::ROTATE_90_CLOCKWISE);
  EXPECT_EQ(read_qr(turned), "mynakiosk:appointment:20260001");
  cv::Mat grey;
  cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
  EXPECT_EQ(read_qr(grey), "mynakiosk:appointment:20260001");
}

TEST(QrReader, AFaceOrNothingReadsNothing) {
  EXPECT_FALSE(read_qr(cv::imread((kFrames / "sato-ichiro.jpg").string())));
  EXPECT_FALSE(read_qr(cv::Mat()));
  EXPECT_FALSE(read_qr(cv::Mat(10, 10, CV_32FC1, cv::Scalar(0))));
}

}  // namespace
}  // namespace mk::devices
