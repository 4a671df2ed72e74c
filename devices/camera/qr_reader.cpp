#include "devices/camera/qr_reader.hpp"

// ZXing 1.4: text() as UTF-8 (the coming default), not std::wstring.
#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>
#include <opencv2/imgproc.hpp>

namespace mk::devices {

std::optional<std::string> read_qr(const cv::Mat& frame) {
  if (frame.empty() || frame.depth() != CV_8U) {
    return std::nullopt;
  }
  cv::Mat grey;
  if (frame.channels() == 3) {
    cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
  } else if (frame.channels() == 1) {
    grey = frame;
  } else {
    return std::nullopt;
  }
  if (!grey.isContinuous()) {
    grey = grey.clone();
  }
  const ZXing::ImageView view(grey.data, grey.cols, grey.rows, ZXing::ImageFormat::Lum);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryRotate(true);
  const ZXing::Result result = ZXing::ReadBarcode(view, hints);
  if (!result.isValid()) {
    return std::nullopt;
  }
  return result.text();
}

}  // namespace mk::devices
