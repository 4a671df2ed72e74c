#include <exception>

#include "kiosk/ui/illustration.hpp"
#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

// What the person is to do with the card, drawn at the top right of the content in the theme's
// colours (the drawings are 5 : 4). A drawing that cannot be made is a layout warning: the words
// beside it still say what to do.
void place_illustration(const LayoutContext& ctx, const Rect& content, int width, Frame& frame) {
  Picture picture;
  picture.box = {content.x + content.w - width, content.y, width, width * 4 / 5};
  try {
    picture.image = render_illustration(ctx.vm.illustration, ctx.theme.colors(), picture.box.w,
                                        picture.box.h, ctx.vm.readers);
  } catch (const std::exception& e) {
    frame.warnings.push_back(ctx.vm.screen + ": " + e.what());
    return;
  }
  frame.pictures.push_back(std::move(picture));
}

}  // namespace mk::kiosk
