#include "kiosk/app/sdl_input.hpp"

#include <algorithm>
#include <cctype>

#include <SDL.h>

namespace mk::kiosk {

std::optional<InputEvent> translate_sdl_event(const SDL_Event& event, int layout_width,
                                              int layout_height) {
  switch (event.type) {
    case SDL_QUIT:
      return InputEvent{InputEvent::Kind::quit, 0, 0, {}};
    case SDL_FINGERUP: {
      const auto to_px = [](float normalised, int size) {
        return std::clamp(static_cast<int>(normalised * static_cast<float>(size)), 0, size - 1);
      };
      return InputEvent{InputEvent::Kind::tap,
                        to_px(event.tfinger.x, layout_width),
                        to_px(event.tfinger.y, layout_height),
                        {}};
    }
    case SDL_MOUSEBUTTONUP:
      if (event.button.which == SDL_TOUCH_MOUSEID || event.button.button != SDL_BUTTON_LEFT) {
        return std::nullopt;
      }
      return InputEvent{InputEvent::Kind::tap, event.button.x, event.button.y, {}};
    case SDL_KEYDOWN: {
      if (event.key.repeat != 0) {
        return std::nullopt;  // key repeat is off for a kiosk
      }
      std::string name = SDL_GetKeyName(event.key.keysym.sym);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      return InputEvent{InputEvent::Kind::key, 0, 0, name};
    }
    case SDL_WINDOWEVENT:
      if (event.window.event == SDL_WINDOWEVENT_EXPOSED ||
          event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
        return InputEvent{InputEvent::Kind::redraw, 0, 0, {}};
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace mk::kiosk
