#pragma once

#include "flows/view_model.hpp"
#include "kiosk/ui/image.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

// The SVG drawing of an illustration (assets/illustrations/, compiled in); empty for none.
std::string_view illustration_svg(flows::Illustration which);

// The illustration rasterised at width × height (its proportions kept, centred, the rest
// transparent), in the palette's colours. Throws std::runtime_error with SDL2_image's reason when
// it cannot be drawn.
Image render_illustration(flows::Illustration which, const Palette& palette, int width, int height);

}  // namespace mk::kiosk
