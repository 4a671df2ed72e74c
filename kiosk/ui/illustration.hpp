#pragma once

#include "flows/view_model.hpp"
#include "kiosk/ui/image.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

// The SVG drawing of an illustration (assets/illustrations/, compiled in); empty for none.
std::string_view illustration_svg(flows::Illustration which);

// The illustration rasterised at width × height (its proportions kept, centred, the rest
// transparent), in the palette's colours, with where the readers are (reader-location.svg) in its
// top left corner unless `readers` is empty. Throws std::runtime_error with SDL2_image's reason
// when it cannot be drawn.
Image render_illustration(flows::Illustration which, const Palette& palette, int width, int height,
                          const std::vector<flows::ReaderPlace>& readers = {});

// The drawing with the readers' places in its corner: reader-location.svg with only the lines of
// `readers` kept, as a group inside `svg`; `svg` itself when there are none.
std::string with_reader_location(std::string_view svg,
                                 const std::vector<flows::ReaderPlace>& readers);

}  // namespace mk::kiosk
