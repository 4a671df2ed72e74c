#include "kiosk/ui/qr_code.hpp"

#include <memory>
#include <stdexcept>

#include <qrencode.h>

namespace mk::kiosk {

namespace {
constexpr int kQuietZone = QrModules::kQuietZone;
constexpr int kMinModulePx = 2;
}  // namespace

QrModules qr_modules(const std::string& text) {
  const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) {
    throw std::runtime_error("a QR code cannot hold \"" + text + "\"");
  }
  QrModules m;
  m.width = code->width;
  m.dark.resize(static_cast<size_t>(m.width) * static_cast<size_t>(m.width));
  for (size_t i = 0; i < m.dark.size(); ++i) {
    m.dark[i] = (code->data[i] & 1) != 0;  // libqrencode: one byte a module, bit 0 set if dark
  }
  return m;
}

Image qr_code_image(const std::string& text, int side) {
  const QrModules code = qr_modules(text);
  const int modules = code.width + 2 * kQuietZone;
  const int module_px = (side + modules / 2) / modules;
  if (module_px < kMinModulePx) {
    throw std::runtime_error("a QR code of " + std::to_string(modules) + " modules does not fit " +
                             std::to_string(side) + " px");
  }
  Image image;
  image.width = modules * module_px;
  image.height = image.width;
  image.rgba.assign(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4, 0xFF);
  for (int my = 0; my < code.width; ++my) {
    for (int mx = 0; mx < code.width; ++mx) {
      if (!code.at(mx, my)) {
        continue;
      }
      for (int y = 0; y < module_px; ++y) {
        const int py = (my + kQuietZone) * module_px + y;
        for (int x = 0; x < module_px; ++x) {
          const int px = (mx + kQuietZone) * module_px + x;
          uint8_t* p = &image.rgba[(static_cast<size_t>(py) * static_cast<size_t>(image.width) +
                                    static_cast<size_t>(px)) *
                                   4];
          p[0] = p[1] = p[2] = 0x00;
        }
      }
    }
  }
  return image;
}

}  // namespace mk::kiosk
