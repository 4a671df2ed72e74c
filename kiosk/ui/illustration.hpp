#pragma once

#include "flows/view_model.hpp"
#include "kiosk/ui/image.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

// The SVG drawing of an illustration (assets/illustrations/, compiled in); empty for none.
std::string_view illustration_svg(flows::Illustration which);

// The illustration rasterised at width × height (its proportions kept, centred, the rest
// transparent), in the palette's colours, with where the reader is (reader-location.svg) in its
// top left corner unless `reader` is unknown. Throws std::runtime_error with SDL2_image's reason
// when it cannot be drawn.
Image render_illustration(flows::Illustration which, const Palette& palette, int width, int height,
                          flows::ReaderPlace reader = flows::ReaderPlace::unknown);

// The drawing with the reader's place in its corner: reader-location.svg with only `reader`'s
// line kept, as a group inside `svg`.
std::string with_reader_location(std::string_view svg, flows::ReaderPlace reader);

// The place's name in the configuration and in reader-location.svg ("below-right"); "" unknown.
std::string_view reader_place_name(flows::ReaderPlace place);

}  // namespace mk::kiosk
