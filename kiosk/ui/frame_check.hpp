#pragma once

#include <string>
#include <vector>

#include "flows/view_model.hpp"
#include "kiosk/ui/frame.hpp"
#include "kiosk/ui/image.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

// What a person would meet on a laid-out frame, from its geometry (../shared/accessibility.md):
// a target under 20 mm on this panel, anything outside the screen, buttons or texts on top of
// each other, a label clipped by its button, and back/cancel not left of the primary action.
std::vector<std::string> check_frame(const flows::ViewModel& vm, const Frame& frame,
                                     const Theme& theme, int width, int height);

// From the pixels drawn: each text's contrast with what is really behind it, the theme's
// minimum (4.5:1, 7:1 in high contrast).
std::vector<std::string> check_pixels(const Frame& frame, const Image& image, const Theme& theme);

}  // namespace mk::kiosk
