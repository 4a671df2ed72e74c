#pragma once

#include <cstdint>
#include <filesystem>

#include "kiosk/ui/frame.hpp"

namespace mk::kiosk {

// Where a drawn frame's buttons are, for driving the real window from outside (a test with
// xdotool, an operator's automation): the screen id, a sequence number, the layout size and each
// button's action, rectangle and whether it takes a touch. Written as JSON to `file` through a
// temporary file and a rename, so a reader never sees half of it. Never a label's text, what is
// typed, or anything of the person's: action ids are the view's, not its data.
void write_frame_map(const std::filesystem::path& file, const Frame& frame, uint64_t sequence,
                     int width, int height);

}  // namespace mk::kiosk
