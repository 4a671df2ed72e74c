#include <exception>

#include "kiosk/ui/qr_code.hpp"
#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

namespace {
// Read by a phone held 20–30 cm away: a version 3–5 code gets modules of about a millimetre.
constexpr double kQrSideMm = 45.0;
}  // namespace

int qr_side(const Theme& theme) {
  return theme.mm(kQrSideMm);
}

// The view's link as a QR code at the top right of the content, at a whole number of pixels a
// module (never blurred by scaling). A code that cannot be made is a layout warning: the address
// is in the words beside it too.
int place_qr_code(const LayoutContext& ctx, const Rect& content, Frame& frame) {
  Picture picture;
  try {
    picture.image = qr_code_image(ctx.vm.qr_code, qr_side(ctx.theme));
  } catch (const std::exception& e) {
    frame.warnings.push_back(ctx.vm.screen + ": " + e.what());
    return 0;
  }
  picture.box = {content.x + content.w - picture.image.width, content.y, picture.image.width,
                 picture.image.height};
  const int width = picture.box.w;
  frame.pictures.push_back(std::move(picture));
  return width;
}

}  // namespace mk::kiosk
