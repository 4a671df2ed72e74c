#pragma once

#include <optional>

#include "kiosk/app/input.hpp"

union SDL_Event;

namespace mk::kiosk {

// Turns one SDL event into kiosk input. A tap is the release of a finger or the left mouse
// button (releasing, not pressing, lets a person slide off a wrong target); the mouse events
// SDL synthesises from touches are dropped so one touch is one tap. Finger positions are
// normalised by SDL and mapped here to the layout size.
std::optional<InputEvent> translate_sdl_event(const SDL_Event& event, int layout_width,
                                              int layout_height);

}  // namespace mk::kiosk
