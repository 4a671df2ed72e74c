#include <algorithm>
#include <variant>

#include "devices/cards/jpeg2000.hpp"
#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

namespace {
// The licence photo is 24 × 30 mm on the card; shown half as large again, as people expect to
// recognise themselves at a glance.
constexpr double kPhotoWidthMm = 36.0;
constexpr double kPhotoHeightMm = 45.0;
}  // namespace

int photo_panel_width(const Theme& theme) {
  return theme.mm(kPhotoWidthMm);
}

// The card's face photo at the top right of the content; a photo the card holds but that cannot
// be decoded says so in words in its place (the data beside it are still shown).
void place_photo(const LayoutContext& ctx, const Rect& content, Frame& frame) {
  const Theme& theme = ctx.theme;
  const Rect box{content.x + content.w - theme.mm(kPhotoWidthMm), content.y,
                 theme.mm(kPhotoWidthMm), theme.mm(kPhotoHeightMm)};
  auto decoded = devices::decode_jpeg2000(ctx.vm.photo);
  auto* image = std::get_if<devices::GreyImage>(&decoded);
  if (image == nullptr || image->width <= 0 || image->height <= 0) {
    Label why = ctx.label(ctx.text(flows::TextRef{"photo.unreadable", {}}), box.x, box.w,
                          TextRole::small, false, theme.colors().text_muted, Align::left, frame);
    why.box.y = box.y;
    frame.labels.push_back(std::move(why));
    return;
  }
  Picture picture;
  // Keep the photo's proportions inside the box, centred at its top.
  const double scale = std::min(static_cast<double>(box.w) / image->width,
                                static_cast<double>(box.h) / image->height);
  const int w = static_cast<int>(image->width * scale);
  const int h = static_cast<int>(image->height * scale);
  picture.box = {box.x + (box.w - w) / 2, box.y, w, h};
  picture.image.width = image->width;
  picture.image.height = image->height;
  picture.image.rgba.reserve(image->pixels.size() * 4);
  for (const uint8_t v : image->pixels) {
    picture.image.rgba.insert(picture.image.rgba.end(), {v, v, v, 0xFF});
  }
  std::fill(image->pixels.begin(), image->pixels.end(), uint8_t{0});
  frame.pictures.push_back(std::move(picture));
}

}  // namespace mk::kiosk
